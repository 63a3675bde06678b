/**
 * Key, bucket and topic policies grant nothing to everyone: no Allow for Principal `*` (or with NotPrincipal) unless
 * a condition names the accounts, organisation, source resource or network it is for (lib/public-principal.ts).
 * One policy per service, each on the resources that carry that service's resource policy.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { publicGrants } from "../lib/public-principal";
import { dig, plain } from "../lib/props";

interface Carrier {
    type: string;
    /** How messages name the resource, e.g. "KMS key". */
    label: string;
}

const RESTRICT =
    "Name the principals (account, role or service) instead of '*', or add a condition that pins them, e.g. " +
    "{ StringEquals: { 'aws:SourceAccount': '<account id>' } } or { StringEquals: { 'aws:PrincipalOrgID': '<org id>' } }.";

function publicPrincipalPolicy(name: string, description: string, carriers: Carrier[]): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        validateResource: (args, report) => {
            const carrier = carriers.find((c) => c.type === args.type);
            if (!carrier) return;
            const grants = publicGrants(dig(plain(args.props), "policy"));
            if (grants.length > 0) {
                report(
                    `${carrier.label} '${args.name}' policy ${grants.join(", ")} allows every principal ('*' or ` +
                        `NotPrincipal) with no condition restricting who. ${RESTRICT}`,
                );
            }
        },
    };
}

/**
 * KMS key policies (aws.kms.Key `policy`, aws.kms.KeyPolicy): a `*` principal in a key policy lets any account use
 * the key unless a condition such as kms:CallerAccount limits it.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
 */
export const kmsKeyPolicyNoPublicPrincipal = publicPrincipalPolicy(
    "kms-key-policy-no-public-principal",
    "KMS key policies must not allow Principal '*' without a condition restricting the caller.",
    [
        { type: "aws:kms/key:Key", label: "KMS key" },
        { type: "aws:kms/keyPolicy:KeyPolicy", label: "KMS key policy" },
    ],
);

/**
 * Bucket policies (aws.s3.BucketPolicy, the deprecated inline bucket `policy`): S3 treats a `*` grant without a
 * restricting condition as public.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
export const s3BucketPolicyNoPublicPrincipal = publicPrincipalPolicy(
    "s3-bucket-policy-no-public-principal",
    "S3 bucket policies must not allow Principal '*' without a condition restricting the caller.",
    [
        { type: "aws:s3/bucketPolicy:BucketPolicy", label: "S3 bucket policy" },
        { type: "aws:s3/bucket:Bucket", label: "S3 bucket" },
        { type: "aws:s3/bucketV2:BucketV2", label: "S3 bucket" },
    ],
);

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
