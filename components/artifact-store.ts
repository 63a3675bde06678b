import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { artifactBucketPolicy, artifactKeyPolicy } from "../model/iam";
import { artifactBucketName } from "../model/names";
import { nameContext } from "../model/pipeline";
import type { EnvironmentConfig } from "../stacks/environment-schema";

export interface ArtifactStoreArgs {
    /** The environment whose pipelines share this store (name, account, region, retention, protection). */
    readonly environment: EnvironmentConfig;
}

/** Whether the environment's key and artifacts are protected from deletion (always in production). */
export const isProtected = (env: EnvironmentConfig): boolean =>
    env.tier === "production" || env.dataProtection === true;

/**
 * One per environment, shared by all its pipelines: a customer-managed KMS key (one key per environment, not per
 * pipeline: $1/month each) and an S3 bucket encrypted with it. Each pipeline's roles reach only their own folder.
 */
export class ArtifactStore extends pulumi.ComponentResource {
    /** ARN of the environment's KMS key. */
    public readonly keyArn: pulumi.Output<string>;
    /** Name of the artifact bucket. */
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: ArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:storage:ArtifactStore", name, {}, opts);
        const env = args.environment;
        const ctx = nameContext(env);
        const keep = isProtected(env);
        // Protected data survives `pulumi destroy` and removal from the program.
        const dataOpts: pulumi.CustomResourceOptions = { parent: this, protect: keep, retainOnDelete: keep };
        const crossAccountRoleArns = Object.values(env.deployRoleArns);

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `CI/CD artifacts, logs and notifications of ${env.name}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: JSON.stringify(artifactKeyPolicy(ctx, { crossAccountRoleArns })),
            },
            dataOpts,
        );
        new aws.kms.Alias(
            `${name}-key-alias`,
            { name: `alias/cicd-${env.name}`, targetKeyId: key.keyId },
            { parent: this },
        );

        const bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            { bucket: artifactBucketName(ctx), forceDestroy: !keep },
            dataOpts,
        );
        const child = { parent: this };
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
        // Bucket keys cut KMS requests (and cost) for the many small artifact objects.
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
                        bucketKeyEnabled: true,
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
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-old-artifacts",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: env.artifactRetentionDays * 2 },
                        noncurrentVersionExpiration: { noncurrentDays: env.artifactRetentionDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            child,
        );
        new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: bucket.id,
                policy: pulumi
                    .all([bucket.bucket, key.arn])
                    .apply(([bucketName, keyArn]) =>
                        JSON.stringify(artifactBucketPolicy(ctx, { bucketName, keyArn, crossAccountRoleArns })),
                    ),
            },
            { parent: this, dependsOn: [publicAccess] },
        );

        this.keyArn = key.arn;
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ keyArn: this.keyArn, bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
