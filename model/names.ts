/**
 * Physical names and ARNs, derived purely from configuration so that IAM documents can be built (and tested)
 * without waiting for any resource to exist.
 */

/**
 * CodePipeline stores a pipeline's artifacts under a folder named after the pipeline, cut to its first 20
 * characters (observed behaviour, see https://repost.aws/questions/QUI91tw7A9SUOMohJurNqmgA). Roles are scoped to
 * that folder, so the folder must be predictable and distinct per pipeline in one artifact bucket; validation
 * rejects services whose folders would collide. If AWS ever changed the rule, the scoped roles would fail closed
 * (AccessDenied), never open.
 */
export const ARTIFACT_FOLDER_LENGTH = 20;

/** Everything a name or ARN depends on. */
export interface NameContext {
    readonly environment: string;
    readonly accountId: string;
    readonly region: string;
    /** AWS partition, `aws` outside China and GovCloud. */
    readonly partition: string;
}

/** What every pipeline name of an environment ends with; the delivery-metrics rule matches on it. */
export const pipelineNameSuffix = (ctx: NameContext): string => `-${ctx.environment}`;
export const pipelineName = (ctx: NameContext, service: string): string => `${service}${pipelineNameSuffix(ctx)}`;

export const artifactFolder = (ctx: NameContext, service: string): string =>
    pipelineName(ctx, service).slice(0, ARTIFACT_FOLDER_LENGTH);

/**
 * Inside the pipeline's folder, CodePipeline stores each output artifact under a folder named after the artifact,
 * cut to its first 10 characters (`SourceOutp/`, `BuildOutpu/`). AWS documents only the pipeline folder
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ArtifactStore.html); this is observed
 * behaviour, like the 20 characters above. Writes scoped to these folders fail closed (AccessDenied) if AWS changed
 * it, never open.
 */
export const ARTIFACT_NAME_FOLDER_LENGTH = 10;

/** The prefix (no trailing `/`) under which one output artifact of a pipeline is stored. */
export const artifactPrefix = (folder: string, artifact: string): string =>
    `${folder}/${artifact.slice(0, ARTIFACT_NAME_FOLDER_LENGTH)}`;

/** All of an environment's roles live under one IAM path, which the KMS key policy matches on. */
export const rolePath = (ctx: NameContext): string => `/cicd/${ctx.environment}/`;

export type RoleKind = "pipeline" | "build" | "test" | "deploy" | "release";

export const roleName = (ctx: NameContext, service: string, kind: RoleKind): string =>
    `${service}-${ctx.environment}-${kind}`;

export const roleArn = (ctx: NameContext, service: string, kind: RoleKind): string =>
    `arn:${ctx.partition}:iam::${ctx.accountId}:role${rolePath(ctx)}${roleName(ctx, service, kind)}`;

/** Matches every role of the environment, whatever its service (used in key and bucket policy conditions). */
export const environmentRoleArnPattern = (ctx: NameContext): string =>
    `arn:${ctx.partition}:iam::${ctx.accountId}:role${rolePath(ctx)}*`;

export const artifactBucketName = (ctx: NameContext): string =>
    `cicd-artifacts-${ctx.environment}-${ctx.accountId}-${ctx.region}`;

export const bucketArn = (ctx: NameContext, bucket: string): string => `arn:${ctx.partition}:s3:::${bucket}`;

export const projectName = (ctx: NameContext, service: string, id: string): string =>
    `${pipelineName(ctx, service)}-${id}`;

export const projectArn = (ctx: NameContext, name: string): string =>
    `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.accountId}:project/${name}`;

export const reportGroupName = (project: string): string => `${project}-reports`;

export const reportGroupArn = (ctx: NameContext, project: string): string =>
    `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.accountId}:report-group/${reportGroupName(project)}`;

/** Log groups of an environment share a prefix so one KMS key-policy condition covers them all. */
export const logGroupPrefix = (ctx: NameContext): string => `/cicd/${ctx.environment}/`;

export const logGroupName = (ctx: NameContext, project: string): string => `${logGroupPrefix(ctx)}codebuild/${project}`;

export const logGroupArn = (ctx: NameContext, name: string): string =>
    `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${name}`;

export const pipelineArn = (ctx: NameContext, service: string): string =>
    `arn:${ctx.partition}:codepipeline:${ctx.region}:${ctx.accountId}:${pipelineName(ctx, service)}`;

