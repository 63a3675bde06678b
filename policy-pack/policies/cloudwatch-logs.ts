/** CloudWatch log groups (build and deploy logs) encrypted with a KMS key. */
import { presencePolicy } from "../lib/presence";

/**
 * Advisory: log groups are always encrypted by CloudWatch Logs; a KMS key adds key-policy control
 * and audit, at the cost of a key policy granting logs.<region>.amazonaws.com.
 * Anchors: Checkov CKV_AWS_158; trivy AWS-0017.
 * Fix: set kmsKeyId to a customer-managed KMS key ARN.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export const cloudwatchLogGroupKmsEncryption = presencePolicy({
    name: "cloudwatch-log-group-kms-encryption",
    description: "CloudWatch log groups should be encrypted with a customer-managed KMS key (kmsKeyId).",
    enforcementLevel: "advisory",
    type: "aws:cloudwatch/logGroup:LogGroup",
    path: ["kmsKeyId"],
    message: (name) =>
        `CloudWatch log group '${name}' has no kmsKeyId, so it uses CloudWatch Logs' default encryption. ` +
        `Set kmsKeyId to the ARN of a customer-managed KMS key.`,
});
