import { z } from "zod";
import { accountId } from "../../stacks/primitives";
import type { DeployKind } from "./types";

const schema = z.strictObject({
    kind: z.literal("s3-site"),
    /** Name of the existing bucket that serves the site (usually behind CloudFront). */
    bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name, like "www-example-com"' }),
    /**
     * Cache-Control header set on every uploaded object.
     * @default "max-age=300"
     */
    cacheControl: z.string().min(1).default("max-age=300"),
    /**
     * Account that owns the bucket, when it is not the environment's account; needs an entry in
     * `cicd:environment.deployRoleArns`.
     * @default the environment's account
     */
    accountId: accountId.optional(),
});

/**
 * Static site: CodePipeline's `S3` deploy action extracts the build artifact into the bucket.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html
 */
export const s3Site: DeployKind<"s3-site", typeof schema> = {
    kind: "s3-site",
    schema,
    usesCodeDeploy: false,
    action: (config, ctx) => ({
        provider: "S3",
        configuration: { BucketName: config.bucket, Extract: "true", CacheControl: config.cacheControl },
        inputArtifacts: [ctx.buildArtifact],
    }),
    summary: (config) => `S3 site ${config.bucket}`,
};
