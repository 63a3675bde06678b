import type { PlannedPipeline } from "./pipeline-model";
import type { Violation } from "./policy-check";
import type { PlanTotals } from "./totals";

/** The `--json` document: everything the terminal report shows, machine-readable. */
export interface PlanSummary {
    kind: "offline-plan";
    note: string;
    project: string;
    stack: string;
    preview: boolean;
    totals: PlanTotals;
    pipelines: PlannedPipeline[];
    policy: { ran: boolean; skipped?: string; violations: Violation[]; mandatory: number };
    files: { resources: string; mermaid: string };
    timings: { evaluationMs: number; evaluationPeakRssMb: number; policyMs?: number; totalMs: number };
}

export const NOTE = "offline plan under Pulumi mocks: a stand-in, not a Pulumi preview (no cloud calls, no engine)";

export function header(project: string, stack: string, preview: boolean): string {
    return `Offline plan of ${project}/${stack}${preview ? " (computed values unknown, as a PR preview sees them)" : ""}: ${NOTE}`;
}

export function totalsLines(t: PlanTotals): string[] {
    return [
        `resources: ${t.resources} (+ ${t.components} components)`,
        `IAM roles: ${t.iamRoles}`,
        `pipelines: ${t.pipelines}`,
        `roles per pipeline: ${t.rolesPerPipeline ?? "n/a"}`,
        `IAM statements with * in Action: ${t.wildcardActionStatements}` +
            (t.unreadablePolicies ? ` (${t.unreadablePolicies} policy documents not readable offline)` : ""),
    ];
}
