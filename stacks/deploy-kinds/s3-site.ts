import { z } from "zod";
import { accountId } from "../primitives";

/** `cicd:services[i].deploy` for a static site extracted into a bucket (CodePipeline's `S3` deploy action). */
export const s3SiteSchema = z.strictObject({
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
