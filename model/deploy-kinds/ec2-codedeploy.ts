import type { DeployConfigOf } from "../../stacks/deploy-kinds";
import { allow, ANY_RESOURCE, type Statement } from "../iam/document";
import * as names from "../names";
import { blueGreenStatements } from "./ec2-blue-green-role";
import type { DeployContext, DeployKindRecord } from "./types";

type Config = DeployConfigOf<"ec2-codedeploy">;

/** The predefined configuration's name, or the service's custom one. */
const deploymentConfigName = (config: Config, x: DeployContext): string =>
    typeof config.deploymentConfig === "string"
        ? config.deploymentConfig
        : names.customDeploymentConfigName(x, x.service);

/**
 * The CodeDeploy service role of an in-place EC2/on-premises deployment group: the AWS managed `AWSCodeDeployRole`
 * cut down to what this group uses. CodeDeploy finds the instances (by tag or by Auto Scaling group), installs a
 * lifecycle hook on each group so that instances launched during or after the deployment get the revision, and
 * reads the rollback alarms. Blue/green adds what copying the group and moving its traffic takes
 * (`blueGreenStatements`). No SNS trigger or classic load balancer is configured, so none of the policy's SNS or
 * classic ELB actions is granted.
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRole.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html
 */
function roleStatements(ctx: names.NameContext, config: Config, service: string): (Statement | undefined)[] {
    const groups = config.autoScalingGroups ?? [];
    const deploymentGroup = names.codeDeployGroupName(ctx, service);
    const blueGreen = config.blueGreen;
    return [
        allow(
            "GroupLifecycleHooks",
            [
                "autoscaling:PutLifecycleHook",
                "autoscaling:DeleteLifecycleHook",
                "autoscaling:CompleteLifecycleAction",
                "autoscaling:RecordLifecycleActionHeartbeat",
            ],
            [
                ...groups.map((g) => names.autoScalingGroupArnPattern(ctx, g)),
                ...(blueGreen ? [names.codeDeployCopiedGroupArnPattern(ctx, deploymentGroup)] : []),
            ],
        ),
        // These reads have no resource type, so "*" is the only valid Resource:
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
        allow(
            "FindInstances",
            [
                "ec2:DescribeInstances",
                "ec2:DescribeInstanceStatus",
                ...(groups.length > 0
                    ? ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeLifecycleHooks"]
                    : []),
            ],
            [ANY_RESOURCE],
        ),
        allow(
            "DescribeRollbackAlarms",
            ["cloudwatch:DescribeAlarms"],
            config.alarms.map((a) => names.cloudWatchAlarmArn(ctx, a)),
        ),
        ...(blueGreen
            ? blueGreenStatements(ctx, {
                  deploymentGroup,
                  originalGroup: groups[0],
                  instanceRoleArn: config.instanceRoleArn,
                  ...blueGreen,
              })
            : []),
    ];
}

/**
 * Deployment to EC2 instances, in place or blue/green by copying an Auto Scaling group, through CodePipeline's
 * `CodeDeploy` action: the build artifact is the revision (with `appspec.yml` at its root), CodeDeploy's agent on
 * each instance downloads it with the instance role and runs its hooks, and CodeDeploy stops and rolls back the
 * deployment when an alarm fires or the deployment fails.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeDeploy.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-in-place.html
 */
export const ec2CodeDeploy: DeployKindRecord<"ec2-codedeploy"> = {
    kind: "ec2-codedeploy",
    action: "codeDeploy",
    translation: "codedeploy",
    configuration: (_config, x) => ({
        ApplicationName: names.codeDeployApplicationName(x, x.service),
        DeploymentGroupName: names.codeDeployGroupName(x, x.service),
    }),
    inputArtifacts: (_config, x) => [x.buildArtifact],
    // The pipeline role reads the group's deployment configuration; the custom one is named like the pipeline.
    permissionContext: () => ({}),
    // CodeDeploy watches the alarms itself and rolls the deployment back.
    rollbackAlarms: () => [],
    targetAccount: () => undefined,
    codeDeploy: (config, x) => ({
        applicationName: names.codeDeployApplicationName(x, x.service),
        computePlatform: "Server",
        deploymentGroupName: names.codeDeployGroupName(x, x.service),
        deploymentConfigName: deploymentConfigName(config, x),
        alarms: config.alarms,
        server: {
            autoScalingGroups: config.autoScalingGroups ?? [],
            instanceRoleArn: config.instanceRoleArn,
            ec2TagFilters: config.ec2TagFilters ?? [],
            ...(typeof config.deploymentConfig === "string"
                ? {}
                : { minimumHealthyHostsPercent: config.deploymentConfig.minimumHealthyHostsPercent }),
            ...(config.blueGreen
                ? {
                      blueGreen: {
                          targetGroups: config.blueGreen.targetGroups,
                          terminateAfterMinutes: config.blueGreen.terminateAfterMinutes,
                      },
                  }
                : {}),
        },
        roleStatements: roleStatements(x, config, x.service),
    }),
};
