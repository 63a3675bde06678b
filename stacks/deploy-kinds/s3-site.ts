import { z } from "zod";
import { accountId } from "../primitives";

/** `cicd:services[i].deploy` for a static site extracted into a bucket (CodePipeline's `S3` deploy action). */
export const s3SiteSchema = z.strictObject({
    kind: z.literal("s3-site").describe("A static site extracted into a bucket (CodePipeline's `S3` deploy action)."),
    bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name, like "www-example-com"' })
        .describe("Name of the existing bucket that serves the site (usually behind CloudFront)."),
    cacheControl: z
        .string()
        .min(1)
        .default("max-age=300")
        .describe("Cache-Control header set on every uploaded object."),
    accountId: accountId
        .optional()
        .describe(
            "Account that owns the bucket, when it is not the environment's account; needs an entry in `cicd:environment.deployRoleArns`. Default: the environment's account.",
        ),
});
