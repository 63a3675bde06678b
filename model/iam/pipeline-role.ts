import type { PipelineModel } from "../pipeline";
import * as names from "../names";
import type { ServiceConfig, SourceConfig } from "../../stacks/service-schema";
import { ARTIFACT_WRITE_KMS, bucketReads, keyUsage, prefixObjects } from "./artifacts";
import { kindPermissions } from "./deploy-permissions";
import { allow, policy, type PipelineRefs, type PolicyDocument, type Statement } from "./document";

/**
 * The CodePipeline service role of one pipeline: its artifact folder, the environment key, its own CodeBuild
 * projects, its source, its approval topic and its deploy target, nothing else.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html
 */
export function pipelineRolePolicy(
    ctx: names.NameContext,
    model: PipelineModel,
    service: ServiceConfig,
    refs: PipelineRefs,
): PolicyDocument {
    const crossAccountRole = model.stages.flatMap((s) => s.actions).find((a) => a.category === "Deploy")?.roleArn;
    return policy([
        ...artifactStatements(ctx, model, refs),
        allow(
            "RunBuilds",
            ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
            model.projects.map((p) => names.projectArn(ctx, p.name)),
        ),
        ...sourceStatements(ctx, service.source),
        model.approval && refs.approvalTopicArn
            ? allow("NotifyApprovers", ["sns:Publish"], [refs.approvalTopicArn])
            : undefined,
        ...(crossAccountRole ? [crossAccountDeploy(crossAccountRole)] : sameAccountDeploy(ctx, model, refs)),
    ]);
}

/**
 * CodePipeline writes and reads artifacts under the pipeline's folder only, and checks the bucket's location and
 * versioning (the artifact store must be versioned) and ACL before using it.
 */
function artifactStatements(
    ctx: names.NameContext,
    model: PipelineModel,
    refs: PipelineRefs,
): (Statement | undefined)[] {
    return [
        prefixObjects(ctx, "ArtifactObjects", refs.bucketName, model.artifactFolder, [
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
        ]),
        bucketReads(ctx, "ArtifactBucket", refs.bucketName, [
            "s3:GetBucketVersioning",
            "s3:GetBucketLocation",
            "s3:GetBucketAcl",
        ]),
        keyUsage("ArtifactKey", refs.keyArn, ARTIFACT_WRITE_KMS),
    ];
}

/**
 * The other spelling of a connection ARN: CodeStar Connections became CodeConnections and each service name is
 * accepted for the same connection, so both action prefixes are granted on both forms.
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html
 */
const connectionArnForms = (arn: string): string[] => {
    const other = arn.includes(":codestar-connections:")
        ? arn.replace(":codestar-connections:", ":codeconnections:")
        : arn.replace(":codeconnections:", ":codestar-connections:");
    return [arn, other];
};

/**
 * Source actions. The connection is further limited to the configured repository.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeCommit.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html
 */
function sourceStatements(ctx: names.NameContext, source: SourceConfig): (Statement | undefined)[] {
    switch (source.kind) {
        case "codestar":
            return (["codestar-connections", "codeconnections"] as const).map((prefix) =>
                allow(
                    prefix === "codeconnections" ? "UseConnection" : "UseConnectionLegacyPrefix",
                    [`${prefix}:UseConnection`],
                    connectionArnForms(source.connectionArn),
                    {
                        StringEquals: { [`${prefix}:FullRepositoryId`]: source.repository },
                    },
                ),
            );
        case "codecommit":
            return [
                allow(
                    "SourceRepository",
                    [
                        "codecommit:GetBranch",
                        "codecommit:GetCommit",
                        "codecommit:GetRepository",
                        "codecommit:UploadArchive",
                        "codecommit:GetUploadArchiveStatus",
                        "codecommit:CancelUploadArchive",
                    ],
                    [names.codeCommitRepositoryArn(ctx, source.repository)],
                ),
            ];
        case "s3":
            return [
                allow(
                    "SourceObject",
                    ["s3:GetObject", "s3:GetObjectVersion"],
                    [`${names.bucketArn(ctx, source.bucket)}/${source.objectKey}`],
                ),
                allow("SourceBucket", ["s3:GetBucketVersioning"], [names.bucketArn(ctx, source.bucket)]),
            ];
    }
}

/**
 * A deploy in another account runs as the role configured for it: the pipeline role may only assume that role
 * and gets none of the kind's direct permissions.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html
 */
const crossAccountDeploy = (roleArn: string): Statement => ({
    Sid: "AssumeDeployRole",
    Effect: "Allow",
    Action: ["sts:AssumeRole"],
    Resource: [roleArn],
});

function sameAccountDeploy(
    ctx: names.NameContext,
    model: PipelineModel,
    refs: PipelineRefs,
): (Statement | undefined)[] {
    const x = {
        ctx,
        service: model.service,
        artifactFolder: model.artifactFolder,
        keyArn: refs.keyArn,
        bucketName: refs.bucketName,
    };
    // No PassRole of the CodeDeploy role here: the deployment group carries it, set by whoever deploys the stack.
    return kindPermissions(model.deploy).pipeline(model.deploy, x);
}
