import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { approverPolicy } from "../model/iam";
import type { ApprovalModel } from "../model/pipeline";
import { nameContext } from "../model/pipeline";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import { EncryptedTopic } from "./encrypted-topic";

export interface ApprovalGateArgs {
    readonly environment: EnvironmentConfig;
    /** Service the approval guards; names the topic. */
    readonly service: string;
    /** Pipeline, stage and action names of the approval: the approver policy allows exactly that action. */
    readonly pipelineName: string;
    readonly stageName: string;
    readonly actionName: string;
    /** Timeout, text and review link shown to the approver. */
    readonly approval: ApprovalModel;
    /** KMS key that encrypts the approval topic. */
    readonly keyArn: pulumi.Input<string>;
    /**
     * Who is asked to approve, by email.
     * @default the environment's `approval.emails`
     */
    readonly emails?: readonly string[];
    /** @default {} */
    readonly tags?: Record<string, string>;
}

/**
 * A manual approval: an encrypted topic that tells approvers, and a least-privilege policy to attach to whoever
 * may approve (`codepipeline:PutApprovalResult` on this one action only).
 */
export class ApprovalGate extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    /** Managed policy to attach to approvers' roles or groups. */
    public readonly approverPolicyArn: pulumi.Output<string>;
    /** Configuration of the CodePipeline `Manual` approval action. */
    public readonly actionConfiguration: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: ApprovalGateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:approval:ApprovalGate", name, {}, opts);
        const ctx = nameContext(args.environment);
        const topic = new EncryptedTopic(
            `${name}-topic`,
            {
                environment: args.environment,
                purpose: `${args.service}-approval`,
                keyArn: args.keyArn,
                emails: args.emails ?? args.environment.approval.emails,
                tags: args.tags,
            },
            { parent: this },
        );
        const policy = new aws.iam.Policy(
            `${name}-approver`,
            {
                name: `${args.pipelineName}-approver`,
                path: `/cicd/${args.environment.name}/`,
                description: `Approve or reject ${args.pipelineName} at ${args.stageName}/${args.actionName}`,
                policy: JSON.stringify(
                    approverPolicy(ctx, {
                        pipelineName: args.pipelineName,
                        stageName: args.stageName,
                        actionName: args.actionName,
                    }),
                ),
                tags: args.tags,
            },
            { parent: this },
        );

        this.topicArn = topic.topicArn;
        this.approverPolicyArn = policy.arn;
        const { customData, reviewUrl } = args.approval;
        // https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-action-add.html
        this.actionConfiguration = topic.topicArn.apply((arn): Record<string, string> => ({
            NotificationArn: arn,
            CustomData: customData,
            ...(reviewUrl ? { ExternalEntityLink: reviewUrl } : {}),
        }));
        this.registerOutputs({ topicArn: this.topicArn, approverPolicyArn: this.approverPolicyArn });
    }
}