export const codeDeployApplicationName = (ctx: NameContext, service: string): string => pipelineName(ctx, service);

/** One deployment group per application, named like it. */
export const codeDeployGroupName = (ctx: NameContext, service: string): string => pipelineName(ctx, service);

export const codeDeployApplicationArn = (ctx: NameContext, application: string): string =>
    `arn:${ctx.partition}:codedeploy:${ctx.region}:${ctx.accountId}:application:${application}`;

export const codeDeployGroupArn = (ctx: NameContext, application: string, group: string): string =>
    `arn:${ctx.partition}:codedeploy:${ctx.region}:${ctx.accountId}:deploymentgroup:${application}/${group}`;

export const deploymentConfigArn = (ctx: NameContext, configName: string): string =>
    `arn:${ctx.partition}:codedeploy:${ctx.region}:${ctx.accountId}:deploymentconfig:${configName}`;

export const topicName = (ctx: NameContext, purpose: string): string => `cicd-${ctx.environment}-${purpose}`;

/** The environment's pipeline-events topic. */
export const notificationTopicName = (ctx: NameContext): string => topicName(ctx, "pipeline-events");

/** A pipeline's approval topic. */
export const approvalTopicName = (ctx: NameContext, service: string): string => topicName(ctx, `${service}-approval`);

export const topicArn = (ctx: NameContext, name: string): string =>
    `arn:${ctx.partition}:sns:${ctx.region}:${ctx.accountId}:${name}`;

/** S3 build cache of one pipeline's projects, in the environment's artifact bucket (outside any artifact folder). */
export const buildCachePrefix = (ctx: NameContext, service: string): string => `cache/${pipelineName(ctx, service)}`;

export const codeCommitRepositoryArn = (ctx: NameContext, repository: string): string =>
    `arn:${ctx.partition}:codecommit:${ctx.region}:${ctx.accountId}:${repository}`;

/** Parameter Store names start with `/`, which the ARN keeps after `parameter`. */
export const ssmParameterArn = (ctx: NameContext, name: string): string =>
    `arn:${ctx.partition}:ssm:${ctx.region}:${ctx.accountId}:parameter${name}`;

export const ecrRepositoryArn = (ctx: NameContext, repository: string): string =>
    `arn:${ctx.partition}:ecr:${ctx.region}:${ctx.accountId}:repository/${repository}`;

export const ecsServiceArn = (ctx: NameContext, cluster: string, service: string): string =>
    `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:service/${cluster}/${service}`;

/** Task definitions of this account and region: the family is the running service's, which config does not name. */
export const ecsTaskDefinitionArnPattern = (ctx: NameContext): string =>
    `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:task-definition/*`;

/** Tasks of one cluster (their ids are generated by ECS). */
export const ecsTaskArnPattern = (ctx: NameContext, cluster: string): string =>
    `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:task/${cluster}/*`;

/** Container instances of one cluster, the resource `ecs:ListTasks` is authorised on. */
export const ecsContainerInstanceArnPattern = (ctx: NameContext, cluster: string): string =>
    `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:container-instance/${cluster}/*`;

/** Task sets of one ECS service (their ids are generated by ECS). */
export const ecsTaskSetArnPattern = (ctx: NameContext, cluster: string, service: string): string =>
    `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:task-set/${cluster}/${service}/*`;

export const lambdaFunctionArn = (ctx: NameContext, functionName: string): string =>
    `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:function:${functionName}`;

export const cloudWatchAlarmArn = (ctx: NameContext, alarm: string): string =>
    `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${alarm}`;

/** `...:listener/app/<lb>/<id>/<id>` → its rules `...:listener-rule/app/<lb>/<id>/<id>/*`. */
export const listenerRuleArnPattern = (listenerArn: string): string =>
    `${listenerArn.replace(":listener/", ":listener-rule/")}/*`;

export const accountRootArn = (ctx: NameContext, accountId = ctx.accountId): string =>
    `arn:${ctx.partition}:iam::${accountId}:root`;

/** The environment's KMS key alias. */
export const artifactKeyAlias = (ctx: NameContext): string => `alias/cicd-${ctx.environment}`;

/** The environment's one EventBridge role, shared by its CodeCommit- and S3-sourced pipelines. */
export const sourceEventsRoleName = (ctx: NameContext): string => `cicd-${ctx.environment}-source-events`;

