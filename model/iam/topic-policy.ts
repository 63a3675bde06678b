import type { NameContext } from "../names";
import { alarmsPublishStatement } from "../metrics/iam";
import { policy, type PolicyDocument, type Statement } from "./document";

/**
 * Topic actions a resource policy can govern, listed so the TLS Deny covers them all without `sns:*`.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html
 */
const TOPIC_ACTIONS = [
    "sns:Publish",
    "sns:Subscribe",
    "sns:GetTopicAttributes",
    "sns:SetTopicAttributes",
    "sns:AddPermission",
    "sns:RemovePermission",
    "sns:DeleteTopic",
    "sns:ListSubscriptionsByTopic",
];

/**
 * An environment topic (approvals or pipeline notifications). Same-account roles publish through their own IAM
 * policies; CodeStar Notifications may publish when the topic receives notification rules, for this account only.
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/notification-target-create.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
 */
export function topicPolicy(
    ctx: NameContext,
    opts: { topicArn: string; allowNotifications: boolean; allowAlarms?: boolean },
): PolicyDocument {
    const statements: Statement[] = [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: TOPIC_ACTIONS,
            Resource: [opts.topicArn],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ];
    if (opts.allowNotifications) {
        statements.push({
            Sid: "NotificationRulesPublish",
            Effect: "Allow",
            Principal: { Service: "codestar-notifications.amazonaws.com" },
            Action: ["sns:Publish"],
            Resource: [opts.topicArn],
            Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
        });
    }
    // The environment's delivery alarms notify this topic (`model/metrics/alarms.ts`).
    if (opts.allowAlarms) statements.push(alarmsPublishStatement(ctx, opts.topicArn));
    return policy(statements);
}
