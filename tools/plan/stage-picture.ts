import type { PlannedAction, PlannedPipeline, PlannedStage } from "./pipeline-model";

const action = (a: PlannedAction) => `${a.name} (${a.category}/${a.provider})${a.target ? ` -> ${a.target}` : ""}`;

/**
 * One block per pipeline: a line per stage and runOrder group; actions sharing a runOrder run in
 * parallel and are joined with " | "; approval stages are marked as gates; stage conditions follow.
 */
export function renderStagePicture(pipeline: PlannedPipeline): string[] {
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
