/**
 * Applies exemption tags (see ./exemptions.ts) to a list of policies.
 *
 * The SDK fixes a policy's enforcement level, but its server also accepts a violation object whose
 * `enforcementLevel` overrides the level for that one diagnostic (`makeReportViolationFun` in
 * @pulumi/policy's server.js; the engine honours per-diagnostic levels, which is how preview's
 * "can't run" notes become advisory). So an exempted resource is still checked by the real policy,
 * and each finding is reported under that policy's name as advisory, prefixed with the reason.
 * Broken exemptions are reported by the mandatory `exemption-valid` policy.
 */
import {
    Policies,
    Policy,
    ReportViolation,
    ResourceValidation,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { DEFAULT_MAX_EXEMPTION_DAYS, Exemption, EXEMPTION_TAG_PREFIX, scanExemptions } from "./exemptions";

export const EXEMPTION_VALID = "exemption-valid";

export interface ExemptionOptions {
    /** The clock; tests inject one. */
    now?: () => Date;
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** The exemption tags of a resource's `tags`, skipping values unknown during preview. */
export function exemptionTags(props: unknown): Array<[string, unknown]> {
    const pairs: Array<[string, unknown]> = [];
    try {
        const tags: unknown = (props as Record<string, unknown>)?.tags;
        if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
            return pairs;
        }
        for (const key of Object.keys(tags).filter((k) => k.startsWith(EXEMPTION_TAG_PREFIX))) {
            try {
                pairs.push([key, (tags as Record<string, unknown>)[key]]);
            } catch {
                continue; // An unknown value: neither an exemption nor a broken one yet.
            }
        }
    } catch {
        return pairs; // `tags` itself is unknown during preview.
    }
    return pairs;
}

interface Context {
    exemptable: ReadonlySet<string>;
    now: () => Date;
}

function activeExemption(ctx: Context, props: unknown, policy: string): Exemption | undefined {
    const tags = exemptionTags(props);
    if (tags.length === 0) {
        return undefined;
    }
    // The cap on duration is `exemption-valid`'s to enforce (its config is not visible here).
    const rules = { exemptable: ctx.exemptable, now: ctx.now(), maxDays: Number.POSITIVE_INFINITY };
    return scanExemptions(tags, rules).active.get(policy);
}

type ViolationObject = { message: string; urn?: string; enforcementLevel: "advisory" };

function advisoryReporter(report: ReportViolation, policy: Policy, exemption: Exemption): ReportViolation {
    const send = report as unknown as (violation: ViolationObject) => void;
    return (message: string, urn?: string) => {
        const note = `Exempted until ${exemption.until} by tag "${exemption.tagKey}": ${exemption.reason}`;
        const detail = message ? `\n${message}` : "";
        send({ message: `${note}\n${policy.description}${detail}`, urn, enforcementLevel: "advisory" });
    };
}

function keepPulumiType<T extends object>(from: object, to: T): T {
    const pulumiType = (from as { __pulumiType?: string }).__pulumiType;
    return pulumiType ? Object.assign(to, { __pulumiType: pulumiType }) : to;
}

function guardResource(policy: ResourceValidationPolicy, ctx: Context): ResourceValidationPolicy {
    const guard = (validation: ResourceValidation): ResourceValidation =>
        keepPulumiType(validation, ((args, report) => {
            const exemption = activeExemption(ctx, args.props, policy.name);
            return validation(args, exemption ? advisoryReporter(report, policy, exemption) : report);
        }) as ResourceValidation);
    const original = policy.validateResource;
    if (original === undefined) {
        return policy;
    }
    return { ...policy, validateResource: Array.isArray(original) ? original.map(guard) : guard(original) };
}

function guardStack(policy: StackValidationPolicy, ctx: Context): StackValidationPolicy {
    const validateStack = keepPulumiType(policy.validateStack, ((args, report) => {
        const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
        return policy.validateStack(args, (message, urn) => {
            const resource = urn === undefined ? undefined : byUrn.get(urn);
            const exemption = resource && activeExemption(ctx, resource.props, policy.name);
            (exemption ? advisoryReporter(report, policy, exemption) : report)(message, urn);
        });
    }) as StackValidationPolicy["validateStack"]);
    return { ...policy, validateStack };
}

function exemptionValidPolicy(ctx: Context): ResourceValidationPolicy {
    return {
        name: EXEMPTION_VALID,
        description:
            `Exemption tags (${EXEMPTION_TAG_PREFIX}<policy> = "until=YYYY-MM-DD reason=<why>") name a policy ` +
            "of this pack, give a reason, and have not expired.",
        enforcementLevel: "mandatory",
        configSchema: {
            properties: {
                maxDays: {
                    type: "integer",
                    minimum: 1,
                    default: DEFAULT_MAX_EXEMPTION_DAYS,
                    description: "Longest time an exemption may run from today.",
                },
            },
        },
        validateResource: (args, reportViolation) => {
            const tags = exemptionTags(args.props);
            if (tags.length === 0) {
                return;
            }
            const { maxDays } = args.getConfig<{ maxDays?: number }>();
            const rules = {
                exemptable: ctx.exemptable,
                unexemptable: new Set([EXEMPTION_VALID]),
                now: ctx.now(),
                maxDays,
            };
            for (const problem of scanExemptions(tags, rules).problems) {
                reportViolation(problem.message);
            }
        },
    };
}

/** Wraps every policy so exemption tags apply to it, and adds the `exemption-valid` policy. */
export function withExemptions(policies: AnyPolicy[], opts: ExemptionOptions = {}): Policies {
    const ctx: Context = {
        exemptable: new Set(policies.map((p) => p.name)),
        now: opts.now ?? (() => new Date()),
    };
    const wrapped = policies.map((p) => ("validateStack" in p ? guardStack(p, ctx) : guardResource(p, ctx)));
    return [...wrapped, exemptionValidPolicy(ctx)];
}
