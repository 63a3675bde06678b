/** SNS topics (e.g. the approval notification topic): encrypted at rest, and no topic policy open to everyone. */
import { presencePolicy } from "../lib/presence";
import { publicPrincipalPolicy } from "../lib/public-principal";

/**
 * Every topic sets `kmsMasterKeyId`; an unknown key id passes in preview, a missing one fails.
 * Anchors: Checkov CKV_AWS_26; trivy AWS-0095; AWS Config sns-encrypted-kms. (cdk-nag AwsSolutions-SNS2 and
 * Security Hub SNS.1 were retired in 2024: data/equivalent-rules.json.)
 * Fix: set kmsMasterKeyId to a customer-managed key whose policy lets the publishing service
 * (e.g. codestar-notifications.amazonaws.com) use it.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
 */
export const snsTopicEncryption = presencePolicy({
    name: "sns-topic-encryption",
    description: "SNS topics must be encrypted with KMS (kmsMasterKeyId).",
    enforcementLevel: "mandatory",
    type: "aws:sns/topic:Topic",
    path: ["kmsMasterKeyId"],
    message: (name) =>
        `SNS topic '${name}' is not encrypted at rest (no kmsMasterKeyId). ` +
        `Set kmsMasterKeyId to the ARN of a customer-managed KMS key.`,
});

/**
 * Topic policies (aws.sns.TopicPolicy, aws.sns.Topic `policy`). Mirrors AWS Config sns-topic-no-public-access.
 * https://docs.aws.amazon.com/config/latest/developerguide/sns-topic-no-public-access.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html
 */
export const snsTopicPolicyNoPublicPrincipal = publicPrincipalPolicy(
    "sns-topic-policy-no-public-principal",
    "SNS topic policies must not allow Principal '*' without a condition restricting the caller.",
    [
        { type: "aws:sns/topicPolicy:TopicPolicy", label: "SNS topic policy" },
        { type: "aws:sns/topic:Topic", label: "SNS topic" },
    ],
);
