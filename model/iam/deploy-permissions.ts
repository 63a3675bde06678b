import { codeDeployConfigName, type DeployConfigOf, type DeployKindName } from "../deploy-kinds";
import * as names from "../names";
import { ARTIFACT_READ_KMS, keyUsage, prefixObjects } from "./artifacts";
import { allow, ANY_RESOURCE, type Statement } from "./document";

/** What a deploy kind's permissions may depend on. */
export interface DeployPermissionContext {
    readonly ctx: names.NameContext;
    readonly service: string;
    readonly artifactFolder: string;
    readonly keyArn: string;
    readonly bucketName: string;
}

interface KindPermissions<K extends DeployKindName> {
    /** What the pipeline role needs to run the Deploy action itself (same-account deploys only). */
    pipeline(config: DeployConfigOf<K>, x: DeployPermissionContext): (Statement | undefined)[];
    /** The CodeDeploy service role's permissions, for kinds CodeDeploy carries out. */
    codeDeploy?(config: DeployConfigOf<K>, x: DeployPermissionContext): (Statement | undefined)[];
}

/**
 * What the CodeDeploy actions (`CodeDeploy`, `CodeDeployToECS`) call on the pipeline's behalf, on this pipeline's
 * application, deployment group and configuration only.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html#how-to-custom-role
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
 */
function codeDeployActionStatements(
    config: DeployConfigOf<"ecs-blue-green" | "lambda-canary">,
    x: DeployPermissionContext,
): (Statement | undefined)[] {
    // The same name the deployment group is created with, so the grant follows the configuration.
    const configName = codeDeployConfigName(config);
    if (!configName) throw new Error(`deploy kind ${config.kind} has no CodeDeploy configuration`);
    return [
        allow(
            "CodeDeployApplication",
            [
                "codedeploy:GetApplication",
                "codedeploy:GetApplicationRevision",
                "codedeploy:RegisterApplicationRevision",
            ],
            [names.codeDeployApplicationArn(x.ctx, x.service)],
        ),
        allow(
            "CodeDeployDeployment",
            ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"],
            [names.codeDeployGroupArn(x.ctx, x.service)],
        ),
        allow("CodeDeployConfig", ["codedeploy:GetDeploymentConfig"], [names.deploymentConfigArn(x.ctx, configName)]),
    ];
}

/** Task definitions of this account and region: the family is the running service's, which config does not name. */
const taskDefinitions = (ctx: names.NameContext): string =>
    `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:task-definition/*`;

/**
 * Registering a task definition revision (and tagging it while registering, which is all `ecs:CreateAction`
 * allows) is harmless on its own: what a task can do comes from the roles passed to it, and PassRole is limited to
 * the service's own roles.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html
 */
function registerTaskDefinition(ctx: names.NameContext, passRoleArns: readonly string[]): (Statement | undefined)[] {
    return [
        allow("RegisterTaskDefinition", ["ecs:RegisterTaskDefinition"], [taskDefinitions(ctx)]),
        allow("TagTaskDefinitionOnRegister", ["ecs:TagResource"], [taskDefinitions(ctx)], {
            StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" },
        }),
        allow("PassTaskRoles", ["iam:PassRole"], passRoleArns, {
            StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
        }),
    ];
}

/** CloudWatch alarms CodeDeploy watches to stop and roll back a deployment. */
const describeAlarms = (ctx: names.NameContext, alarms: readonly string[]): Statement | undefined =>
    allow(
        "DescribeRollbackAlarms",
        ["cloudwatch:DescribeAlarms"],
        alarms.map((a) => names.cloudWatchAlarmArn(ctx, a)),
    );

