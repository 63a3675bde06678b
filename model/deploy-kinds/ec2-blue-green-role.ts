import { allow, ANY_RESOURCE, type Statement } from "../iam/document";
import * as names from "../names";

/** What the blue/green statements need to know about the deployment group. */
export interface BlueGreenRoleInput {
    /** The deployment group (its name prefixes the copies' names). */
    readonly deploymentGroup: string;
    /** The one Auto Scaling group CodeDeploy copies. */
    readonly originalGroup: string;
    readonly targetGroups: readonly string[];
    readonly launchTemplateId: string;
    readonly instanceRoleArn: string;
}

/**
 * What a blue/green deployment that copies an Auto Scaling group adds to the CodeDeploy service role, from the
 * AWS managed `AWSCodeDeployRole` and the service-role page's note on launch templates (`ec2:RunInstances`,
 * `ec2:CreateTags`, `iam:PassRole`), each scoped as far as the Service Authorization Reference allows: the
 * original group and its copies, the configured target groups, launches from the group's launch template only,
 * the instance role passed to EC2 only, and termination of the two groups' instances only.
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRole.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html
 */
export function blueGreenStatements(ctx: names.NameContext, x: BlueGreenRoleInput): (Statement | undefined)[] {
    const original = names.autoScalingGroupArnPattern(ctx, x.originalGroup);
    const copies = names.codeDeployCopiedGroupArnPattern(ctx, x.deploymentGroup);
    const launched = ["instance", "volume", "network-interface"].map((t) => names.ec2ResourceArnPattern(ctx, t));
    const template = names.launchTemplateArn(ctx, x.launchTemplateId);
    return [
        allow("CreateCopiedGroup", ["autoscaling:CreateAutoScalingGroup"], [copies]),
        allow("ManageOriginalAndCopiedGroups", GROUP_ACTIONS, [original, copies]),
        // Reads without a resource type: "*" is the only valid Resource.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
        allow("DescribeGroupsAndTargets", DESCRIBE_ACTIONS, [ANY_RESOURCE]),
        allow(
            "MoveTraffic",
            ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            x.targetGroups.map((t) => names.targetGroupArnPattern(ctx, t)),
        ),
        allow(
            "LaunchFromGroupTemplate",
            ["ec2:RunInstances"],
            [
                template,
                ...launched,
                ...["subnet", "security-group", "key-pair"].map((t) => names.ec2ResourceArnPattern(ctx, t)),
                names.ec2ImageArnPattern(ctx),
            ],
            { StringEquals: { "ec2:LaunchTemplate": template } },
        ),
        allow("TagLaunchedInstances", ["ec2:CreateTags"], launched, {
            StringEquals: { "ec2:CreateAction": "RunInstances" },
        }),
        allow("PassInstanceRole", ["iam:PassRole"], [x.instanceRoleArn], {
            StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" },
        }),
        // Auto Scaling tags its instances with their group's name: only the two groups' instances may go.
        allow("TerminateReplacedInstances", ["ec2:TerminateInstances"], [launched[0]], {
            StringLike: {
                "aws:ResourceTag/aws:autoscaling:groupName": [x.originalGroup, `CodeDeploy_${x.deploymentGroup}_*`],
            },
        }),
    ];
}

const GROUP_ACTIONS = [
    "autoscaling:UpdateAutoScalingGroup",
    "autoscaling:DeleteAutoScalingGroup",
    "autoscaling:CreateOrUpdateTags",
    "autoscaling:SuspendProcesses",
    "autoscaling:ResumeProcesses",
    "autoscaling:EnableMetricsCollection",
    "autoscaling:AttachLoadBalancerTargetGroups",
    "autoscaling:DetachLoadBalancerTargetGroups",
    "autoscaling:PutScalingPolicy",
    "autoscaling:PutScheduledUpdateGroupAction",
    "autoscaling:PutNotificationConfiguration",
    "autoscaling:PutWarmPool",
];

const DESCRIBE_ACTIONS = [
    "autoscaling:DescribePolicies",
    "autoscaling:DescribeScheduledActions",
    "autoscaling:DescribeNotificationConfigurations",
    "autoscaling:DescribeWarmPool",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
];
