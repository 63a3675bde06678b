import { ConfigError, type ConfigIssue, type ConfigSources } from "../stacks/config-error";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import type { PlatformConfig } from "../stacks/platform-config";
import type { ServiceConfig } from "../stacks/service-schema";
import { buildPlanIssues } from "./build-rules";
import { deployKind } from "./deploy-kinds";
import { checkNameClashes } from "./deploy-steps";
import { approverPolicy } from "./iam/approver-policy";
import { artifactBucketPolicy, type CrossAccountReader } from "./iam/bucket-policy";
import { buildRolePolicy } from "./iam/build-role";
import { deployRolePolicy } from "./iam/deploy-role";
import type { EnvironmentRefs, PolicyDocument } from "./iam/document";
import { eventsAssumeRolePolicy, eventsRolePolicy } from "./iam/events-role";
import { artifactKeyPolicy } from "./iam/key-policy";
import { pipelineRolePolicy } from "./iam/pipeline-role";
import { revisionReaderPolicy } from "./iam/revision-reader";
import { testRolePolicy } from "./iam/test-role";
import { releaseRolePolicy } from "./iam/release-role";
import { releaseBucketPolicy, upstreamKeyStatement } from "./iam/release-bucket-policy";
import { releaseEventPattern, startsFromRelease } from "./release";
import { topicPolicy } from "./iam/topic-policy";
import { assumeRolePolicy, pipelineTrustSourceArn, type ServicePrincipal } from "./iam/trust";
import { planDeliveryMetrics, type DeliveryMetricsModel } from "./metrics";
import { planEventsDeadLetterQueue, type DeadLetterQueuePlan } from "./dead-letter-queue";
import * as names from "./names";
import { buildPipelineModel, contractViolations, nameContext, type PipelineModel } from "./pipeline";

export type Tier = EnvironmentConfig["tier"];

/**
 * Tag keys every resource of a stack carries (through the provider's default tags), so that the policy pack and
 * people can tell production from the rest without knowing stack names.
 */
export const ENVIRONMENT_TAG = "cicd:environment";
export const TIER_TAG = "cicd:tier";

/** An encrypted SNS topic: name, planned ARN, subscribers and policy. */
export interface TopicPlan {
    readonly name: string;
    readonly arn: string;
    readonly emails: readonly string[];
    readonly policy: PolicyDocument;
}

/** An IAM role of a pipeline, with its trust and a policy that names the environment key once it exists. */
export interface RolePlan {
    readonly kind: names.RoleKind;
    readonly name: string;
    readonly path: string;
    readonly arn: string;
    readonly trustPolicy: PolicyDocument;
    policy(refs: EnvironmentRefs): PolicyDocument | undefined;
}

/** How runs start: V2 push triggers (CodeConnections) or an EventBridge rule (CodeCommit, S3). */
export type ChangeDetection =
    | { readonly kind: "trigger" }
    | {
          readonly kind: "eventbridge";
          /** The rule's name (`names.sourceChangeRuleName`), which the dead-letter queue's policy matches on. */
          readonly ruleName: string;
          readonly pattern: Record<string, unknown>;
          readonly roleArn: string;
      };

export interface ApprovalPlan {
    readonly topic: TopicPlan;
    readonly approverPolicyName: string;
    readonly approverPolicyPath: string;
    readonly approverPolicyArn: string;
    readonly approverPolicy: PolicyDocument;
    readonly description: string;
}

export interface PipelinePlan extends PipelineModel {
    readonly pipelineArn: string;
    /** Tags the pipeline's components add to what the provider's default tags carry. */
    readonly tags: Readonly<Record<string, string>>;
    readonly roleDefinitions: readonly RolePlan[];
    readonly approvalPlan?: ApprovalPlan;
    readonly changeDetection: ChangeDetection;
    readonly notificationRuleName: string;
    /** The policy an EC2 deploy's instance role attaches to download this pipeline's revisions. */
    readonly revisionReader?: RevisionReaderPlan;
}

/** A managed policy the platform creates for a role it does not own (the EC2 instances'). */
export interface RevisionReaderPlan {
    readonly instanceRoleArn: string;
    readonly policyName: string;
    readonly policyPath: string;
    readonly policyArn: string;
    policy(refs: EnvironmentRefs): PolicyDocument;
}

/** Waves: the environment's artifact store in another region (its own bucket and KMS key). */
export interface RegionalStorePlan {
    readonly region: string;
    readonly bucketName: string;
    readonly keyAlias: string;
    readonly keyDescription: string;
    readonly keyPolicy: PolicyDocument;
    bucketPolicy(keyArn: string): PolicyDocument;
}

