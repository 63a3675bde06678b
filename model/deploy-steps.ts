import type { CheckConfig } from "../stacks/checks";
import type { ConfigIssue } from "../stacks/config-error";
import type { ServiceConfig } from "../stacks/service-schema";
import { ACTIONS } from "./actions";
import { deployKind, type DeployContext, type DeployStep, type ReviewStep } from "./deploy-kinds";
import type { ActionModel, ApprovalModel, StageModel } from "./pipeline";

/** The Deploy stage's action names and approval actions a pipeline's approvers may answer. */
export interface DeployActions {
    readonly actions: ActionModel[];
    /** Names of the review actions in the Deploy stage (answered with the pipeline's approval policy). */
    readonly reviews: string[];
}

const isReview = (step: DeployStep | ReviewStep): step is ReviewStep => "review" in step;

const checkAction = (check: CheckConfig, runOrder: number): ActionModel => ({
    id: `check-${check.name}`,
    name: check.name,
    record: "lambdaInvoke",
    category: ACTIONS.lambdaInvoke.category,
    provider: ACTIONS.lambdaInvoke.provider,
    runOrder,
    configuration: {
        FunctionName: check.functionName,
        ...(check.userParameters === undefined
            ? {}
            : {
                  UserParameters:
                      typeof check.userParameters === "string"
                          ? check.userParameters
                          : JSON.stringify(check.userParameters),
              }),
    },
    inputArtifacts: [],
    outputArtifacts: [],
});

/**
 * The Deploy stage's actions, one after another: checks that run before the deploy (side by side), the kind's
 * steps (a review only where the pipeline asks for approval, through its approval topic), then checks that run
 * after it. Actions with a higher `runOrder` start only when the lower ones succeeded.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html
 */
export function deployActions(
    service: ServiceConfig,
    x: DeployContext,
    approval: ApprovalModel | undefined,
    crossAccountRole: string | undefined,
): DeployActions {
    const kind = deployKind(service.deploy);
    const steps = kind.steps?.(service.deploy, x) ?? [
        {
            id: "deploy",
            name: "Deploy",
            action: kind.action,
            configuration: kind.configuration(service.deploy, x),
            inputArtifacts: kind.inputArtifacts(service.deploy, x),
        },
    ];
    const before = service.checks.filter((c) => c.when === "before-deploy");
    const after = service.checks.filter((c) => c.when === "after-deploy");
    const actions: ActionModel[] = before.map((c) => checkAction(c, 1));
    const reviews: string[] = [];
    let order = before.length > 0 ? 2 : 1;
    for (const step of steps) {
        if (isReview(step)) {
            if (!approval) continue;
            reviews.push(step.review.name);
            actions.push({
                id: `review-${step.review.name}`,
                name: step.review.name,
                record: "manualApproval",
                category: "Approval",
                provider: ACTIONS.manualApproval.provider,
                runOrder: order++,
                configuration: {
                    NotificationArn: approval.topicArn,
                    CustomData: step.review.customData,
                    ...(step.review.externalEntityLink ? { ExternalEntityLink: step.review.externalEntityLink } : {}),
                },
                inputArtifacts: [],
                outputArtifacts: [],
                timeoutInMinutes: approval.timeoutMinutes,
            });
            continue;
        }
        const record = ACTIONS[step.action];
        actions.push({
            id: step.id,
            name: step.name,
            record: step.action,
            category: record.category,
            provider: record.provider,
            runOrder: order++,
            configuration: step.configuration,
            inputArtifacts: step.inputArtifacts,
            outputArtifacts: [],
            ...(crossAccountRole ? { roleArn: crossAccountRole } : {}),
        });
    }
    actions.push(...after.map((c) => checkAction(c, order)));
    return { actions, reviews };
}

/**
 * A check's name is its action's name, which must not be one the stage already gives the deploy's own actions
 * (`Deploy`, `CreateChangeSet`, a wave's `Deploy-<region>`…). The AWS CDK reference states that action names are
 * unique within a stage (https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_codepipeline.CommonActionProps.html);
 * CodePipeline's ActionDeclaration reference (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html)
 * does not say, so a clash is refused here rather than left to `UpdatePipeline`.
 */
export function checkNameClashes(service: ServiceConfig, index: number, stages: readonly StageModel[]): ConfigIssue[] {
    return service.checks.flatMap((check, j) => {
        const id = `check-${check.name}`;
        const stage = stages.find((s) => s.actions.some((a) => a.id === id));
        const taken = stage?.actions.find((a) => a.id !== id && a.name === check.name && !a.id.startsWith("check-"));
        return stage && taken
            ? [
                  {
                      path: ["services", index, "checks", j, "name"],
                      message: `is "${check.name}", the name the ${stage.name} stage already gives the ${service.deploy.kind} deploy's ${taken.category} action; action names are unique within a stage. Rename the check.`,
                  },
              ]
            : [];
    });
}
