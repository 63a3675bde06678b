import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DeadLetterQueuePlan } from "../model/dead-letter-queue";

export interface DeadLetterQueueArgs {
    /** Name, planned ARN, retention and policy of the queue, from the environment plan. */
    readonly plan: DeadLetterQueuePlan;
    /** The environment's customer managed KMS key, whose policy lets EventBridge use it for this queue. */
    readonly keyArn: pulumi.Input<string>;
    /** @default {} */
    readonly tags?: Record<string, string>;
}

/**
 * The environment's dead-letter queue for its EventBridge targets: a standard SQS queue encrypted with the
 * environment key, keeping messages as long as SQS allows, with the plan's policy (TLS only; EventBridge of this
 * account may send for the environment's rules).
 */
export class DeadLetterQueue extends pulumi.ComponentResource {
    public readonly queueArn: pulumi.Output<string>;
    /** The queue policy: targets depend on it, so EventBridge may send from the first undelivered event. */
    public readonly policy: aws.sqs.QueuePolicy;

    constructor(name: string, args: DeadLetterQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:events:DeadLetterQueue", name, {}, opts);
        const { plan } = args;
        const queue = new aws.sqs.Queue(
            `${name}-queue`,
            {
                name: plan.name,
                kmsMasterKeyId: args.keyArn,
                messageRetentionSeconds: plan.retentionSeconds,
                tags: args.tags,
            },
            { parent: this },
        );
        this.policy = new aws.sqs.QueuePolicy(
            `${name}-policy`,
            { queueUrl: queue.url, policy: JSON.stringify(plan.policy) },
            { parent: this },
        );
        this.queueArn = queue.arn;
        this.registerOutputs({ queueArn: this.queueArn });
    }
}