export interface ArtifactStorePlan {
    readonly bucketName: string;
    readonly keyAlias: string;
    readonly keyDescription: string;
    /** Key and bucket survive `pulumi destroy` and removal from the program (always in production). */
    readonly protect: boolean;
    readonly retentionDays: number;
    readonly keyPolicy: PolicyDocument;
    bucketPolicy(keyArn: string): PolicyDocument;
    readonly crossAccountReaders: readonly CrossAccountReader[];
    /** Waves: one store per other region any pipeline deploys to. */
    readonly regions: readonly RegionalStorePlan[];
}

/** The environment's release location (release chain): versioned, TLS-only, encrypted with the environment key. */
export interface ReleaseStorePlan {
    readonly bucketName: string;
    /** Releases and their provenance outlive `pulumi destroy` where the artifacts do. */
    readonly protect: boolean;
    /** Days a superseded release version is kept (rollback to it stays possible until then). */
    readonly noncurrentDays: number;
    bucketPolicy(keyArn: string): PolicyDocument;
}

export interface SourceEventsPlan {
    readonly roleName: string;
    readonly rolePath: string;
    readonly roleArn: string;
    readonly trustPolicy: PolicyDocument;
    readonly policy: PolicyDocument;
}

/** The AWS provider every resource is created with. */
export interface ProviderPlan {
    readonly region: string;
    /** `pulumi up` with another account's credentials refuses to run. */
    readonly allowedAccountIds: readonly string[];
    readonly defaultTags: Readonly<Record<string, string>>;
}

/** Everything the components and IAM documents need for one environment, as plain data. */
export interface EnvironmentPlan {
    readonly ctx: names.NameContext;
    readonly name: string;
    readonly tier: Tier;
    readonly provider: ProviderPlan;
    readonly artifactStore: ArtifactStorePlan;
    /** Present where pipelines start from releases (`verify` and `release` environments). */
    readonly releaseStore?: ReleaseStorePlan;
    readonly notifications: TopicPlan;
    readonly sourceEvents?: SourceEventsPlan;
    readonly pipelines: readonly PipelinePlan[];
    /** DORA metrics: event rule, handler, dashboard and alarms. */
    readonly metrics: DeliveryMetricsModel;
    /** Where every EventBridge target of the environment sends the events it could not deliver. */
    readonly eventsDeadLetterQueue: DeadLetterQueuePlan;
}

export interface PlanOptions {
    /** Stack file named in errors, like `Pulumi.prod.yaml`. */
    readonly stackFile: string;
    /** The stack's `aws:defaultTags` tags; the environment and tier tags are added (and win). @default {} */
    readonly stackDefaultTags?: Readonly<Record<string, string>>;
    /** Which file set each service's values (from `loadPlatformConfig`), named in errors. @default the stack file */
    readonly configSources?: Pick<ConfigSources, "originOf">;
}

const PRINCIPALS: Readonly<Record<names.RoleKind, ServicePrincipal>> = {
    pipeline: "codepipeline.amazonaws.com",
    build: "codebuild.amazonaws.com",
    test: "codebuild.amazonaws.com",
    deploy: "codedeploy.amazonaws.com",
    release: "codebuild.amazonaws.com",
};

/**
 * The whole environment as data: names, tags, every pipeline's stages and actions (validated against their action
 * records), change detection, approvals, and the key, bucket, topic and role policies. Pure: it creates nothing,
 * and throws a `ConfigError` naming the service when a plan would break an AWS contract.
 */
