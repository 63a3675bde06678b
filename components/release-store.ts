import * as aws from "@pulumi/aws";
import { secureBucket } from "./secure-bucket";
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
        // No S3 Bucket Key: the encryption context stays the object's ARN, so the key policy and the release roles
        // can tell one service's prefix from another's (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html#bucket-key-changes).
        // Versioned: the S3 source action needs it (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html).
        // Current releases never expire; superseded versions are kept for rollbacks, then expire.
        const bucket = secureBucket(name, this, {
            bucketName: plan.bucketName,
            protect: keep,
            keyArn: args.keyArn,
            bucketKey: false,
            lifecycleRules: [
                {
                    id: "expire-superseded-releases",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: plan.noncurrentDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
            policy: (keyArn) => plan.bucketPolicy(keyArn),
        });
        // New objects reach EventBridge, where each pipeline's rule matches its `release.zip`
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html).
        new aws.s3.BucketNotification(
            `${name}-eventbridge`,
            { bucket: bucket.id, eventbridge: true },
            { parent: this },
        );
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
