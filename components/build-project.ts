import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logGroupName, reportGroupName, type NameContext } from "../model/names";
import type { ProjectModel } from "../model/pipeline";
import type { BuildConfig } from "../stacks/service-schema";

export interface BuildProjectArgs {
    /** Account, region and environment the names are built in. */
    readonly ctx: NameContext;
    /** Days the project's logs are kept. */
    readonly logRetentionDays: number;
    /** Image, compute, commands, cache, variables and secrets of the service's build. */
    readonly build: BuildConfig;
    /** The project from the pipeline model: name, buildspec, whether it reports tests. */
    readonly project: ProjectModel;
    /** Name of the pipeline the project belongs to (S3 cache folder). */
    readonly pipelineName: string;
    /**
     * Service role. One build role serves all projects of a pipeline, so a pipeline has at most three roles; its
     * policy is scoped to these projects' logs, reports, secrets and artifact folder.
     */
    readonly roleArn: pulumi.Input<string>;
    /** Environment key: encrypts build output, logs and reports. */
    readonly keyArn: pulumi.Input<string>;
    /** Artifact bucket, also the home of the S3 cache when `build.cache` is `s3`. */
    readonly bucketName: pulumi.Input<string>;
    /** @default {} */
    readonly tags?: Record<string, string>;
}

type EnvironmentVariable = aws.types.input.codebuild.ProjectEnvironmentEnvironmentVariable;

/** Plain variables, then secrets as references CodeBuild resolves at run time (never stored in the project). */
export function environmentVariables(
    build: BuildConfig,
    ctx: { accountId: string; region: string },
): EnvironmentVariable[] {
    const plain = Object.entries(build.environment).map(([name, value]) => ({ name, value, type: "PLAINTEXT" }));
    const secrets = Object.entries(build.secrets).map(([name, ref]) =>
        "parameter" in ref
            ? { name, value: ref.parameter, type: "PARAMETER_STORE" }
            : { name, value: ref.secretArn, type: "SECRETS_MANAGER" },
    );
    const image = build.imageRepository
        ? [
              {
                  name: "IMAGE_REPO_URI",
                  value: `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${build.imageRepository}`,
                  type: "PLAINTEXT",
              },
          ]
        : [];
    return [...plain, ...secrets, ...image];
}

function cacheFor(
    build: BuildConfig,
    bucketName: pulumi.Input<string>,
    pipelineName: string,
): aws.types.input.codebuild.ProjectCache {
    switch (build.cache) {
        case "none":
            return { type: "NO_CACHE" };
        case "local":
            return {
                type: "LOCAL",
                modes: build.containerImage
                    ? ["LOCAL_SOURCE_CACHE", "LOCAL_DOCKER_LAYER_CACHE"]
                    : ["LOCAL_SOURCE_CACHE"],
            };
        case "s3":
            return { type: "S3", location: pulumi.interpolate`${bucketName}/cache/${pipelineName}` };
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
        const { ctx, project, build } = args;
        const logs = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: logGroupName(ctx, project.name),
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.keyArn,
                tags: args.tags,
            },
            { parent: this },
        );
        if (project.reports) {
            new aws.codebuild.ReportGroup(
                `${name}-reports`,
                {
                    name: reportGroupName(project.name),
                    type: "TEST",
                    exportConfig: { type: "NO_EXPORT" },
                    deleteReports: true,
                    tags: args.tags,
                },
                { parent: this },
            );
        }
        // Only the image build talks to a Docker daemon; test suites never run privileged.
        const privileged = project.id === "build" && build.containerImage;
        const codebuild = new aws.codebuild.Project(
            `${name}-project`,
            {
                name: project.name,
                description: `${project.id} for ${args.pipelineName}`,
                serviceRole: args.roleArn,
                encryptionKey: args.keyArn,
                buildTimeout: build.timeoutMinutes,
                source:
                    "inline" in project.buildspec
                        ? { type: "CODEPIPELINE", buildspec: project.buildspec.inline }
                        : { type: "CODEPIPELINE", buildspec: project.buildspec.file },
                artifacts: { type: "CODEPIPELINE" },
                environment: {
                    type: "LINUX_CONTAINER",
                    computeType: build.computeType,
                    image: build.image,
                    imagePullCredentialsType: "CODEBUILD",
                    privilegedMode: privileged,
                    environmentVariables: environmentVariables(build, ctx),
                },
                logsConfig: {
                    cloudwatchLogs: { status: "ENABLED", groupName: logs.name },
                    s3Logs: { status: "DISABLED" },
                },
                cache: cacheFor(build, args.bucketName, args.pipelineName),
                tags: args.tags,
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