export function planEnvironment(config: PlatformConfig, options: PlanOptions): EnvironmentPlan {
    const env = config.environment;
    const ctx = nameContext(env);
    const issues = [...planRules(config, ctx)];
    const pipelines = config.services.map((service, i) => {
        const model = buildPipelineModel(env, service);
        issues.push(...contractViolations(model).map((message) => ({ path: ["services", i], message })));
        issues.push(...checkNameClashes(service, i, model.stages));
        return pipelinePlan(env, ctx, service, model);
    });
    if (issues.length > 0)
        throw new ConfigError(options.stackFile, issues, {
            serviceNames: config.services.map((s) => s.name),
            originOf: options.configSources?.originOf,
        });
    const readers = crossAccountReaders(env, pipelines);
    const bucketName = names.artifactBucketName(ctx);
    const notifications = topicPlan(ctx, names.notificationTopicName(ctx), env.notifications.emails, true);
    const releaseWriters =
        env.release?.from && startsFromRelease(env) ? [upstreamKeyStatement(ctx, env.release.from)] : [];
    const protect = env.tier === "production" || env.dataProtection === true;
    const sourced = pipelines.filter((p) => p.changeDetection.kind === "eventbridge").map((p) => p.service);
    const eventsDeadLetterQueue = planEventsDeadLetterQueue(ctx);
    return {
        ctx,
        name: env.name,
        tier: env.tier,
        provider: {
            region: env.region,
            allowedAccountIds: [env.accountId],
            defaultTags: { ...options.stackDefaultTags, [ENVIRONMENT_TAG]: env.name, [TIER_TAG]: env.tier },
        },
        artifactStore: {
            bucketName,
            keyAlias: names.artifactKeyAlias(ctx),
            keyDescription: `CI/CD artifacts, logs and notifications of ${env.name}`,
            protect,
            retentionDays: env.artifactRetentionDays,
            keyPolicy: artifactKeyPolicy(ctx, {
                bucketName,
                crossAccountReaders: readers,
                releaseWriters,
                revisionReaders: [
                    ...new Set(pipelines.flatMap((p) => (p.revisionReader ? [p.revisionReader.instanceRoleArn] : []))),
                ],
                eventsDeadLetterQueueArn: eventsDeadLetterQueue.arn,
            }),
            bucketPolicy: (keyArn) => artifactBucketPolicy(ctx, { bucketName, keyArn, crossAccountReaders: readers }),
            crossAccountReaders: readers,
            regions: regionalStores(ctx, env, pipelines),
        },
        releaseStore: startsFromRelease(env)
            ? {
                  bucketName: names.releaseBucketName(ctx),
                  protect,
                  noncurrentDays: Math.max(env.artifactRetentionDays, 90),
                  bucketPolicy: (keyArn) => releaseBucketPolicy(ctx, { keyArn, from: env.release?.from }),
              }
            : undefined,
        notifications,
        sourceEvents:
            sourced.length > 0
                ? {
                      roleName: names.sourceEventsRoleName(ctx),
                      rolePath: names.rolePath(ctx),
                      roleArn: names.sourceEventsRoleArn(ctx),
                      trustPolicy: eventsAssumeRolePolicy(ctx),
                      policy: eventsRolePolicy(ctx, sourced),
                  }
                : undefined,
        pipelines,
        metrics: planDeliveryMetrics(env, pipelines),
        eventsDeadLetterQueue,
    };
}

/** The same key and bucket policies as the home store's, in each other region the pipelines deploy to. */
function regionalStores(
    ctx: names.NameContext,
    env: EnvironmentConfig,
    pipelines: readonly PipelinePlan[],
): RegionalStorePlan[] {
    const regions = [...new Set(pipelines.flatMap((p) => p.regions))].sort();
    return regions.map((region) => {
        const rctx = { ...ctx, region };
        const bucketName = names.artifactBucketName(rctx);
        return {
            region,
            bucketName,
            keyAlias: names.artifactKeyAlias(rctx),
            keyDescription: `CI/CD artifacts of ${env.name} in ${region}`,
            keyPolicy: artifactKeyPolicy(rctx, { bucketName, crossAccountReaders: [] }),
            bucketPolicy: (keyArn) => artifactBucketPolicy(rctx, { bucketName, keyArn, crossAccountReaders: [] }),
        };
    });
}

/** A topic; the environment's notifications topic also takes CodeStar notifications and the delivery alarms. */
function topicPlan(ctx: names.NameContext, name: string, emails: readonly string[], notify: boolean): TopicPlan {
    const arn = names.topicArn(ctx, name);
    const policy = topicPolicy(ctx, { topicArn: arn, allowNotifications: notify, allowAlarms: notify });
    return { name, arn, emails, policy };
}

function pipelinePlan(
    env: EnvironmentConfig,
    ctx: names.NameContext,
    service: ServiceConfig,
    model: PipelineModel,
): PipelinePlan {
    const roleDefinitions = model.roles.map((kind): RolePlan => ({
        kind,
        name: names.roleName(ctx, service.name, kind),
        path: names.rolePath(ctx),
        arn: names.roleArn(ctx, service.name, kind),
        trustPolicy: assumeRolePolicy(
            ctx,
            PRINCIPALS[kind],
            kind === "pipeline" ? pipelineTrustSourceArn(ctx) : undefined,
        ),
        policy: (refs) =>
            kind === "pipeline"
                ? pipelineRolePolicy(ctx, model, service, refs)
                : kind === "build"
                  ? buildRolePolicy(ctx, model, service, refs)
                  : kind === "test"
                    ? testRolePolicy(ctx, model, refs)
                    : kind === "release"
                      ? releaseRolePolicy(ctx, env, model, service, refs)
                      : deployRolePolicy(model),
    }));
    const approval = model.approval;
    const approverPolicyName = names.approverPolicyName(ctx, service.name);
    return {
        ...model,
        pipelineArn: names.pipelineArn(ctx, service.name),
        tags: { service: service.name, pipeline: model.pipelineName },
        roleDefinitions,
        approvalPlan: approval
            ? {
                  topic: topicPlan(ctx, approval.topicName, env.approval.emails, false),
                  approverPolicyName,
                  approverPolicyPath: names.rolePath(ctx),
                  approverPolicyArn: names.managedPolicyArn(ctx, approverPolicyName),
                  approverPolicy: approverPolicy(ctx, {
                      service: service.name,
                      stageName: approval.stageName,
                      actionName: approval.actionName,
                      reviews: approval.reviews,
                  }),
                  description: `Approve or reject ${model.pipelineName} at ${approval.stageName}/${approval.actionName}`,
              }
            : undefined,
        // Pipelines fed by releases start on a new release version, never on a git push.
        changeDetection: startsFromRelease(env)
            ? {
                  kind: "eventbridge",
                  ruleName: names.sourceChangeRuleName(ctx, service.name),
                  roleArn: names.sourceEventsRoleArn(ctx),
                  pattern: releaseEventPattern(ctx, service.name),
              }
            : changeDetection(ctx, service),
        notificationRuleName: names.notificationRuleName(ctx, service.name),
        revisionReader: revisionReaderPlan(ctx, model),
    };
}

