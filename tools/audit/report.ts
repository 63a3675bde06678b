/** Renders audit findings: a console table grouped by policy, and a Markdown report. */
import Table from "cli-table3";
import { AuditInput } from "./input";
import { AuditFinding } from "./run";

const LEVEL_ORDER = ["mandatory", "remediate", "advisory", "disabled"];

/** Findings grouped by policy, mandatory policies first, then by name. */
export function groupByPolicy(findings: AuditFinding[]): Array<[string, AuditFinding[]]> {
    const groups = new Map<string, AuditFinding[]>();
    for (const f of findings) {
        groups.set(f.policyName, [...(groups.get(f.policyName) ?? []), f]);
    }
    const rank = (fs: AuditFinding[]): number => Math.min(...fs.map((f) => LEVEL_ORDER.indexOf(f.enforcementLevel)));
    return [...groups.entries()].sort(([a, fa], [b, fb]) => rank(fa) - rank(fb) || a.localeCompare(b));
}

export function countMandatory(findings: AuditFinding[]): number {
    return findings.filter((f) => f.enforcementLevel === "mandatory").length;
}

// The policy description prefixes each message; the detail after it is what differs per finding.
function detail(f: AuditFinding): string {
    return f.message.startsWith(`${f.description}\n`) ? f.message.slice(f.description.length + 1) : f.message;
}

function resourceName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2) || "(stack)";
}

export function renderTable(findings: AuditFinding[]): string {
    const table = new Table({
        head: ["policy", "level", "resource", "finding"],
        wordWrap: true,
        colWidths: [34, 11, 26, 70],
    });
    for (const [policy, group] of groupByPolicy(findings)) {
        for (const f of group) {
            table.push([policy, f.enforcementLevel, resourceName(f.urn), detail(f)]);
        }
    }
    return table.toString();
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

export function renderMarkdown(input: AuditInput, source: string, findings: AuditFinding[]): string {
    const lines = [
        `# Policy audit: ${input.project}/${input.stack}`,
        "",
        `Source: \`${source}\` (${input.format}, ${input.resources.length} resources). ` +
            `${findings.length} findings, ${countMandatory(findings)} mandatory.`,
        "",
    ];
    for (const [policy, group] of groupByPolicy(findings)) {
        lines.push(`## ${policy} (${group.length})`, "", group[0].description, "");
        lines.push("| level | resource | finding |", "|---|---|---|");
        for (const f of group) {
            lines.push(`| ${f.enforcementLevel} | \`${cell(f.urn || "(stack)")}\` | ${cell(detail(f))} |`);
        }
        lines.push("");
    }
    if (findings.length === 0) {
        lines.push("No findings.", "");
    }
    return lines.join("\n");
}
