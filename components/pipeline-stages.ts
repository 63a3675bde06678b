import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ActionModel, StageFailure, StageModel, TriggerModel } from "../model/pipeline";

type StageInput = aws.types.input.codepipeline.PipelineStage;
type ActionInput = aws.types.input.codepipeline.PipelineStageAction;
type TriggerInput = aws.types.input.codepipeline.PipelineTrigger;

/** Outputs only known once resources exist, merged into the model's actions by action id. */
export interface ActionBindings {
    readonly [actionId: string]: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

function actionInput(action: ActionModel, bindings: ActionBindings): ActionInput {
    const bound = bindings[action.id];
    return {
        name: action.name,
        category: action.category,
        owner: "AWS",
        provider: action.provider,
        version: "1",
        runOrder: action.runOrder,
        configuration: bound ?? { ...action.configuration },
        inputArtifacts: [...action.inputArtifacts],
        outputArtifacts: [...action.outputArtifacts],
        ...(action.roleArn ? { roleArn: action.roleArn } : {}),
        ...(action.timeoutInMinutes ? { timeoutInMinutes: action.timeoutInMinutes } : {}),
    };
}

/** Stage conditions (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html). */
function onFailure(failure: StageFailure | undefined): Pick<StageInput, "onFailure"> {
    if (!failure) return {};
    return failure.result === "ROLLBACK"
        ? { onFailure: { result: "ROLLBACK" } }
        : { onFailure: { result: "RETRY", retryConfiguration: { retryMode: failure.retryMode } } };
}

/** The model's stages as `aws.codepipeline.Pipeline` input. */
export const stageInputs = (stages: readonly StageModel[], bindings: ActionBindings): StageInput[] =>
    stages.map((stage) => ({
        name: stage.name,
        actions: stage.actions.map((a) => actionInput(a, bindings)),
        ...onFailure(stage.onFailure),
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
