import Table from "cli-table3";

import type { Violation } from "./policy-check";

/** Violations grouped by policy (mandatory policies first), one row per finding. */
export function renderViolations(violations: Violation[]): string {
    const byPolicy = new Map<string, Violation[]>();
    for (const v of violations) byPolicy.set(v.policyName, [...(byPolicy.get(v.policyName) ?? []), v]);
    const rank = (list: Violation[]) => (list.some((v) => v.enforcementLevel === "mandatory") ? 0 : 1);
    const groups = [...byPolicy].sort(([a, x], [b, y]) => rank(x) - rank(y) || a.localeCompare(b));
    // No ANSI colours when the output is a file or a pipe (CI logs, --json consumers, tests).
    const style = process.stdout.isTTY ? {} : { style: { head: [], border: [] } };
    const table = new Table({
        head: ["policy", "level", "resource", "message"],
        colWidths: [30, 11, 40, 70],
        wordWrap: true,
        ...style,
    });
    for (const [policy, list] of groups) {
        list.forEach((v, i) =>
            table.push([
                i === 0 ? `${policy} (${list.length})` : "",
                v.enforcementLevel,
                resourceName(v.urn),
                v.message,
            ]),
        );
    }
    return table.toString();
}

function resourceName(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? `${parts[3]}\n${parts[2].split("$").pop()}` : urn || "(stack)";
}

export function countMandatory(violations: Violation[]): number {
    return violations.filter((v) => v.enforcementLevel === "mandatory").length;
}
