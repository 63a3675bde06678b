// Reads the stage structure of every recorded aws:codepipeline/pipeline:Pipeline from its `stages`
// input, generically: no knowledge of how the program builds pipelines. Field names are the
// provider's (https://www.pulumi.com/registry/packages/aws/api-docs/codepipeline/pipeline/).
import type { PlannedResource } from "./types";

export const PIPELINE_TYPE = "aws:codepipeline/pipeline:Pipeline";

export interface PlannedAction {
    name: string;
    category: string;
    provider: string;
    runOrder: number;
}

export interface PlannedStage {
    name: string;
    /** Actions grouped by runOrder, ascending: actions in one group run in parallel. */
    groups: PlannedAction[][];
    /** Human-readable stage conditions: "on failure: ROLLBACK", "before entry: ...". */
    conditions: string[];
    isApprovalGate: boolean;
}

export interface PlannedPipeline {
    name: string;
    urn: string;
    parent?: string;
    pipelineType: string;
    executionMode: string;
    stages: PlannedStage[];
}

type Json = Record<string, any>;

export function plannedPipelines(resources: PlannedResource[]): PlannedPipeline[] {
    return resources.filter((r) => r.type === PIPELINE_TYPE).map(toPipeline);
}

function toPipeline(resource: PlannedResource): PlannedPipeline {
    const inputs = resource.inputs as Json;
    return {
        name: resource.name,
        urn: resource.urn,
        parent: resource.parent,
        // Provider defaults (V1, SUPERSEDED) when the input is absent: shown, never hidden.
        pipelineType: typeof inputs.pipelineType === "string" ? inputs.pipelineType : "V1 (provider default)",
        executionMode: typeof inputs.executionMode === "string" ? inputs.executionMode : "SUPERSEDED (default)",
        stages: asArray(inputs.stages).map(toStage),
    };
}

function toStage(stage: Json): PlannedStage {
    const actions: PlannedAction[] = asArray(stage.actions).map((a: Json) => ({
        name: String(a.name ?? "?"),
        category: String(a.category ?? "?"),
        provider: String(a.provider ?? "?"),
        runOrder: typeof a.runOrder === "number" ? a.runOrder : 1,
    }));
    const orders = [...new Set(actions.map((a) => a.runOrder))].sort((x, y) => x - y);
    return {
        name: String(stage.name ?? "?"),
        groups: orders.map((order) => actions.filter((a) => a.runOrder === order)),
        conditions: stageConditions(stage),
        isApprovalGate: actions.some((a) => a.category === "Approval"),
    };
}

function stageConditions(stage: Json): string[] {
    const out: string[] = [];
    const describe = (label: string, block: Json | undefined) => {
        if (!block) return;
        const condition = block.condition as Json | undefined;
        const result = block.result ?? condition?.result;
        const retry = block.retryConfiguration?.retryMode;
        const rules = asArray(condition?.rules).map((r: Json) => r.ruleTypeId?.provider ?? r.name);
        const parts = [
            result,
            retry ? `retry ${retry}` : undefined,
            rules.length ? `rules: ${rules.join(", ")}` : undefined,
        ];
        out.push(`${label}: ${parts.filter(Boolean).join(", ") || "condition"}`);
    };
    describe("before entry", stage.beforeEntry);
    describe("on failure", stage.onFailure);
    describe("on success", stage.onSuccess);
    return out;
}

function asArray(value: unknown): any[] {
    return Array.isArray(value) ? value : [];
}
