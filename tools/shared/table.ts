import colors from "@colors/colors/safe";
import Table from "cli-table3";

import type { Finding } from "./pack";

/**
 * A cli-table3 table, with its ANSI colours only when stdout is a terminal and `NO_COLOR` is not set
 * (https://no-color.org). cli-table3 colours through `@colors/colors`, which decides once, at load, from the
 * environment (it turns colours off wherever `CI` is set); the decision is made here instead, per table.
 */
export function table(head: string[], colWidths?: number[]): Table.Table {
    const colour = Boolean(process.stdout.isTTY) && !("NO_COLOR" in process.env);
    if (colour) colors.enable();
    else colors.disable();
    const style = colour ? {} : { style: { head: [], border: [] } };
    return new Table({ head, wordWrap: true, ...(colWidths ? { colWidths } : {}), ...style });
}

const LEVEL_ORDER = ["mandatory", "remediate", "advisory", "disabled"];

/** Findings grouped by policy: the most severe level first, then by name. */
export function groupByPolicy(findings: Finding[]): Array<[string, Finding[]]> {
    const groups = new Map<string, Finding[]>();
    for (const f of findings) groups.set(f.policyName, [...(groups.get(f.policyName) ?? []), f]);
    const rank = (list: Finding[]) => Math.min(...list.map((f) => LEVEL_ORDER.indexOf(f.enforcementLevel)));
    return [...groups].sort(([a, x], [b, y]) => rank(x) - rank(y) || a.localeCompare(b));
}

export const countMandatory = (findings: Finding[]) =>
    findings.filter((f) => f.enforcementLevel === "mandatory").length;

/** The policy description prefixes each message; the detail after it is what differs per finding. */
export function detail(f: Finding): string {
    return f.message.startsWith(`${f.description}\n`) ? f.message.slice(f.description.length + 1) : f.message;
}

/** One row per finding, grouped by policy. */
export function renderFindings(findings: Finding[]): string {
    const t = table(["policy", "level", "resource", "finding"], [30, 11, 36, 70]);
    for (const [policy, list] of groupByPolicy(findings)) {
        list.forEach((f, i) =>
            t.push([i === 0 ? `${policy} (${list.length})` : "", f.enforcementLevel, resourceLabel(f.urn), detail(f)]),
        );
    }
    return t.toString();
}

/** Name and type of the resource a URN names. */
export function resourceLabel(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? `${parts[3]}\n${parts[2].split("$").pop()}` : urn || "(stack)";
}
