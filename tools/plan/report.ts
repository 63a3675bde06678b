// The plan of one stack as data (`--json`) and as text: evaluation and checking happen elsewhere.
import * as path from "path";

import type { Finding } from "../shared/pack";
import type { Resource } from "../shared/resource";
import { countMandatory, renderFindings, resourceLabel, table } from "../shared/table";
import type { PlanDiff } from "./diff";
import type { PlannedAction, PlannedPipeline, PlannedStage } from "./pipeline-model";
import type { PlanTotals } from "./totals";

export const NOTE = "offline plan under Pulumi mocks: a stand-in, not a Pulumi preview (no cloud calls, no engine)";

/** The `--json` document: everything the text report shows, machine-readable. */
export interface PlanSummary {
    kind: "offline-plan";
    note: string;
    project: string;
    stack: string;
    preview: boolean;
    totals: PlanTotals;
    pipelines: PlannedPipeline[];
    policy: { ran: boolean; skipped?: string; violations: Finding[]; mandatory: number };
    diff?: PlanDiff;
    files: { resources: string; mermaidIndex: string; mermaid: string[] };
    /** CPU time of the evaluation process is steadier than wall time on a shared machine. */
    timings: { evaluationMs: number; evaluationCpuMs: number; evaluationPeakRssMb: number; policyMs?: number };
}

export function policySummary(findings: Finding[] | undefined): PlanSummary["policy"] {
    return findings
        ? { ran: true, violations: findings, mandatory: countMandatory(findings) }
        : { ran: false, skipped: "--no-policy", violations: [], mandatory: 0 };
}

export function renderPlan(s: PlanSummary, tree: string[]): string[] {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const rel = (file: string) => path.relative(process.cwd(), file);
    const t = s.totals;
    const lines = [
        `Offline plan of ${s.project}/${s.stack}${s.preview ? " (computed values unknown, as a PR preview sees them)" : ""}: ${NOTE}`,
        "",
        "Resources by component",
        ...tree.map((line) => `  ${line}`),
        "",
        `Pipelines (${s.pipelines.length}; Mermaid: ${rel(s.files.mermaidIndex)} and one file per pipeline beside it)`,
        ...s.pipelines.flatMap((p) => renderStagePicture(p).map((line) => `  ${line}`)),
        "",
        "Totals",
        `  resources: ${t.resources} (+ ${t.components} components)`,
        `  IAM roles: ${t.iamRoles}`,
        `  pipelines: ${t.pipelines}`,
        `  roles per pipeline: ${t.rolesPerPipeline ?? "n/a"}`,
        `  IAM statements with * in Action: ${t.wildcardActionStatements}` +
            (t.unreadablePolicies ? ` (${t.unreadablePolicies} policy documents not readable offline)` : ""),
        "",
        ...(s.diff ? [...renderDiff(s.diff), ""] : []),
    ];
    if (!s.policy.ran) lines.push(`Policy pack: NOT CHECKED (${s.policy.skipped})`);
    else if (s.policy.violations.length === 0) lines.push("Policy pack: no violations");
    else
        lines.push(
            `Policy violations: ${s.policy.violations.length}, ${s.policy.mandatory} mandatory`,
            renderFindings(s.policy.violations),
        );
    lines.push(`Plan file: ${rel(s.files.resources)} (npm run audit -- ${rel(s.files.resources)})`);
    const policy = s.timings.policyMs !== undefined ? `, policy ${seconds(s.timings.policyMs)}` : "";
    lines.push(`Time: evaluation ${seconds(s.timings.evaluationMs)}${policy}`);
    return lines;
}

