import type * as aws from "@pulumi/aws";
import { ACTIONS, cloudWatchAlarmRule, deploymentWindowRule } from "../model/actions";
import type {
    ActionModel,
    ConditionRuleModel,
    StageEntryCondition,
    StageFailure,
    StageModel,
    StageSuccessCondition,
    TriggerModel,
} from "../model/pipeline";

type StageInput = aws.types.input.codepipeline.PipelineStage;
type ActionInput = aws.types.input.codepipeline.PipelineStageAction;
type TriggerInput = aws.types.input.codepipeline.PipelineTrigger;

/** One planned action as provider input; owner and version come from the action's record. */
function actionInput(action: ActionModel): ActionInput {
    const record = ACTIONS[action.record];
    return {
        name: action.name,
        category: action.category,
        owner: record.owner,
        provider: action.provider,
        version: record.version,
        runOrder: action.runOrder,
        configuration: { ...action.configuration },
        inputArtifacts: [...action.inputArtifacts],
        outputArtifacts: [...action.outputArtifacts],
        ...(action.roleArn ? { roleArn: action.roleArn } : {}),
        ...(action.timeoutInMinutes ? { timeoutInMinutes: action.timeoutInMinutes } : {}),
        ...(action.namespace ? { namespace: action.namespace } : {}),
        ...(action.region ? { region: action.region } : {}),
    };
}

/** Stage conditions (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html). */
function onFailure(failure: StageFailure | undefined): Pick<StageInput, "onFailure"> {
    if (!failure) return {};
    return failure.result === "ROLLBACK"
        ? { onFailure: { result: "ROLLBACK" } }
        : { onFailure: { result: "RETRY", retryConfiguration: { retryMode: failure.retryMode } } };
}

/** A rule's type from its record (`model/actions/`), by provider. */
const RULE_RECORDS = { CloudWatchAlarm: cloudWatchAlarmRule, DeploymentWindow: deploymentWindowRule } as const;

const ruleInputs = (rules: readonly ConditionRuleModel[]) =>
    rules.map((rule) => {
        const record = RULE_RECORDS[rule.provider];
        return {
            name: rule.name,
            ruleTypeId: {
                category: record.category,
                owner: record.owner,
                provider: rule.provider,
                version: record.version,
            },
            configuration: { ...rule.configuration },
            ...(rule.region ? { region: rule.region } : {}),
        };
    });

function onSuccess(success: StageSuccessCondition | undefined): Pick<StageInput, "onSuccess"> {
    if (!success) return {};
    return { onSuccess: { condition: { result: success.result, rules: ruleInputs(success.rules) } } };
}

function beforeEntry(entry: StageEntryCondition | undefined): Pick<StageInput, "beforeEntry"> {
    if (!entry) return {};
    return { beforeEntry: { condition: { result: entry.result, rules: ruleInputs(entry.rules) } } };
}

/** The model's stages as `aws.codepipeline.Pipeline` input. */
export const stageInputs = (stages: readonly StageModel[]): StageInput[] =>
    stages.map((stage) => ({
        name: stage.name,
        actions: stage.actions.map(actionInput),
        ...onFailure(stage.onFailure),
        ...onSuccess(stage.onSuccess),
        ...beforeEntry(stage.beforeEntry),
    }));

/** A filter with only its non-empty lists, as mutable arrays. */
const filter = (f: { readonly includes?: readonly string[]; readonly excludes?: readonly string[] }) => ({
    ...(f.includes ? { includes: [...f.includes] } : {}),
    ...(f.excludes ? { excludes: [...f.excludes] } : {}),
});

/** A V2 push trigger; filter lists are only set when non-empty (CodePipeline rejects empty ones). */
export function triggerInputs(trigger: TriggerModel | undefined, sourceActionName: string): TriggerInput[] | undefined {
    if (!trigger) return undefined;
    return [
        {
            providerType: "CodeStarSourceConnection",
            gitConfiguration: {
                sourceActionName,
                pushes: [
                    {
                        branches: filter(trigger.branches),
                        ...(trigger.filePaths ? { filePaths: filter(trigger.filePaths) } : {}),
                    },
                ],
            },
        },
    ];
}
