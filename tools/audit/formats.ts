/** Audit findings as a terminal table, JSON, SARIF 2.1.0 (code-scanning UIs) or Markdown. */
import { createHash } from "crypto";

import type * as sarif from "sarif";

import type { Finding, PackInfo } from "../shared/pack";
import { countMandatory, detail, groupByPolicy, renderFindings } from "../shared/table";
import type { AuditInput } from "./input";

export interface AuditReport {
    input: AuditInput;
    /** The audited file, as given (SARIF locations point at it). */
    source: string;
    pack: PackInfo;
    findings: Finding[];
}

const RENDERERS = {
    table: (r: AuditReport) => (r.findings.length ? renderFindings(r.findings) : "No findings."),
    json: (r: AuditReport) => JSON.stringify(toJson(r), null, 2),
    sarif: (r: AuditReport) => JSON.stringify(toSarif(r), null, 2),
    markdown: (r: AuditReport) => toMarkdown(r),
};

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];

export const render = (format: Format, report: AuditReport): string => RENDERERS[format](report);

export function summaryLine(r: AuditReport): string {
    return `${r.input.resources.length} resources, ${r.findings.length} findings, ${countMandatory(r.findings)} mandatory.`;
}

function toJson(r: AuditReport) {
    return {
        kind: "policy-audit",
        source: r.source,
        format: r.input.format,
        project: r.input.project,
        stack: r.input.stack,
        resources: r.input.resources.length,
        pack: { name: r.pack.name, version: r.pack.version },
        mandatory: countMandatory(r.findings),
        findings: r.findings,
    };
}

/**
 * SARIF levels from enforcement levels: a mandatory finding blocks (error), remediate and advisory
 * warn. GitHub code scanning reads `ruleId`, `level`, `message.text`, a physical location and
 * `partialFingerprints` to track one alert across runs; findings are about cloud resources, not
 * lines, so the location is the audited file and the resource URN is a logical location.
 * https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning
 */
const SARIF_LEVEL: Record<string, sarif.Result.level> = {
    mandatory: "error",
    remediate: "warning",
    advisory: "warning",
    disabled: "none",
};

function toSarif(r: AuditReport): sarif.Log {
    const policies = r.pack.policies;
    const index = new Map(policies.map((p, i) => [p.name, i]));
    const rules: sarif.ReportingDescriptor[] = policies.map((p) => ({
        id: p.name,
        name: p.displayName || p.name,
        shortDescription: { text: p.displayName || p.name },
        fullDescription: { text: p.description },
        defaultConfiguration: { level: SARIF_LEVEL[p.enforcementLevel] ?? "warning" },
    }));
    const results: sarif.Result[] = r.findings.map((f) => ({
        ruleId: f.policyName,
        ...(index.has(f.policyName) ? { ruleIndex: index.get(f.policyName) } : {}),
        level: SARIF_LEVEL[f.enforcementLevel] ?? "warning",
        message: { text: `${f.urn || "(stack)"}: ${detail(f)}` },
        locations: [
            {
                physicalLocation: { artifactLocation: { uri: r.source.replace(/\\/g, "/") }, region: { startLine: 1 } },
                logicalLocations: [
                    { fullyQualifiedName: f.urn || `${r.input.project}/${r.input.stack}`, kind: "resource" },
                ],
            },
        ],
        partialFingerprints: {
            "policyFinding/v1": createHash("sha256").update(`${f.policyName}\n${f.urn}\n${f.message}`).digest("hex"),
        },
    }));
    return {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: r.pack.name, version: r.pack.version, rules } },
                results,
                properties: { project: r.input.project, stack: r.input.stack, input: r.input.format },
            },
        ],
    };
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

function toMarkdown(r: AuditReport): string {
    const lines = [
        `# Policy audit: ${r.input.project}/${r.input.stack}`,
        "",
        `Source: \`${r.source}\` (${r.input.format}). ${summaryLine(r)}`,
        "",
    ];
    for (const [policy, group] of groupByPolicy(r.findings)) {
        lines.push(`## ${policy} (${group.length})`, "", group[0].description, "");
        lines.push("| level | resource | finding |", "|---|---|---|");
        for (const f of group)
            lines.push(`| ${f.enforcementLevel} | \`${cell(f.urn || "(stack)")}\` | ${cell(detail(f))} |`);
        lines.push("");
    }
    if (r.findings.length === 0) lines.push("No findings.", "");
    return lines.join("\n");
}
