import * as aws from "@pulumi/aws";
import { expireArtifacts, secureBucket } from "./secure-bucket";
import * as pulumi from "@pulumi/pulumi";
import type { RegionalStorePlan } from "../model/environment";

export interface RegionalArtifactStoreArgs {
    /** Region, bucket name, key alias and policies, from the environment plan (`artifactStore.regions`). */
    readonly plan: RegionalStorePlan;
    /** Keep key and bucket on `pulumi destroy` and removal (production). @default false */
    readonly protect?: boolean;
    /** Days before non-current artifact versions expire (current ones after twice this). */
    readonly retentionDays: number;
}

/**
 * Waves: the environment's artifact store in another region, where CodePipeline copies the artifacts of the actions
 * that run there. Its own KMS key (a pipeline's store in a region takes a key of that region) and bucket, created
 * with that region's provider (pass it in `opts.providers`).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html
 */
export class RegionalArtifactStore extends pulumi.ComponentResource {
    public readonly region: string;
    public readonly keyArn: pulumi.Output<string>;
    public readonly bucketName: pulumi.Output<string>;

    constructor(name: string, args: RegionalArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:storage:RegionalArtifactStore", name, {}, opts);
        const { plan } = args;
        const keep = args.protect ?? false;
        const dataOpts: pulumi.CustomResourceOptions = { parent: this, protect: keep, retainOnDelete: keep };
        const child = { parent: this };
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
        new aws.kms.Alias(`${name}-key-alias`, { name: plan.keyAlias, targetKeyId: key.keyId }, child);
        const bucket = secureBucket(name, this, {
            bucketName: plan.bucketName,
            protect: keep,
            keyArn: key.arn,
            bucketKey: true,
            lifecycleRules: expireArtifacts(args.retentionDays),
            policy: (keyArn) => plan.bucketPolicy(keyArn),
        });
        this.region = plan.region;
        this.keyArn = key.arn;
        this.bucketName = bucket.bucket;
        this.registerOutputs({ keyArn: this.keyArn, bucketName: this.bucketName });
    }
}