/** One entry per deploy kind: adding a kind adds one entry here (the compiler insists). */
export const DEPLOY_PERMISSIONS: { readonly [K in DeployKindName]: KindPermissions<K> } = {
    /**
     * CodePipeline's `ECS` action reads the service and its task definition, registers a new revision with the
     * built image and updates the service, then watches its tasks.
     * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html#action-reference-ECS-service-role
     */
    "ecs-rolling": {
        pipeline: (config, { ctx }) => [
            allow(
                "EcsService",
                ["ecs:DescribeServices", "ecs:UpdateService"],
                [names.ecsServiceArn(ctx, config.cluster, config.service)],
            ),
            allow(
                "EcsServiceTasks",
                ["ecs:DescribeTasks"],
                [`arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:task/${config.cluster}/*`],
            ),
            allow(
                "EcsClusterTaskList",
                ["ecs:ListTasks"],
                [`arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:container-instance/${config.cluster}/*`],
            ),
            // DescribeTaskDefinition has no resource type: "*" is the only valid Resource.
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
            allow("DescribeTaskDefinition", ["ecs:DescribeTaskDefinition"], [ANY_RESOURCE]),
            ...registerTaskDefinition(ctx, config.passRoleArns),
        ],
    },
    /**
     * `CodeDeployToECS` registers the task definition rendered from the artifact, then hands the AppSpec to
     * CodeDeploy, whose own role shifts the traffic.
     * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html
     */
    "ecs-blue-green": {
        pipeline: (config, x) => [
            ...codeDeployActionStatements(config, x),
            ...registerTaskDefinition(x.ctx, config.passRoleArns),
        ],
        codeDeploy: (config, { ctx }) => [
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
            allow("ShiftListenerRules", ["elasticloadbalancing:ModifyRule"], listeners(config).map(listenerRules)),
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
            describeAlarms(ctx, config.alarms),
            allow("PassTaskRoles", ["iam:PassRole"], config.passRoleArns, {
                StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
            }),
        ],
    },
    /**
     * The `CodeDeploy` action registers the revision (appspec in the build artifact) and starts the deployment;
     * CodeDeploy then reads the revision and moves the alias.
     * https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html
     */
    "lambda-canary": {
        pipeline: (config, x) => codeDeployActionStatements(config, x),
        codeDeploy: (config, x) => {
            const fn = names.lambdaFunctionArn(x.ctx, config.functionName);
            return [
                allow("ShiftAlias", ["lambda:GetAlias", "lambda:UpdateAlias"], [fn, `${fn}:${config.alias}`]),
                allow(
                    "ReadProvisionedConcurrency",
                    ["lambda:GetProvisionedConcurrencyConfig"],
                    [`${fn}:${config.alias}`],
                ),
                describeAlarms(x.ctx, config.alarms),
                prefixObjects(x.ctx, "ReadRevision", x.bucketName, x.artifactFolder, [
                    "s3:GetObject",
                    "s3:GetObjectVersion",
                ]),
                keyUsage("DecryptRevision", x.keyArn, ARTIFACT_READ_KMS),
            ];
        },
    },
    /**
     * The `S3` deploy action extracts the artifact into the site bucket. No canned ACL is configured, so
     * `s3:PutObjectAcl` is not needed.
     * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html
     */
    "s3-site": {
        pipeline: (config, { ctx }) => [
            allow("DeploySite", ["s3:PutObject"], [`${names.bucketArn(ctx, config.bucket)}/*`]),
        ],
    },
};

const listeners = (config: DeployConfigOf<"ecs-blue-green">): string[] =>
    config.testListenerArn ? [config.listenerArn, config.testListenerArn] : [config.listenerArn];

/** `...:listener/app/<lb>/<id>/<id>` → its rules `...:listener-rule/app/<lb>/<id>/<id>/*`. */
const listenerRules = (listenerArn: string): string => `${listenerArn.replace(":listener/", ":listener-rule/")}/*`;

/** The kind's statements, typed by its config. */
export function kindPermissions(config: DeployConfigOf<DeployKindName>): KindPermissions<DeployKindName> {
    return DEPLOY_PERMISSIONS[config.kind] as KindPermissions<DeployKindName>;
}
