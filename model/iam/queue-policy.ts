import { deliveryEventsRuleName, eventRuleArn, sourceChangeRuleArnPattern, type NameContext } from "../names";
import { policy, type PolicyDocument } from "./document";

/**
 * Every queue action of the Service Authorization Reference that takes a queue, listed so the TLS Deny covers them
 * all without `sqs:*` (`ListQueues` takes no queue, and `CreateQueue` none that exists yet).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
 */
export const QUEUE_ACTIONS = [
    "sqs:AddPermission",
    "sqs:CancelMessageMoveTask",
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:DeleteQueue",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ListDeadLetterSourceQueues",
    "sqs:ListMessageMoveTasks",
    "sqs:ListQueueTags",
    "sqs:PurgeQueue",
    "sqs:ReceiveMessage",
    "sqs:RemovePermission",
    "sqs:SendMessage",
    "sqs:SetQueueAttributes",
    "sqs:StartMessageMoveTask",
    "sqs:TagQueue",
    "sqs:UntagQueue",
];

/** The rules whose targets send what they could not deliver to the environment's dead-letter queue. */
export const environmentRuleArns = (ctx: NameContext): string[] => [
    eventRuleArn(ctx, deliveryEventsRuleName(ctx)),
    sourceChangeRuleArnPattern(ctx),
];

/**
 * The environment's events dead-letter queue: EventBridge may send to it, for this account's rules of this
 * environment only. The EventBridge guide's statement is `sqs:SendMessage` for `events.amazonaws.com` with
 * `aws:SourceArn` naming the rule (ArnEquals). ArnLike takes the delivery-metrics rule's ARN as it is and the
 * environment's source-change rules as one pattern (`names.sourceChangeRuleArnPattern`); `aws:SourceAccount` is
 * added as IAM's confused-deputy guidance recommends beside `aws:SourceArn`. Without either key (a request not made
 * for a rule of ours) the statement does not apply.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html#eb-dlq-perms
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 * Same-account readers (operators redriving events) are granted by their IAM policies, which a queue policy that
 * names no other principal leaves in charge (the key policy delegates decrypting this queue's messages to them). Every request must use TLS:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html#enforce-encryption-data-in-transit
 */
export function eventsDeadLetterQueuePolicy(ctx: NameContext, queueArn: string): PolicyDocument {
    return policy([
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: QUEUE_ACTIONS,
            Resource: [queueArn],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "EnvironmentRulesSendUndelivered",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["sqs:SendMessage"],
            Resource: [queueArn],
            Condition: {
                StringEquals: { "aws:SourceAccount": ctx.accountId },
                ArnLike: { "aws:SourceArn": environmentRuleArns(ctx) },
            },
        },
    ]);
}
