import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eventsAssumeRolePolicy, eventsRolePolicy } from "../model/iam/events-role";
import type { NameContext } from "../model/names";
import { nameContext } from "../model/pipeline";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import type { SourceConfig } from "../stacks/service-schema";

export interface SourceEventsArgs {
    readonly environment: EnvironmentConfig;
    /** Services whose pipelines EventBridge may start (those with CodeCommit or S3 sources). */
    readonly services: readonly string[];
}

/**
 * The environment's one EventBridge role for CodeCommit and S3 sources, shared by their pipelines so that no
 * pipeline needs a fourth role. CodeConnections sources need none: their V2 triggers start the pipeline.
 */
export class SourceEvents extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: SourceEventsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:source:SourceEvents", name, {}, opts);
        if (args.services.length === 0) {
            throw new pulumi.ResourceError(
                "`services` is empty: create SourceEvents only when a service has a CodeCommit or S3 source.",
                this,
            );
        }
        const ctx = nameContext(args.environment);
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: `cicd-${ctx.environment}-source-events`,
                path: `/cicd/${ctx.environment}/`,
                assumeRolePolicy: JSON.stringify(eventsAssumeRolePolicy(ctx)),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-policy`,
            { role: role.id, policy: JSON.stringify(eventsRolePolicy(ctx, args.services)) },
            { parent: this },
        );
        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}

/**
 * EventBridge pattern that starts the pipeline: a push to the branch for CodeCommit; a new object for S3 (the
 * source bucket must send events to EventBridge: https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html).
 */
export function sourceEventPattern(source: SourceConfig, ctx: NameContext): Record<string, unknown> | undefined {
    switch (source.kind) {
        case "codecommit":
            return {
                source: ["aws.codecommit"],
                "detail-type": ["CodeCommit Repository State Change"],
                resources: [`arn:${ctx.partition}:codecommit:${ctx.region}:${ctx.accountId}:${source.repository}`],
                detail: {
                    event: ["referenceCreated", "referenceUpdated"],
                    referenceType: ["branch"],
                    referenceName: [source.branch],
                },
            };
        case "s3":
            return {
                source: ["aws.s3"],
                "detail-type": ["Object Created"],
                detail: { bucket: { name: [source.bucket] }, object: { key: [source.objectKey] } },
            };
        default:
            return undefined;
    }
}

export interface ChangeDetectionArgs {
    readonly name: string;
    readonly parent: pulumi.Resource;
    readonly source: SourceConfig;
    readonly ctx: NameContext;
    readonly pipelineArn: pulumi.Input<string>;
    readonly roleArn: pulumi.Input<string>;
    readonly tags: Record<string, string>;
}

/** An EventBridge rule and target that start the pipeline on a source change (nothing for CodeConnections). */
export function sourceChangeDetection(args: ChangeDetectionArgs): void {
    const pattern = sourceEventPattern(args.source, args.ctx);
    if (!pattern) return;
    const rule = new aws.cloudwatch.EventRule(
        `${args.name}-source-change`,
        { eventPattern: JSON.stringify(pattern), tags: args.tags },
        { parent: args.parent },
    );
    new aws.cloudwatch.EventTarget(
        `${args.name}-source-change-target`,
        { rule: rule.name, arn: args.pipelineArn, roleArn: args.roleArn },
        { parent: args.parent },
    );
}
