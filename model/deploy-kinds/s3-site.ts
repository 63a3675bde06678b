import type { DeployKindRecord } from "./types";

/**
 * Static site: CodePipeline's `S3` deploy action extracts the build artifact into the bucket.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html
 */
export const s3Site: DeployKindRecord<"s3-site"> = {
    kind: "s3-site",
    action: "s3Deploy",
    translation: "none",
    configuration: (config) => ({ BucketName: config.bucket, Extract: "true", CacheControl: config.cacheControl }),
    inputArtifacts: (_config, x) => [x.buildArtifact],
    permissionContext: () => ({}),
    rollbackAlarms: () => [],
    targetAccount: (config) => config.accountId,
};
