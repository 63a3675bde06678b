import type { DeployConfigOf } from "../../stacks/deploy-kinds";
import { allow, ANY_RESOURCE, type Statement } from "../iam/document";
import * as names from "../names";
import type { DeployContext, DeployKindRecord } from "./types";

/**
 * All traffic moves at once after the green task set is healthy (alarms still roll it back).
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
 */
export const ECS_DEPLOYMENT_CONFIG = "CodeDeployDefault.ECSAllAtOnce";

const listeners = (config: DeployConfigOf<"ecs-blue-green">): string[] =>
    config.testListenerArn ? [config.listenerArn, config.testListenerArn] : [config.listenerArn];

/**
 * Lambda functions CodeDeploy may invoke as the appspec's lifecycle hooks (`AfterAllowTestTraffic` and the rest).
 * The config does not name them, so they follow AWS's own `CodeDeployHook_` convention (the managed
 * `AWSCodeDeployRoleForLambda` and `AWSCodeDeployRoleForCloudFormation` policies allow `function:CodeDeployHook_*`),
 * narrowed to this service (`CodeDeployHook_<service>` or `CodeDeployHook_<service>-<anything>`) in the
 * environment's account and region; `:*` admits a qualified (version or alias) invocation of the plain name.
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForCloudFormation.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html
 */
export const hookFunctionArns = (ctx: names.NameContext, service: string): string[] => {
    const name = `CodeDeployHook_${service}`;
    return [name, `${name}:*`, `${name}-*`].map((n) => names.lambdaFunctionArn(ctx, n));
};

/**
 * The CodeDeploy service role: the AWS managed `AWSCodeDeployRoleForECS` cut down to this service's resources (no
 * SNS triggers or S3 reads, as none are configured; Lambda hooks only under this service's hook names).
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForECS.html
 */
function codeDeployRoleStatements(
    ctx: DeployContext,
    config: DeployConfigOf<"ecs-blue-green">,
): (Statement | undefined)[] {
    return [
        allow(
            "EcsService",
            ["ecs:DescribeServices", "ecs:UpdateServicePrimaryTaskSet"],
            [names.ecsServiceArn(ctx, config.cluster, config.service)],
        ),
        allow(
            "EcsTaskSets",
            ["ecs:CreateTaskSet", "ecs:DeleteTaskSet"],
            [names.ecsTaskSetArnPattern(ctx, config.cluster, config.service)],
        ),
        allow("ShiftListeners", ["elasticloadbalancing:ModifyListener"], listeners(config)),
        allow(
            "ShiftListenerRules",
            ["elasticloadbalancing:ModifyRule"],
            listeners(config).map(names.listenerRuleArnPattern),
        ),
        // The ELB Describe calls have no resource type: "*" is the only valid Resource.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
        allow(
            "DescribeLoadBalancing",
            [
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeRules",
                "elasticloadbalancing:DescribeTargetGroups",
            ],
            [ANY_RESOURCE],
        ),
        allow(
            "DescribeRollbackAlarms",
            ["cloudwatch:DescribeAlarms"],
            config.alarms.map((a) => names.cloudWatchAlarmArn(ctx, a)),
        ),
        allow("InvokeLifecycleHooks", ["lambda:InvokeFunction"], hookFunctionArns(ctx, ctx.service)),
        allow("PassTaskRoles", ["iam:PassRole"], config.passRoleArns, {
            StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
        }),
    ];
}

/**
 * Blue/green through CodeDeploy: the `CodeDeployToECS` action renders the task definition and AppSpec templates
 * from the build artifact, and CodeDeploy shifts the listeners.
 *
 * With a test listener, CodeDeploy points it at green before production traffic moves, and green's test window is
 * the service's own `AfterAllowTestTraffic` hooks (Lambda functions named in its `appspec.yaml`): CodeDeploy waits
 * for each hook to report success, and a failing hook rolls the deployment back.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-ecs.html
 *
 * The ready option is therefore `CONTINUE_DEPLOYMENT` with or without a test listener. `STOP_DEPLOYMENT` holds
 * green until someone calls `ContinueDeployment` and stops the deployment when its `waitTimeInMinutes` runs out;
 * nothing in the platform calls it, so every deployment would stop and roll back. `waitTimeInMinutes` is not set:
 * the reference says it applies only to `STOP_DEPLOYMENT` (CodeDeploy answers a `CONTINUE_DEPLOYMENT` with a wait
 * with InvalidBlueGreenDeploymentConfigurationException, as reported in
 * https://github.com/hashicorp/terraform-provider-aws/issues/9653), so a `testTrafficMinutes` window cannot be
 * expressed and is not sent.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentReadyOption.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html
 */
export const ecsBlueGreen: DeployKindRecord<"ecs-blue-green"> = {
    kind: "ecs-blue-green",
    action: "codeDeployToEcs",
    translation: "codedeploy",
    configuration: (config, x) => ({
        ApplicationName: names.codeDeployApplicationName(x, x.service),
        DeploymentGroupName: names.codeDeployGroupName(x, x.service),
        TaskDefinitionTemplateArtifact: x.buildArtifact,
        // Registered as is but for the image placeholder, so its ARNs must be this environment's account's: one
        // template per environment where a release built once deploys to several
        // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html).
        TaskDefinitionTemplatePath: config.taskDefinitionTemplatePath,
        AppSpecTemplateArtifact: x.buildArtifact,
        AppSpecTemplatePath: "appspec.yaml",
        Image1ArtifactName: x.buildArtifact,
        Image1ContainerName: "IMAGE1_NAME",
    }),
    inputArtifacts: (_config, x) => [x.buildArtifact],
    permissionContext: (config) => ({ passRoleArns: config.passRoleArns, deploymentConfigName: ECS_DEPLOYMENT_CONFIG }),
    // CodeDeploy watches the alarms itself and rolls the deployment back.
    rollbackAlarms: () => [],
    targetAccount: () => undefined,
    codeDeploy: (config, x) => ({
        applicationName: names.codeDeployApplicationName(x, x.service),
        computePlatform: "ECS",
        deploymentGroupName: names.codeDeployGroupName(x, x.service),
        deploymentConfigName: ECS_DEPLOYMENT_CONFIG,
        alarms: config.alarms,
        ecs: {
            cluster: config.cluster,
            service: config.service,
            listenerArn: config.listenerArn,
            testListenerArn: config.testListenerArn,
            targetGroups: config.targetGroups,
            ready: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
            terminationWaitMinutes: config.terminationWaitMinutes,
        },
        roleStatements: codeDeployRoleStatements(x, config),
    }),
};
