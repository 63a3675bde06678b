// Mermaid flowcharts of the stack's pipelines (https://mermaid.js.org/syntax/flowchart.html): one
// file per pipeline, one node per stage listing its runOrder groups, approval gates as hexagons,
// stage-to-stage edges in order, failure conditions as dotted edges; plus an index of the files.
// Mermaid refuses a diagram over its default `maxEdges` (500) or `maxTextSize` (50,000 characters)
// (https://mermaid.js.org/config/schema-docs/config-properties-maxedges.html,
// https://mermaid.js.org/config/schema-docs/config-properties-maxtextsize.html), which one file for 100 pipelines exceeds;
// one pipeline is at most 50 stages (CodePipeline quota), far below either limit.
import type { PlannedPipeline, PlannedStage } from "./pipeline-model";

export const MERMAID_LIMITS = { maxEdges: 500, maxTextSize: 50_000 } as const;

const escape = (text: string) => text.replace(/"/g, "#quot;");

function stageLabel(stage: PlannedStage): string {
    const groups = stage.groups.map(
        (g) =>
            `${g[0].runOrder}: ${g.map((a) => `${a.name} (${a.provider}${a.target ? ` → ${a.target}` : ""})`).join(" ‖ ")}`,
    );
    return escape([`<b>${stage.name}</b>`, ...groups].join("<br/>"));
}

export function renderPipeline(stack: string, pipeline: PlannedPipeline): string {
    const lines = [
        `%% Offline plan of stack ${stack}, pipeline ${pipeline.name} (generated; not a Pulumi preview)`,
        "flowchart LR",
        `  title["${escape(`${pipeline.name} (${pipeline.pipelineType}, ${pipeline.executionMode})`)}"]`,
    ];
    pipeline.stages.forEach((stage, s) => {
        const label = stageLabel(stage);
        lines.push(`  s${s}${stage.isApprovalGate ? `{{"${label}"}}` : `["${label}"]`}`);
    });
    pipeline.stages.slice(1).forEach((_, s) => lines.push(`  s${s} --> s${s + 1}`));
    pipeline.stages.forEach((stage, s) => {
        for (const condition of stage.conditions.filter((c) => c.startsWith("on failure"))) {
            lines.push(`  s${s} -. "${escape(condition)}" .-> s${s}`);
        }
    });
    return lines.join("\n") + "\n";
}

/** File name of a pipeline's diagram: its logical name, safe on every file system. */
export const pipelineFile = (pipeline: PlannedPipeline) => `${pipeline.name.replace(/[^A-Za-z0-9._-]/g, "_")}.mmd`;

/** The index: one node per pipeline (no edges) with its stage count, gates and file name. */
export function renderIndex(stack: string, pipelines: PlannedPipeline[]): string {
    const lines = [`%% Offline plan of stack ${stack}: ${pipelines.length} pipelines, one file each`, "flowchart TB"];
    pipelines.forEach((p, i) => {
        const gates = p.stages.filter((s) => s.isApprovalGate).length;
        const label = `${p.name}<br/>${p.stages.length} stages, ${gates} approval gate(s)<br/>${pipelineFile(p)}`;
        lines.push(`  p${i}["${escape(label)}"]`);
    });
    return lines.join("\n") + "\n";
}
