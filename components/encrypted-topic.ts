import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { topicPolicy } from "../model/iam";
import { topicArn, topicName } from "../model/names";
import { nameContext } from "../model/pipeline";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import { slug } from "./tags";

export interface EncryptedTopicArgs {
    readonly environment: EnvironmentConfig;
    /** What the topic is for; part of its name, like `pipeline-events`. */
    readonly purpose: string;
    /** KMS key that encrypts messages at rest. */
    readonly keyArn: pulumi.Input<string>;
    /**
     * Email addresses to subscribe (each must confirm the subscription).
     * @default []
     */
    readonly emails?: readonly string[];
    /**
     * Let CodeStar Notifications publish pipeline events to the topic.
     * @default false
     */
    readonly allowNotifications?: boolean;
    /** @default {} */
    readonly tags?: Record<string, string>;
}

/** An SNS topic encrypted with the environment key, TLS-only, with email subscriptions. */
export class EncryptedTopic extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: EncryptedTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:notify:EncryptedTopic", name, {}, opts);
        const ctx = nameContext(args.environment);
        const topicNameValue = topicName(ctx, args.purpose);
        if (topicNameValue.length > 256) {
            throw new pulumi.ResourceError(
                `\`purpose\` makes the topic name "${topicNameValue}" longer than SNS's 256 characters. Use a shorter purpose.`,
                this,
            );
        }
        const topic = new aws.sns.Topic(
            `${name}-topic`,
            { name: topicNameValue, kmsMasterKeyId: args.keyArn, tags: args.tags },
            { parent: this },
        );
        new aws.sns.TopicPolicy(
            `${name}-policy`,
            {
                arn: topic.arn,
                policy: JSON.stringify(
                    topicPolicy(ctx, {
                        topicArn: topicArn(ctx, topicNameValue),
                        allowNotifications: args.allowNotifications ?? false,
                    }),
                ),
            },
            { parent: this },
        );
        // Keyed by address, not position: reordering the list must not replace subscriptions.
        for (const email of [...new Set(args.emails ?? [])]) {
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