export const sourceEventsRoleArn = (ctx: NameContext): string =>
    `arn:${ctx.partition}:iam::${ctx.accountId}:role${rolePath(ctx)}${sourceEventsRoleName(ctx)}`;

/** Managed policy attached to whoever may approve a pipeline's releases. */
export const approverPolicyName = (ctx: NameContext, service: string): string =>
    `${pipelineName(ctx, service)}-approver`;

export const managedPolicyArn = (ctx: NameContext, name: string): string =>
    `arn:${ctx.partition}:iam::${ctx.accountId}:policy${rolePath(ctx)}${name}`;

/** A pipeline's CodeStar Notifications rule. */
export const notificationRuleName = (ctx: NameContext, service: string): string =>
    `${pipelineName(ctx, service)}-events`;

/** Every pipeline of the account and region: for trust conditions that cannot name one pipeline. */
export const pipelineArnPattern = (ctx: NameContext): string =>
    `arn:${ctx.partition}:codepipeline:${ctx.region}:${ctx.accountId}:*`;

/** A manual approval action of a pipeline (what `codepipeline:PutApprovalResult` is authorised on). */
export const approvalActionArn = (ctx: NameContext, service: string, stage: string, action: string): string =>
    `${pipelineArn(ctx, service)}/${stage}/${action}`;

export const partitionOf = (region: string): string =>
    region.startsWith("cn-") ? "aws-cn" : region.includes("-gov-") ? "aws-us-gov" : "aws";

// --- Delivery metrics (DORA): the environment's handler, its log group and role, event rule, dashboard, alarms ---

export const deliveryMetricsName = (ctx: NameContext): string => `cicd-${ctx.environment}-delivery-metrics`;

/** Under the environment's log-group prefix, so the environment key's CloudWatch Logs statement covers it. */
export const deliveryMetricsLogGroupName = (ctx: NameContext): string =>
    `${logGroupPrefix(ctx)}lambda/${deliveryMetricsName(ctx)}`;

export const deliveryMetricsRoleArn = (ctx: NameContext): string =>
    `arn:${ctx.partition}:iam::${ctx.accountId}:role${rolePath(ctx)}${deliveryMetricsName(ctx)}`;

export const deliveryEventsRuleName = (ctx: NameContext): string => `cicd-${ctx.environment}-delivery-events`;

/**
 * The rule that starts a CodeCommit- or S3-sourced (or release-fed) pipeline. Named, not autonamed, so the
 * dead-letter queue's policy can tell this environment's rules from others of the account: service names are at most
 * 30 characters and environment names 10, so the name stays within EventBridge's 64.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
 */
export const sourceChangeRuleName = (ctx: NameContext, service: string): string =>
    `${pipelineName(ctx, service)}-source-change`;

/** A rule on the default event bus. */
export const eventRuleArn = (ctx: NameContext, rule: string): string =>
    `arn:${ctx.partition}:events:${ctx.region}:${ctx.accountId}:rule/${rule}`;

/**
 * Every source-change rule of the environment. Environment names carry no hyphen (`stacks/environment-schema.ts`),
 * so `-<env>-source-change` ends the rule names of this environment only.
 */
export const sourceChangeRuleArnPattern = (ctx: NameContext): string =>
    eventRuleArn(ctx, `*${pipelineNameSuffix(ctx)}-source-change`);

/**
 * The environment's one dead-letter queue for the events its rules' targets could not take (SQS allows 80
 * characters: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html).
 */
export const eventsDeadLetterQueueName = (ctx: NameContext): string => `cicd-${ctx.environment}-events-dlq`;

export const sqsQueueArn = (ctx: NameContext, queue: string): string =>
    `arn:${ctx.partition}:sqs:${ctx.region}:${ctx.accountId}:${queue}`;

export const deliveryDashboardName = (ctx: NameContext): string => `cicd-${ctx.environment}-delivery`;

export const deliveryAlarmName = (ctx: NameContext, what: string): string => `cicd-${ctx.environment}-${what}`;

// --- Release chain (build once, promote): each environment's release bucket and the objects of one release ---

/**
 * The environment's release location: a bucket of its own rather than a prefix of the artifact bucket, because the
 * artifact bucket expires current objects after twice the retention (a release must outlive that) and is written
 * by every pipeline role of the environment, while the release bucket admits exactly one writer per service: the
 * upstream environment's release role.
 */
