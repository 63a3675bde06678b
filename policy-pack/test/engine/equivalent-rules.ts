/**
 * The counterpart rule ids the README policy table cites, read from its two counterpart columns
 * ("Checkov / cdk-nag / trivy" and "Security Hub / AWS Config"), and their check against
 * data/equivalent-rules.json.
 */
import * as fs from "fs";
import * as path from "path";

export const FRAMEWORKS = ["checkov", "cdk-nag", "trivy", "security-hub", "aws-config"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface RuleEntry {
    status: "active" | "retired";
    retired?: string;
    reason?: string;
    source?: string;
    via?: string;
}
export type RuleData = Record<Framework, Record<string, RuleEntry>>;

export const RULE_DATA: RuleData = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "..", "data", "equivalent-rules.json"), "utf8"),
) as RuleData;

/** What an id of each framework looks like; a cited token that does not match is a malformed citation. */
export const ID_SHAPES: Record<Framework, RegExp> = {
    checkov: /^CKV2?_AWS_\d+$/,
    "cdk-nag": /^[A-Z][A-Za-z]*\d+$/,
    trivy: /^AWS-\d{4}$/,
    "security-hub": /^[A-Za-z0-9]+\.\d+$/,
    "aws-config": /^[a-z0-9]+(-[a-z0-9]+)+$/,
};

export interface Citation {
    policy: string;
    framework: Framework;
    id: string;
}

/**
 * The ids one framework's part of a cell cites: "—" is none; ids are comma-separated; a trailing " theme" marks a
 * looser match and is dropped; a bare number continues the previous id's prefix ("CKV_AWS_62, 63").
 */
export function citedIds(part: string): string[] {
    if (part === "—") return [];
    const ids: string[] = [];
    for (const raw of part.split(",")) {
        const token = raw.trim().replace(/\s+theme$/, "");
        const previous = ids[ids.length - 1];
        ids.push(/^\d+$/.test(token) && previous ? previous.replace(/\d+$/, token) : token);
    }
    return ids;
}

/** Every citation of a table row ([name, level, scope, checks, scanners, aws, fix]), or a problem with its shape. */
export function rowCitations(row: string[]): { citations: Citation[]; problems: string[] } {
    const policy = row[0].replace(/`/g, "");
    const parts = [...(row[4] ?? "").split(" / "), ...(row[5] ?? "").split(" / ")];
    if (parts.length !== FRAMEWORKS.length) {
        return {
            citations: [],
            problems: [`${policy}: expected ${FRAMEWORKS.length} counterpart parts, got ${parts.length}`],
        };
    }
    const citations: Citation[] = [];
    const problems: string[] = [];
    FRAMEWORKS.forEach((framework, index) => {
        for (const id of citedIds(parts[index].trim())) {
            if (ID_SHAPES[framework].test(id)) citations.push({ policy, framework, id });
            else problems.push(`${policy}: '${id}' is not a ${framework} rule id`);
        }
    });
    return { citations, problems };
}

/** Why a citation is wrong against the data file: unknown id, or a retired one (with when, why and where). */
export function citationProblem(citation: Citation, data: RuleData = RULE_DATA): string | undefined {
    const entry = data[citation.framework]?.[citation.id];
    const where = `${citation.policy} cites ${citation.framework} ${citation.id}`;
    if (!entry)
        return `${where}, which data/equivalent-rules.json does not list: add it with its status, or fix the id`;
    if (entry.status === "retired") {
        return `${where}, retired ${entry.retired ?? ""} (${entry.reason ?? "no reason given"}; ${entry.source ?? ""}): cite an active rule or "—"`;
    }
    return undefined;
}
