// A Mermaid flowchart of every pipeline of the stack (https://mermaid.js.org/syntax/flowchart.html):
// one subgraph per pipeline, one node per stage listing its runOrder groups, approval gates as
// hexagons, stage-to-stage edges in order, and failure conditions as dotted edges.
import type { PlannedPipeline, PlannedStage } from "./pipeline-model";

const escape = (text: string) => text.replace(/"/g, "#quot;");

function stageLabel(stage: PlannedStage): string {
    const groups = stage.groups.map(
        (g) => `${g[0].runOrder}: ${g.map((a) => `${a.name} (${a.provider})`).join(" ‖ ")}`,
    );
    return escape([`<b>${stage.name}</b>`, ...groups].join("<br/>"));
}

export function stageNodeId(pipelineIndex: number, stageIndex: number): string {
    return `p${pipelineIndex}s${stageIndex}`;
}

function pipelineBlock(pipeline: PlannedPipeline, p: number): string[] {
    const lines = [
        `  subgraph p${p}["${escape(`${pipeline.name} (${pipeline.pipelineType}, ${pipeline.executionMode})`)}"]`,
        "    direction LR",
    ];
    pipeline.stages.forEach((stage, s) => {
        const label = stageLabel(stage);
        lines.push(`    ${stageNodeId(p, s)}${stage.isApprovalGate ? `{{"${label}"}}` : `["${label}"]`}`);
    });
    pipeline.stages.slice(1).forEach((_, s) => lines.push(`    ${stageNodeId(p, s)} --> ${stageNodeId(p, s + 1)}`));
    pipeline.stages.forEach((stage, s) => {
        for (const condition of stage.conditions.filter((c) => c.startsWith("on failure"))) {
            lines.push(`    ${stageNodeId(p, s)} -. "${escape(condition)}" .-> ${stageNodeId(p, s)}`);
        }
    });
    return [...lines, "  end"];
}

export function renderMermaid(stack: string, pipelines: PlannedPipeline[]): string {
    const header = [
        `%% Offline plan of stack ${stack}: pipeline stages (generated; not a Pulumi preview)`,
        "flowchart TB",
    ];
    return [...header, ...pipelines.flatMap(pipelineBlock)].join("\n") + "\n";
}
