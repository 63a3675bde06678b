import { bucketArn } from "../names";
import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/**
 * Source from one versioned object in S3. When the source bucket encrypts with a customer managed KMS key, reading
 * the object needs `kms:Decrypt` on that key as well
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
 */
export const s3Source: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html",
    category: "Source",
    owner: "AWS",
    provider: "S3",
    version: "1",
    v2Only: false,
    requiredKeys: ["S3Bucket", "S3ObjectKey"],
    optionalKeys: ["PollForSourceChanges", "AllowOverrideForS3ObjectKey"],
    inputArtifacts: { min: 0, max: 0 },
    outputArtifacts: { min: 1, max: 1 },
    permissions: ({ ctx, configuration, sourceKeyArn }) => [
        allow(
            "SourceObject",
            ["s3:GetObject", "s3:GetObjectVersion"],
            [`${bucketArn(ctx, configuration.S3Bucket)}/${configuration.S3ObjectKey}`],
        ),
        allow("SourceBucket", ["s3:GetBucketVersioning"], [bucketArn(ctx, configuration.S3Bucket)]),
        sourceKeyArn
            ? allow("SourceKey", ["kms:Decrypt"], [sourceKeyArn], {
                  StringEquals: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` },
              })
            : undefined,
    ],
};
