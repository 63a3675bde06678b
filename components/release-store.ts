import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ReleaseStorePlan } from "../model/environment";

export interface ReleaseStoreArgs {
    /** Bucket name, protection, retention and policy, from the environment plan. */
    readonly plan: ReleaseStorePlan;
    /** The environment's KMS key (the artifact store's), which encrypts every release object. */
    readonly keyArn: pulumi.Input<string>;
}

/**
 * The environment's release location: a versioned, TLS-only, public-access-blocked bucket encrypted with the
 * environment key, written only by the upstream environment's release roles and read by this environment's
 * pipelines. New release versions reach EventBridge, which starts the service's pipeline.
 */
export class ReleaseStore extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: ReleaseStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:storage:ReleaseStore", name, {}, opts);
        const { plan } = args;
        const keep = plan.protect;
        const child = { parent: this };
        const bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            { bucket: plan.bucketName, forceDestroy: !keep },
            { parent: this, protect: keep, retainOnDelete: keep },
        );
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
        // No S3 Bucket Key: the encryption context stays the object's ARN, so the key policy and the release roles
        // can tell one service's prefix from another's (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html#bucket-key-changes).
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn },
                        bucketKeyEnabled: false,
                    },
                ],
            },
            child,
        );
        // The S3 source action needs a versioned bucket (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html).
        new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            child,
        );
        // Current releases never expire; superseded versions are kept for rollbacks, then expire.
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-superseded-releases",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: plan.noncurrentDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            child,
        );
        // New objects reach EventBridge, where each pipeline's rule matches its `release.zip`
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html).
        new aws.s3.BucketNotification(`${name}-eventbridge`, { bucket: bucket.id, eventbridge: true }, child);
        new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: bucket.id,
                policy: pulumi.output(args.keyArn).apply((keyArn) => JSON.stringify(plan.bucketPolicy(keyArn))),
            },
            { parent: this, dependsOn: [publicAccess] },
        );
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
