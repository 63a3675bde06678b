// Reads the stage structure of every aws:codepipeline/pipeline:Pipeline from its `stages` input,
// generically: no knowledge of how the program builds pipelines. Field names are the provider's
// (https://www.pulumi.com/registry/packages/aws/api-docs/codepipeline/pipeline/).
import { PIPELINE_TYPE, type Resource, UNKNOWN } from "../shared/resource";

export interface PlannedAction {
    name: string;
    category: string;
    provider: string;
    runOrder: number;
    /** What a Deploy action changes (cluster/service, function:alias, bucket, stack), if it says. */
    target?: string;
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
    pipelineType: string;
    executionMode: string;
    stages: PlannedStage[];
}

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown, fallback = "?") => (typeof v === "string" ? v : fallback);

export function plannedPipelines(resources: Resource[]): PlannedPipeline[] {
    return resources.filter((r) => r.type === PIPELINE_TYPE).map(toPipeline);
}

function toPipeline(resource: Resource): PlannedPipeline {
    const inputs = resource.inputs;
    return {
        name: resource.name,
        urn: resource.urn,
        // Provider defaults (V1, SUPERSEDED) when the input is absent: shown, never hidden.
        pipelineType: text(inputs.pipelineType, "V1 (provider default)"),
        executionMode: text(inputs.executionMode, "SUPERSEDED (default)"),
        stages: list(inputs.stages).map(record).map(toStage),
    };
}

function toStage(stage: Json): PlannedStage {
    const actions: PlannedAction[] = list(stage.actions)
        .map(record)
        .map((a) => ({
            name: text(a.name),
            category: text(a.category),
            provider: text(a.provider),
            runOrder: typeof a.runOrder === "number" ? a.runOrder : 1,
            ...(a.category === "Deploy"
                ? { target: deployTarget(text(a.provider), record(a.configuration), a.roleArn) }
                : {}),
        }));
    const orders = [...new Set(actions.map((a) => a.runOrder))].sort((x, y) => x - y);
    return {
        name: text(stage.name),
        groups: orders.map((order) => actions.filter((a) => a.runOrder === order)),
        conditions: stageConditions(stage),
        isApprovalGate: actions.some((a) => a.category === "Approval"),
    };
}

/**
 * The configuration keys naming what each deploy provider changes, from the CodePipeline action
 * reference: action-reference-ECS.html (ClusterName, ServiceName), action-reference-ECSbluegreen.html
 * and action-reference-CodeDeploy.html (ApplicationName, DeploymentGroupName),
 * action-reference-LambdaDeploy.html (FunctionName, FunctionAlias), action-reference-S3Deploy.html
 * (BucketName, ObjectKey), action-reference-CloudFormation.html (StackName), all under
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/
 */
const TARGET_KEYS: Record<string, [string, string?, string?]> = {
    ECS: ["ClusterName", "ServiceName", "/"],
    CodeDeployToECS: ["ApplicationName", "DeploymentGroupName", "/"],
    CodeDeploy: ["ApplicationName", "DeploymentGroupName", "/"],
    Lambda: ["FunctionName", "FunctionAlias", ":"],
    S3: ["BucketName", "ObjectKey", "/"],
    CloudFormation: ["StackName"],
};

function deployTarget(provider: string, configuration: Json, roleArn: unknown): string | undefined {
    const keys = TARGET_KEYS[provider];
    if (!keys) return undefined;
    const [first, second, separator] = keys;
    const show = (v: unknown) => (v === UNKNOWN ? "(known after deploy)" : text(v, ""));
    const parts = [show(configuration[first]), second ? show(configuration[second]) : ""].filter(Boolean);
    // The action's role names the account the deploy runs in when it is another one.
    const account = typeof roleArn === "string" ? /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1] : undefined;
    return parts.length ? `${parts.join(separator ?? "")}${account ? ` (account ${account})` : ""}` : undefined;
}

function stageConditions(stage: Json): string[] {
    const out: string[] = [];
    const describe = (label: string, value: unknown) => {
        if (!value) return;
        const block = record(value);
        const condition = record(block.condition);
        const result = block.result ?? condition.result;
        const retry = record(block.retryConfiguration).retryMode;
        const rules = list(condition.rules)
            .map(record)
            .map((r) => record(r.ruleTypeId).provider ?? r.name);
        const parts = [
            typeof result === "string" ? result : undefined,
            typeof retry === "string" ? `retry ${retry}` : undefined,
            rules.length ? `rules: ${rules.join(", ")}` : undefined,
        ];
        out.push(`${label}: ${parts.filter(Boolean).join(", ") || "condition"}`);
    };
    describe("before entry", stage.beforeEntry);
    describe("on failure", stage.onFailure);
    describe("on success", stage.onSuccess);
    return out;
}
