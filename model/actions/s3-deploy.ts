import { bucketArn } from "../names";
import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/**
 * Extracts the artifact into a bucket. No canned ACL is configured by any deploy kind, so `s3:PutObjectAcl` is not
 * granted; a kind that sets `CannedACL` must add it.
 */
export const s3Deploy: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html",
    category: "Deploy",
    owner: "AWS",
    provider: "S3",
    version: "1",
    v2Only: false,
    requiredKeys: ["BucketName", "Extract"],
    optionalKeys: ["ObjectKey", "KMSEncryptionKeyARN", "CannedACL", "CacheControl"],
    inputArtifacts: { min: 1, max: 1 },
    outputArtifacts: { min: 0, max: 0 },
    permissions: ({ ctx, configuration }) => [
        allow("DeploySite", ["s3:PutObject"], [`${bucketArn(ctx, configuration.BucketName)}/*`]),
    ],
};
