import * as aws from "@pulumi/aws";
import { expireArtifacts, secureBucket } from "./secure-bucket";
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

        // Bucket keys cut KMS requests (and cost) for the many small artifact objects.
        const bucket = secureBucket(name, this, {
            bucketName: plan.bucketName,
            protect: keep,
            keyArn: key.arn,
            bucketKey: true,
            lifecycleRules: expireArtifacts(plan.retentionDays),
            policy: (keyArn) => plan.bucketPolicy(keyArn),
        });

        this.keyArn = key.arn;
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ keyArn: this.keyArn, bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
