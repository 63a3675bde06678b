/**
 * Per-resource policy exemptions, carried in resource tags (CrossGuard has no exemption feature:
 * pulumi/pulumi-policy#438). One tag exempts one resource from one policy:
 *
 *     key:   policy-exemption:<policy-name>
 *     value: until=<YYYY-MM-DD> reason=<why, e.g. a ticket and a sentence>
 *
 * Both fit AWS's tag rules (letters, digits, spaces and `+ - = . _ : / @`; keys ≤ 128, values
 * ≤ 256 characters: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
 * An exemption holds through the end of its `until` day (UTC). Everything here is pure; the
 * clock is a parameter.
 */

export const EXEMPTION_TAG_PREFIX = "policy-exemption:";
export const EXEMPTION_VALUE_FORMAT = "until=YYYY-MM-DD reason=<why>";
export const DEFAULT_MAX_EXEMPTION_DAYS = 365;

/** A well-formed, reasoned exemption (it may still be expired: see {@link exemptionProblem}). */
export interface Exemption {
    policy: string;
    until: string;
    reason: string;
    tagKey: string;
}

/** A tag that looks like an exemption but cannot be honoured, with the message to show. */
export interface ExemptionProblem {
    tagKey: string;
    policy: string;
    message: string;
}

export interface ExemptionRules {
    /** Names of the policies that may be exempted from. */
    exemptable: ReadonlySet<string>;
    /** Names that are policies but may not be exempted from (the exemption checks themselves). */
    unexemptable?: ReadonlySet<string>;
    now: Date;
    /** Longest allowed distance between today and `until` (default 365 days). */
    maxDays?: number;
}

export type ParsedTag = { exemption: Exemption } | { problem: ExemptionProblem };

const VALUE_RE = /^\s*until=(\S*)\s*(?:reason=(.*))?$/s;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function utcDay(date: string): number | undefined {
    const match = DATE_RE.exec(date);
    if (!match) {
        return undefined;
    }
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(year, month - 1, day);
    // Date.UTC rolls 2027-02-30 over to March: a round trip catches non-calendar dates.
    return new Date(ms).toISOString().slice(0, 10) === date ? ms : undefined;
}

function todayUtc(now: Date): number {
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

/** Parses one tag; returns undefined when the key is not an exemption tag at all. */
export function parseExemptionTag(tagKey: string, value: unknown): ParsedTag | undefined {
    if (!tagKey.startsWith(EXEMPTION_TAG_PREFIX)) {
        return undefined;
    }
    const policy = tagKey.slice(EXEMPTION_TAG_PREFIX.length).trim();
    const fail = (message: string): ParsedTag => ({ problem: { tagKey, policy, message } });
    if (policy === "") {
        return fail(`Tag "${tagKey}" names no policy: use "${EXEMPTION_TAG_PREFIX}<policy-name>".`);
    }
    const match = typeof value === "string" ? VALUE_RE.exec(value) : null;
    if (!match) {
        return fail(`Tag "${tagKey}" must have the value "${EXEMPTION_VALUE_FORMAT}", got ${JSON.stringify(value)}.`);
    }
    const [until, reason] = [match[1], (match[2] ?? "").trim()];
    if (utcDay(until) === undefined) {
        return fail(`Tag "${tagKey}" has until=${until}, which is not a calendar date (YYYY-MM-DD).`);
    }
    if (reason === "") {
        return fail(`Tag "${tagKey}" gives no reason: add "reason=<ticket and why>" after the date.`);
    }
    return { exemption: { policy, until, reason, tagKey } };
}

/** Why a well-formed exemption cannot be honoured under `rules`, or undefined if it can. */
export function exemptionProblem(exemption: Exemption, rules: ExemptionRules): ExemptionProblem | undefined {
    const { tagKey, policy, until } = exemption;
    const fail = (message: string): ExemptionProblem => ({ tagKey, policy, message });
    if (rules.unexemptable?.has(policy)) {
        return fail(`Tag "${tagKey}": policy "${policy}" cannot be exempted from.`);
    }
    if (!rules.exemptable.has(policy)) {
        return fail(`Tag "${tagKey}" names no policy of this pack: check the policy name in the pack's README.`);
    }
    const days = ((utcDay(until) ?? 0) - todayUtc(rules.now)) / DAY_MS;
    if (days < 0) {
        return fail(
            `Tag "${tagKey}" expired on ${until}: fix the finding, or renew the exemption with a new date and reason.`,
        );
    }
    const maxDays = rules.maxDays ?? DEFAULT_MAX_EXEMPTION_DAYS;
    if (days > maxDays) {
        return fail(`Tag "${tagKey}" runs until ${until}, more than ${maxDays} days away: choose an earlier date.`);
    }
    return undefined;
}

/** The result of reading every exemption tag of one resource. */
export interface ExemptionScan {
    /** Honoured exemptions by policy name. */
    active: Map<string, Exemption>;
    problems: ExemptionProblem[];
}

/** Reads a resource's exemption tags as plain `[key, value]` pairs. */
export function scanExemptions(tags: Iterable<[string, unknown]>, rules: ExemptionRules): ExemptionScan {
    const scan: ExemptionScan = { active: new Map(), problems: [] };
    for (const [key, value] of tags) {
        const parsed = parseExemptionTag(key, value);
        if (parsed === undefined) {
            continue;
        }
        const problem = "problem" in parsed ? parsed.problem : exemptionProblem(parsed.exemption, rules);
        if (problem) {
            scan.problems.push(problem);
        } else if ("exemption" in parsed) {
            scan.active.set(parsed.exemption.policy, parsed.exemption);
        }
    }
    return scan;
}
