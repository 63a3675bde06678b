import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { TopicPlan } from "../model/environment";
import { slug } from "./tags";

export interface EncryptedTopicArgs {
    /** Name, planned ARN, subscribers and policy of the topic, from the environment plan. */
    readonly topic: TopicPlan;
    /** KMS key that encrypts messages at rest. */
    readonly keyArn: pulumi.Input<string>;
    /** @default {} */
    readonly tags?: Record<string, string>;
}

/**
 * An SNS topic encrypted with the environment key, TLS-only, with email subscriptions. The topic itself is named
 * like the component (it is its main resource); its policy and subscriptions are `${name}-<role>`.
 */
export class EncryptedTopic extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    /**
     * The topic policy: what lets CodeStar Notifications publish. Notification rules depend on it, or their target
     * comes up Unreachable.
     */
    public readonly policy: aws.sns.TopicPolicy;

    constructor(name: string, args: EncryptedTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:notify:EncryptedTopic", name, {}, opts);
        const { topic: plan } = args;
        if (plan.name.length > 256) {
            throw new pulumi.ResourceError(
                `\`topic.name\` "${plan.name}" is longer than SNS's 256 characters. Use a shorter purpose.`,
                this,
            );
        }
        const topic = new aws.sns.Topic(
            name,
            { name: plan.name, kmsMasterKeyId: args.keyArn, tags: args.tags },
            { parent: this },
        );
        this.policy = new aws.sns.TopicPolicy(
            `${name}-policy`,
            { arn: topic.arn, policy: JSON.stringify(plan.policy) },
            { parent: this },
        );
        // Keyed by address, not position: reordering the list must not replace subscriptions.
        for (const email of [...new Set(plan.emails)]) {
            new aws.sns.TopicSubscription(
                `${name}-email-${slug(email)}`,
                { topic: topic.arn, protocol: "email", endpoint: email },
                { parent: this },
            );
        }
        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
