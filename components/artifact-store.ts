import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ArtifactStorePlan } from "../model/environment";

export interface ArtifactStoreArgs {
    /** Bucket name, key alias, policies, retention and protection, from the environment plan. */
    readonly plan: ArtifactStorePlan;
}

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
        const { plan } = args;
        const keep = plan.protect;
        // Protected data survives `pulumi destroy` and removal from the program.
        const dataOpts: pulumi.CustomResourceOptions = { parent: this, protect: keep, retainOnDelete: keep };

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: plan.keyDescription,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: JSON.stringify(plan.keyPolicy),
            },
            dataOpts,
        );
        new aws.kms.Alias(`${name}-key-alias`, { name: plan.keyAlias, targetKeyId: key.keyId }, { parent: this });

        const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: plan.bucketName, forceDestroy: !keep }, dataOpts);
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
                        expiration: { days: plan.retentionDays * 2 },
                        noncurrentVersionExpiration: { noncurrentDays: plan.retentionDays },
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
                policy: key.arn.apply((keyArn) => JSON.stringify(plan.bucketPolicy(keyArn))),
            },
            { parent: this, dependsOn: [publicAccess] },
        );

        this.keyArn = key.arn;
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ keyArn: this.keyArn, bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
