import type { EnvironmentConfig } from "../../stacks/environment-schema";
import type { ServiceConfig } from "../../stacks/service-schema";
import * as names from "../names";
import type { PipelineModel } from "../pipeline";
import { promotionTarget } from "../release";
import { bucketReads, keyUsage, prefixObjects } from "./artifacts";
import { logStatement, projectsOf } from "./build-role";
import { allow, policy, type EnvironmentRefs, type PolicyDocument, type Statement } from "./document";

/**
 * What one service's release role may write: objects under its own prefix of the next environment's release
 * bucket, in that account only, and a data key of that account's keys only as S3 asks for it to encrypt an object
 * under that prefix. Release buckets do not use S3 Bucket Keys, so the encryption context is the object's ARN and
 * KMS itself tells services apart.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 * The key's id is random and the target's (another stack's), so the Resource is the account's keys and the
 * conditions do the narrowing (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html).
 */
export function releaseWriteStatements(target: names.NameContext, service: string): Statement[] {
    const objects = `${names.bucketArn(target, names.releaseBucketName(target))}/${names.releasePrefix(service)}/*`;
    return [
        {
            Sid: "WriteNextRelease",
            Effect: "Allow",
            Action: ["s3:PutObject"],
            Resource: [objects],
            Condition: { StringEquals: { "aws:ResourceAccount": target.accountId } },
        },
        {
            Sid: "EncryptNextRelease",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey"],
            Resource: [names.kmsKeyArnPattern(target)],
            Condition: {
                StringEquals: {
                    "kms:ViaService": `s3.${target.region}.amazonaws.com`,
                    "aws:ResourceAccount": target.accountId,
                },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": objects },
            },
        },
    ];
}

/**
 * The CodeBuild service role of a pipeline's release project (publish, promote or provenance): its logs, reading its
 * pipeline's artifacts, reading its own service's prefix of its own release bucket (promote, provenance), writing
 * its own service's prefix of the next link (publish, promote), and (publish of an image) reading the image's digest.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html
 */
export function releaseRolePolicy(
    ctx: names.NameContext,
    env: EnvironmentConfig,
    model: PipelineModel,
    service: ServiceConfig,
    refs: EnvironmentRefs,
): PolicyDocument {
    const projects = projectsOf(model, "release");
    const target = promotionTarget(env);
    const readsOwn = projects.some((p) => p.id === "promote" || p.id === "provenance");
    const writes = projects.some((p) => p.id === "publish" || p.id === "promote");
    const ownRelease = `${names.bucketArn(ctx, names.releaseBucketName(ctx))}/${names.releasePrefix(service.name)}/*`;
    const repositories = projects.flatMap((p) => (p.imageRepository ? [p.imageRepository] : []));
    return policy([
        logStatement(ctx, projects),
        prefixObjects(ctx, "ReadArtifacts", refs.bucketName, model.artifactFolder, [
            "s3:GetObject",
            "s3:GetObjectVersion",
        ]),
        bucketReads(ctx, "ArtifactBucket", refs.bucketName, ["s3:GetBucketAcl", "s3:GetBucketLocation"]),
        keyUsage("ArtifactKey", refs.keyArn, ["kms:Decrypt", "kms:DescribeKey"]),
        // CopyObject reads the source version and, by default, its tags
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
        readsOwn
            ? allow(
                  "ReadOwnRelease",
                  ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectVersionTagging"],
                  [ownRelease],
                  {
                      StringEquals: { "aws:ResourceAccount": ctx.accountId },
                  },
              )
            : undefined,
        ...(writes && target ? releaseWriteStatements(names.linkContext(target), service.name) : []),
        // The digest of the image the build pushed (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html).
        allow(
            "ReadImageDigest",
            ["ecr:DescribeImages"],
            repositories.map((r) => names.ecrRepositoryArn(ctx, r)),
        ),
    ]);
}
