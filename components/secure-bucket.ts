import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../model/iam/document";

type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

/** What differs between the platform's buckets (artifacts, regional artifacts, releases). */
export interface SecureBucketArgs {
    readonly bucketName: string;
    /** Keep the bucket on `pulumi destroy` and removal from the program (production). */
    readonly protect: boolean;
    /** The customer managed key every object is encrypted with by default (SSE-KMS). */
    readonly keyArn: pulumi.Input<string>;
    /**
     * S3 Bucket Keys cut KMS requests for many small objects, but make the encryption context the bucket's ARN
     * instead of the object's (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
     */
    readonly bucketKey: boolean;
    readonly lifecycleRules: LifecycleRule[];
    /** The bucket policy, given the key's ARN (TLS-only and encryption denies come from `model/iam`). */
    readonly policy: (keyArn: string) => PolicyDocument;
}

/**
 * One hardened bucket as children of `parent`, named `${name}-<role>`: ACLs off, all four public-access-block
 * flags, SSE-KMS with the given key, versioning, lifecycle rules and the policy (after the public-access block, so
 * S3 never sees a policy on a bucket that could still be public).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export function secureBucket(name: string, parent: pulumi.Resource, args: SecureBucketArgs): aws.s3.Bucket {
    const child = { parent };
    const bucket = new aws.s3.Bucket(
        `${name}-bucket`,
        { bucket: args.bucketName, forceDestroy: !args.protect },
        { parent, protect: args.protect, retainOnDelete: args.protect },
    );
    // ACLs off: the bucket owner owns every object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
    new aws.s3.BucketOwnershipControls(
        `${name}-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            rules: [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn },
                    bucketKeyEnabled: args.bucketKey,
                },
            ],
        },
        child,
    );
    new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        child,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        { bucket: bucket.id, rules: args.lifecycleRules },
        child,
    );
    new aws.s3.BucketPolicy(
        `${name}-policy`,
        { bucket: bucket.id, policy: pulumi.output(args.keyArn).apply((arn) => JSON.stringify(args.policy(arn))) },
        { parent, dependsOn: [publicAccess] },
    );
    return bucket;
}

/** Artifacts expire: superseded versions after `days`, current ones after twice that. */
export const expireArtifacts = (days: number): LifecycleRule[] => [
    {
        id: "expire-old-artifacts",
        status: "Enabled",
        filter: {},
        expiration: { days: days * 2 },
        noncurrentVersionExpiration: { noncurrentDays: days },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    },
];
