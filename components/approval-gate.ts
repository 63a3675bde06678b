import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ApprovalPlan } from "../model/environment";
import { EncryptedTopic } from "./encrypted-topic";

export interface ApprovalGateArgs {
    /** Topic, approver policy name and document, from the pipeline's plan. */
    readonly approval: ApprovalPlan;
    /** KMS key that encrypts the approval topic. */
    readonly keyArn: pulumi.Input<string>;
    /** @default {} */
    readonly tags?: Record<string, string>;
}

/**
 * A manual approval: an encrypted topic that tells approvers, and a least-privilege policy to attach to whoever
 * may approve (`codepipeline:PutApprovalResult` on this one action only). The approval action's configuration is
 * in the pipeline's plan (the topic ARN is planned).
 */
export class ApprovalGate extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    /** Managed policy to attach to approvers' roles or groups. */
    public readonly approverPolicyArn: pulumi.Output<string>;

    constructor(name: string, args: ApprovalGateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:approval:ApprovalGate", name, {}, opts);
        const { approval } = args;
        const topic = new EncryptedTopic(
            `${name}-topic`,
            { topic: approval.topic, keyArn: args.keyArn, tags: args.tags },
            { parent: this },
        );
        const policy = new aws.iam.Policy(
            `${name}-approver`,
            {
                name: approval.approverPolicyName,
                path: approval.approverPolicyPath,
                description: approval.description,
                policy: JSON.stringify(approval.approverPolicy),
                tags: args.tags,
            },
            { parent: this },
        );
        this.topicArn = topic.topicArn;
        this.approverPolicyArn = policy.arn;
        this.registerOutputs({ topicArn: this.topicArn, approverPolicyArn: this.approverPolicyArn });
    }
}