/** Added, changed, removed, then the IAM grants the change adds: what a reviewer must confirm. */
function renderDiff(d: PlanDiff): string[] {
    const name = (urn: string) => resourceLabel(urn).split("\n").reverse().join(" ");
    const lines = [
        `Changes against ${d.base}: ${d.added.length} to add, ${d.changed.length} to change, ${d.removed.length} to remove`,
        ...d.added.map((urn) => `  + ${name(urn)}`),
        ...d.changed.map((c) => `  ~ ${name(c.urn)} (${c.keys.join(", ")})`),
        ...d.removed.map((urn) => `  - ${name(urn)}`),
    ];
    if (d.broadened.length === 0) {
        lines.push("IAM permissions broadened: none");
    } else {
        lines.push(`IAM permissions broadened: ${d.broadened.length} (confirm before merging)`);
        const t = table(["resource", "document", "change", "action", "resource ARN", "principal"]);
        for (const b of d.broadened) {
            t.push([name(b.urn), b.document, b.kind, b.action, b.resource, b.principal]);
        }
        lines.push(t.toString());
    }
    if (d.uncompared.length) lines.push(`Not compared (unknown until deploy): ${d.uncompared.length} policy documents`);
    return lines;
}

/** The resource tree, components first then resources, drawn with box characters. */
export function renderTree(resources: Resource[]): string[] {
    // Children by parent URN, in the (URN-sorted) order the evaluation returned them.
    const known = new Set(resources.map((r) => r.urn));
    const byParent = new Map<string | undefined, Resource[]>();
    for (const resource of resources) {
        // Default providers are the engine's, not the program's: `pulumi preview` does not list them either.
        if (resource.type.startsWith("pulumi:providers:")) continue;
        // A parent that was never registered (should not happen) is shown at the top level.
        const parent = resource.parent && known.has(resource.parent) ? resource.parent : undefined;
        byParent.set(parent, [...(byParent.get(parent) ?? []), resource]);
    }
    const ordered = (list: Resource[]) => [...list.filter((r) => !r.custom), ...list.filter((r) => r.custom)];
    const lines: string[] = [];
    const walk = (resource: Resource, prefix: string, last: boolean, root: boolean) => {
        lines.push(root ? treeLabel(resource) : `${prefix}${last ? "└─ " : "├─ "}${treeLabel(resource)}`);
        const children = ordered(byParent.get(resource.urn) ?? []);
        const nextPrefix = root ? "" : `${prefix}${last ? "   " : "│  "}`;
        children.forEach((child, i) => walk(child, nextPrefix, i === children.length - 1, false));
    };
    for (const top of ordered(byParent.get(undefined) ?? [])) walk(top, "", true, true);
    return lines;
}

function treeLabel(resource: Resource): string {
    const flags = [
        resource.options.protect ? "protect" : "",
        resource.options.retainOnDelete ? "retainOnDelete" : "",
    ].filter(Boolean);
    const kind = resource.custom ? "" : " (component)";
    return `${resource.type} ${resource.name}${kind}${flags.length ? ` [${flags.join(", ")}]` : ""}`;
}

const action = (a: PlannedAction) => `${a.name} (${a.category}/${a.provider})${a.target ? ` -> ${a.target}` : ""}`;

/**
 * One block per pipeline: a line per stage and runOrder group; actions sharing a runOrder run in
 * parallel and are joined with " | "; approval stages are marked as gates; stage conditions follow.
 */
function renderStagePicture(pipeline: PlannedPipeline): string[] {
    const width = Math.max(0, ...pipeline.stages.map((s) => s.name.length));
    const lines = [`pipeline ${pipeline.name} (${pipeline.pipelineType}, ${pipeline.executionMode})`];
    pipeline.stages.forEach((stage, index) => lines.push(...renderStage(stage, index + 1, width)));
    return lines;
}

function renderStage(stage: PlannedStage, position: number, width: number): string[] {
    const head = `  ${position}. ${stage.name.padEnd(width)}`;
    const indent = " ".repeat(head.length);
    const gate = stage.isApprovalGate ? "  <- approval gate" : "";
    const groups = stage.groups.length ? stage.groups : [[]];
    const lines = groups.map((group, i) => {
        const order = group.length ? `[${group[0].runOrder}] ` : "";
        const text = `${order}${group.map(action).join(" | ") || "(no actions)"}`;
        return `${i === 0 ? head : indent}  ${text}${i === 0 ? gate : ""}`;
    });
    return [...lines, ...stage.conditions.map((c) => `${indent}  ${c}`)];
}
