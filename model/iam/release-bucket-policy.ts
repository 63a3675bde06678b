import type { ChainLink } from "../../stacks/release-schema";
import * as names from "../names";
import { baseBucketDenies } from "./bucket-policy";
import { policy, type PolicyDocument, type Statement } from "./document";

/** The upstream environment's release roles, matched by path and name (`<service>-<env>-release`). */
export const upstreamReleaseRolePattern = (upstream: names.NameContext): string =>
    `arn:${upstream.partition}:iam::${upstream.accountId}:role${names.rolePath(upstream)}*-${upstream.environment}-release`;

/**
 * The release bucket admits one writer from outside the account: the upstream environment's release roles, each
 * only under the prefix of the service its role is tagged with (`service`, the tag every pipeline role carries).
 * The principal is the upstream account with an `aws:PrincipalArn` condition, which works before the roles exist
 * (a role ARN as Principal is rejected until it does).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 * TLS only and only this environment's key, as the artifact bucket.
 */
export function releaseBucketPolicy(
    ctx: names.NameContext,
    opts: { keyArn: string; from?: ChainLink },
): PolicyDocument {
    const bucket = names.bucketArn(ctx, names.releaseBucketName(ctx));
    const statements: Statement[] = baseBucketDenies(bucket, opts.keyArn);
    if (opts.from) {
        const upstream = names.linkContext(opts.from);
        statements.push({
            Sid: "UpstreamWritesOwnServiceReleases",
            Effect: "Allow",
            Principal: { AWS: names.accountRootArn(upstream) },
            Action: ["s3:PutObject"],
            Resource: [`${bucket}/releases/\${aws:PrincipalTag/service}/*`],
            Condition: { ArnLike: { "aws:PrincipalArn": upstreamReleaseRolePattern(upstream) } },
        });
    }
    return policy(statements);
}

/**
 * The environment key lets the upstream release roles encrypt release objects: a data key only, only through S3
 * here, only for objects of the release bucket (whose encryption context is the object ARN: no Bucket Keys).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
export function upstreamKeyStatement(ctx: names.NameContext, from: ChainLink): Statement {
    const upstream = names.linkContext(from);
    return {
        Sid: "UpstreamEncryptsReleases",
        Effect: "Allow",
        Principal: { AWS: names.accountRootArn(upstream) },
        Action: ["kms:GenerateDataKey"],
        Resource: ["*"],
        Condition: {
            StringEquals: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` },
            ArnLike: { "aws:PrincipalArn": upstreamReleaseRolePattern(upstream) },
            StringLike: {
                "kms:EncryptionContext:aws:s3:arn": `${names.bucketArn(ctx, names.releaseBucketName(ctx))}/releases/*`,
            },
        },
    };
}