function revisionReaderPlan(ctx: names.NameContext, model: PipelineModel): RevisionReaderPlan | undefined {
    const instanceRoleArn = model.codeDeploy?.server?.instanceRoleArn;
    if (!instanceRoleArn) return undefined;
    const policyName = names.revisionReaderPolicyName(ctx, model.service);
    return {
        instanceRoleArn,
        policyName,
        policyPath: names.rolePath(ctx),
        policyArn: names.managedPolicyArn(ctx, policyName),
        policy: (refs) =>
            revisionReaderPolicy(ctx, {
                bucketName: refs.bucketName,
                folder: model.artifactFolder,
                keyArn: refs.keyArn,
            }),
    };
}

/**
 * EventBridge pattern that starts the pipeline: a push to the branch for CodeCommit; a new object for S3 (the
 * source bucket must send events to EventBridge, which config requires: `source.eventBridgeEnabled`).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/update-change-detection.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
 */
function changeDetection(ctx: names.NameContext, service: ServiceConfig): ChangeDetection {
    const roleArn = names.sourceEventsRoleArn(ctx);
    const ruleName = names.sourceChangeRuleName(ctx, service.name);
    switch (service.source.kind) {
        case "codestar":
            return { kind: "trigger" };
        case "codecommit":
            return {
                kind: "eventbridge",
                ruleName,
                roleArn,
                pattern: {
                    source: ["aws.codecommit"],
                    "detail-type": ["CodeCommit Repository State Change"],
                    resources: [names.codeCommitRepositoryArn(ctx, service.source.repository)],
                    detail: {
                        event: ["referenceCreated", "referenceUpdated"],
                        referenceType: ["branch"],
                        referenceName: [service.source.branch],
                    },
                },
            };
        case "s3":
            return {
                kind: "eventbridge",
                ruleName,
                roleArn,
                pattern: {
                    source: ["aws.s3"],
                    "detail-type": ["Object Created"],
                    detail: { bucket: { name: [service.source.bucket] }, object: { key: [service.source.objectKey] } },
                },
            };
    }
}

/** Deploy roles in other accounts, each with the artifact folders of the pipelines that deploy there. */
function crossAccountReaders(env: EnvironmentConfig, pipelines: readonly PipelinePlan[]): CrossAccountReader[] {
    return Object.entries(env.deployRoleArns).flatMap(([accountId, roleArn]) => {
        const folders = pipelines
            .filter((p) => deployKind(p.deploy).targetAccount(p.deploy) === accountId)
            .map((p) => p.artifactFolder);
        return folders.length > 0 && accountId !== env.accountId ? [{ accountId, roleArn, folders }] : [];
    });
}

/** Rules that need the model's names or buildspecs, so they run here rather than in `stacks/rules.ts`. */
function planRules(config: PlatformConfig, ctx: names.NameContext): ConfigIssue[] {
    const { services, environment } = config;
    const folders = services.map((service) => names.artifactFolder(ctx, service.name));
    const collisions = services.flatMap((service, i): ConfigIssue[] => {
        const first = folders.indexOf(folders[i]);
        if (first === i || services[first].name === service.name) return [];
        return [
            {
                path: ["services", i, "name"],
                message: `gives the artifact folder "${folders[i]}", the same as \`cicd:services.${services[first].name}\` (CodePipeline keeps only the first ${names.ARTIFACT_FOLDER_LENGTH} characters of the pipeline name). Make the names differ within their first ${names.ARTIFACT_FOLDER_LENGTH - environment.name.length - 1} characters.`,
            },
        ];
    });
    return [...collisions, ...buildPlanIssues(environment, services)];
}
