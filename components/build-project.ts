import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { CacheModel, ProjectModel } from "../model/projects";

export interface BuildProjectArgs {
    /**
     * The project from the pipeline model: name, image, compute, privileged mode, variables, cache, logs, reports,
     * buildspec and timeout. The component adds nothing to it.
     */
    readonly project: ProjectModel;
    /** Service role: the pipeline's build role or test role, as `project.roleKind` says. */
    readonly roleArn: pulumi.Input<string>;
    /** Environment key: encrypts build output, logs and reports. */
    readonly keyArn: pulumi.Input<string>;
    /** Artifact bucket, home of the S3 cache when `project.cache.type` is `S3`. */
    readonly bucketName: pulumi.Input<string>;
    /** @default {} */
    readonly tags?: Record<string, string>;
}

function cacheInput(cache: CacheModel, bucketName: pulumi.Input<string>): aws.types.input.codebuild.ProjectCache {
    switch (cache.type) {
        case "NO_CACHE":
            return { type: "NO_CACHE" };
        case "LOCAL":
            return { type: "LOCAL", modes: [...cache.modes] };
        case "S3":
            return { type: "S3", location: pulumi.interpolate`${bucketName}/${cache.prefix}` };
    }
}

/**
 * A CodeBuild project run by the pipeline, with its own KMS-encrypted log group and, for test suites that publish
 * reports, its own report group.
 */
export class BuildProject extends pulumi.ComponentResource {
    public readonly projectName: pulumi.Output<string>;
    public readonly projectArn: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: BuildProjectArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:build:BuildProject", name, {}, opts);
        const { project } = args;
        const logs = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: project.logGroupName,
                retentionInDays: project.logRetentionDays,
                kmsKeyId: args.keyArn,
                tags: args.tags,
            },
            { parent: this },
        );
        if (project.reportGroup) {
            new aws.codebuild.ReportGroup(
                `${name}-reports`,
                {
                    name: project.reportGroup.name,
                    type: "TEST",
                    exportConfig: { type: "NO_EXPORT" },
                    deleteReports: true,
                    tags: args.tags,
                },
                { parent: this },
            );
        }
        const codebuild = new aws.codebuild.Project(
            `${name}-project`,
            {
                name: project.name,
                description: project.description,
                serviceRole: args.roleArn,
                encryptionKey: args.keyArn,
                buildTimeout: project.timeoutMinutes,
                source: {
                    type: "CODEPIPELINE",
                    buildspec: "inline" in project.buildspec ? project.buildspec.inline : project.buildspec.file,
                },
                artifacts: { type: "CODEPIPELINE" },
                environment: {
                    type: "LINUX_CONTAINER",
                    computeType: project.computeType,
                    image: project.image,
                    imagePullCredentialsType: "CODEBUILD",
                    privilegedMode: project.privileged,
                    environmentVariables: project.environmentVariables.map((v) => ({ ...v })),
                },
                logsConfig: {
                    cloudwatchLogs: { status: "ENABLED", groupName: logs.name },
                    s3Logs: { status: "DISABLED" },
                },
                cache: cacheInput(project.cache, args.bucketName),
                tags: { ...args.tags, ...project.tags },
            },
            { parent: this },
        );

        this.projectName = codebuild.name;
        this.projectArn = codebuild.arn;
        this.logGroupName = logs.name;
        this.registerOutputs({
            projectName: this.projectName,
            projectArn: this.projectArn,
            logGroupName: this.logGroupName,
        });
    }
}