export const releaseBucketName = (ctx: NameContext): string =>
    `cicd-releases-${ctx.environment}-${ctx.accountId}-${ctx.region}`;

/** One service's prefix in a release bucket: the only place its upstream release role may write. */
export const releasePrefix = (service: string): string => `releases/${service}`;

/** The deployable release (the build output plus `release.json`); a new version of it starts the next pipeline. */
export const releaseObjectKey = (service: string): string => `${releasePrefix(service)}/release.zip`;

/** The source snapshot of the same commit, which the post-deploy test suites run from. */
export const releaseSourceKey = (service: string): string => `${releasePrefix(service)}/source.zip`;

/** Another environment's name context, from its `environment.release.from`/`promoteTo` entry. */
export const linkContext = (link: { environment: string; accountId: string; region: string }): NameContext => ({
    environment: link.environment,
    accountId: link.accountId,
    region: link.region,
    partition: partitionOf(link.region),
});

/** Any KMS key of an account and region: for grants that a condition (encryption context) narrows to one bucket. */
export const kmsKeyArnPattern = (ctx: NameContext): string =>
    `arn:${ctx.partition}:kms:${ctx.region}:${ctx.accountId}:key/*`;

/** A pipeline execution in the console (linked from the release's provenance and the prod approval). */
export const pipelineExecutionUrl = (ctx: NameContext, service: string, executionId: string): string =>
    `https://${ctx.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${pipelineName(ctx, service)}/executions/${executionId}/timeline?region=${ctx.region}`;

/**
 * The log group CodePipeline's Lambda deploy action writes to, named by region and pipeline.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html
 */
export const lambdaDeployLogGroupArn = (ctx: NameContext, pipeline: string): string =>
    `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:/${ctx.region}/codepipeline/${pipeline}`;

/** An Auto Scaling group by name (its ARN also carries a generated id, matched by `*`). */
export const autoScalingGroupArnPattern = (ctx: NameContext, group: string): string =>
    `arn:${ctx.partition}:autoscaling:${ctx.region}:${ctx.accountId}:autoScalingGroup:*:autoScalingGroupName/${group}`;

/** The custom CodeDeploy deployment configuration of a service that asks for a minimum of healthy hosts. */
export const customDeploymentConfigName = (ctx: NameContext, service: string): string =>
    `${pipelineName(ctx, service)}-min-healthy`;

/** A CloudFormation stack by name (its ARN also carries a generated id, matched by `*`). */
export const cloudFormationStackArnPattern = (ctx: NameContext, stack: string): string =>
    `arn:${ctx.partition}:cloudformation:${ctx.region}:${ctx.accountId}:stack/${stack}/*`;

/** The change set a CloudFormation deploy prepares and executes. */
export const changeSetName = (ctx: NameContext, service: string): string => `${pipelineName(ctx, service)}-release`;

/**
 * The Auto Scaling groups CodeDeploy creates when a blue/green deployment copies `group`'s deployment group. The
 * CodeDeploy guide does not document their names; they are observed as `CodeDeploy_<deployment group>_<deployment
 * id>`. Roles scoped to this pattern fail closed (AccessDenied) if AWS named them otherwise.
 */
export const codeDeployCopiedGroupArnPattern = (ctx: NameContext, deploymentGroup: string): string =>
    autoScalingGroupArnPattern(ctx, `CodeDeploy_${deploymentGroup}_*`);

export const targetGroupArnPattern = (ctx: NameContext, targetGroup: string): string =>
    `arn:${ctx.partition}:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/${targetGroup}/*`;

export const launchTemplateArn = (ctx: NameContext, id: string): string =>
    `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:launch-template/${id}`;

/** Resources of one EC2 type in the account and region (`instance`, `volume`, …), e.g. those a launch creates. */
export const ec2ResourceArnPattern = (ctx: NameContext, type: string): string =>
    `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:${type}/*`;

/** AMIs of the region: public and shared images carry no account in their ARN. */
export const ec2ImageArnPattern = (ctx: NameContext): string => `arn:${ctx.partition}:ec2:${ctx.region}::image/*`;

/** Managed policy the instances' role of an EC2 deploy attaches, to download the pipeline's revisions. */
export const revisionReaderPolicyName = (ctx: NameContext, service: string): string =>
    `${pipelineName(ctx, service)}-revision-reader`;
