/**
 * S3 buckets, judged with the resources that configure them. In @pulumi/aws v7 encryption,
 * public-access block and policy are separate resources (`aws.s3.Bucket` is the former BucketV2),
 * so these are stack policies joining each bucket to its configuration resources.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { parsePolicyDocument, Statement, stringList } from "../lib/iam-document";
import { asArray, asBag, dig, isUnknown, plain } from "../lib/props";
import { joinIndex, joinedTo, type JoinIndex } from "../lib/stack-join";

/**
 * v7 token and the BucketV2 token (v6's BucketV2, kept in v7 as a deprecated alias; v6's legacy
 * aws.s3.Bucket shares the v7 token). The split resources' V2 tokens are v6 names still in state.
 */
export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const SSE_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
export const PUBLIC_ACCESS_BLOCK_TYPES = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];
export const BUCKET_POLICY_TYPES = ["aws:s3/bucketPolicy:BucketPolicy"];

type BucketCheck = (bucket: PolicyResource, joined: JoinIndex) => string | undefined;

/** A stack policy checking each bucket against the resources of `types` joined to it through `bucket`. */
function bucketStackPolicy(
    name: string,
    description: string,
    types: string[],
    check: BucketCheck,
): StackValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        validateStack: (args, report) => {
            const index = joinIndex(args.resources, types, "bucket");
            for (const bucket of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
                const message = check(bucket, index);
                if (message) {
                    report(message, bucket.urn);
                }
            }
        },
    };
}

function joined(bucket: PolicyResource, index: JoinIndex): PolicyResource[] {
    return joinedTo(bucket, index, ["bucket"]);
}

/** One object or a list of them (the shapes differ between resources and provider versions). */
function oneOrMany(value: unknown): unknown[] {
    return asArray(value) ?? (asBag(value) || isUnknown(value) ? [value] : []);
}

/**
 * sseAlgorithm values of a rule or rule list; unknown lists and values are returned as-is for the
 * caller. A rule's default is `applyServerSideEncryptionByDefault` (one object: v7 Bucket and the split
 * resources) or `applyServerSideEncryptionByDefaults` (a list: the BucketV2 inline block).
 */
function algorithms(rules: unknown): unknown[] {
    return oneOrMany(rules).flatMap((rule) => {
        if (isUnknown(rule)) return [rule];
        const defaults = [
            ...oneOrMany(dig(rule, "applyServerSideEncryptionByDefault")),
            ...oneOrMany(dig(rule, "applyServerSideEncryptionByDefaults")),
        ];
        return defaults.map((d) => (isUnknown(d) ? d : dig(d, "sseAlgorithm")));
    });
}

/**
 * The bucket's own (deprecated) encryption block, in every shape @pulumi/aws v7 accepts and v6
 * exports: `serverSideEncryptionConfiguration.rule` (aws.s3.Bucket, v6's legacy Bucket) and
 * `serverSideEncryptionConfigurations[].rules[]` (BucketV2).
 */
function inlineAlgorithms(bucketProps: unknown): unknown[] {
    const single = dig(bucketProps, "serverSideEncryptionConfiguration");
    const plural = dig(bucketProps, "serverSideEncryptionConfigurations");
    return [
        ...oneOrMany(single).flatMap((c) => (isUnknown(c) ? [c] : algorithms(dig(c, "rule") ?? dig(c, "rules")))),
        ...oneOrMany(plural).flatMap((c) => (isUnknown(c) ? [c] : algorithms(dig(c, "rules") ?? dig(c, "rule")))),
    ];
}

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

function usesKms(algorithmsFound: unknown[]): boolean {
    return algorithmsFound.some((a) => isUnknown(a) || KMS_ALGORITHMS.includes(a as string));
}

function encryptionProblem(bucket: PolicyResource, index: JoinIndex): string | undefined {
    const inline = inlineAlgorithms(plain(bucket.props));
    const configs = joined(bucket, index);
    const found = [...inline, ...configs.flatMap((c) => algorithms(dig(plain(c.props), "rules")))];
    if (usesKms(found)) {
        return undefined;
    }
    const fix =
        "with rules[0].applyServerSideEncryptionByDefault.sseAlgorithm 'aws:kms' and kmsMasterKeyId set to a customer-managed KMS key.";
    const shown = found.filter((a): a is string => typeof a === "string");
    if (shown.length > 0) {
        return `S3 bucket '${bucket.name}' default encryption uses '${shown.join("', '")}', not SSE-KMS. Configure its aws.s3.BucketServerSideEncryptionConfiguration ${fix}`;
    }
    return `S3 bucket '${bucket.name}' has no SSE-KMS default encryption. Add an aws.s3.BucketServerSideEncryptionConfiguration for it ${fix}`;
}

/**
 * Every bucket has SSE-KMS default encryption: a joined BucketServerSideEncryptionConfiguration
 * (or the deprecated inline block) with sseAlgorithm aws:kms / aws:kms:dsse; unknown values pass.
 * Anchors: Checkov CKV_AWS_145; cdk-nag AwsSolutions-S2/S10 theme; trivy AWS-0132.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
 */
export const s3BucketKmsEncryption = bucketStackPolicy(
    "s3-bucket-kms-encryption",
    "Every S3 bucket must have SSE-KMS default encryption (aws.s3.BucketServerSideEncryptionConfiguration).",
    SSE_TYPES,
    encryptionProblem,
);

/**
 * Every bucket has a BucketPublicAccessBlock joined to it; its four flags are checked (and can be
 * remediated) per resource by `s3-public-access-block-flags`.
 * Anchors: Checkov CKV2_AWS_6; trivy AWS-0094 (shared §5 S3 row).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
export const s3BucketPublicAccessBlock = bucketStackPolicy(
    "s3-bucket-public-access-block",
    "Every S3 bucket must have an aws.s3.BucketPublicAccessBlock.",
    PUBLIC_ACCESS_BLOCK_TYPES,
    (bucket, index) =>
        joined(bucket, index).length > 0
            ? undefined
            : `S3 bucket '${bucket.name}' has no public access block. Add an aws.s3.BucketPublicAccessBlock for it with ` +
              `blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.`,
);

/** "false", false, or unknown (present but not judgeable in preview), alone or in a list. */
function isFalseOrUnknown(value: unknown): boolean {
    const list = Array.isArray(value) ? value : [value];
    return list.some((v) => v === false || isUnknown(v) || (typeof v === "string" && v.toLowerCase() === "false"));
}

/** Deny, for every principal and every S3 action, when aws:SecureTransport is false. */
function deniesPlainHttp(statement: Statement): boolean {
    const principal = statement.principal;
    const everyone = principal === "*" || isUnknown(principal) || stringList(dig(principal, "AWS")).includes("*");
    const allS3 = statement.actions.some((a) => a === "*" || a.toLowerCase() === "s3:*");
    const bool = { ...asBag(dig(statement.condition, "Bool")), ...asBag(dig(statement.condition, "BoolIfExists")) };
    const secure = Object.entries(bool).find(([key]) => key.toLowerCase() === "aws:securetransport");
    return statement.isDeny && everyone && allS3 && secure !== undefined && isFalseOrUnknown(secure[1]);
}

/** A computed document (preview) can't be read: its presence is what is checked. */
function documentEnforcesTls(document: unknown): boolean {
    const parsed = parsePolicyDocument(document);
    return parsed.kind === "unknown" || (parsed.kind === "ok" && parsed.statements.some(deniesPlainHttp));
}

function tlsProblem(bucket: PolicyResource, index: JoinIndex): string | undefined {
    const policies = joined(bucket, index);
    const documents = [dig(plain(bucket.props), "policy"), ...policies.map((p) => dig(plain(p.props), "policy"))];
    if (documents.some((d) => d !== undefined && d !== null && documentEnforcesTls(d))) {
        return undefined;
    }
    const statement =
        "a Deny statement for Principal '*' and Action 's3:*' on the bucket and its objects with Condition " +
        "{ Bool: { 'aws:SecureTransport': 'false' } }.";
    if (policies.length > 0) {
        return `S3 bucket '${bucket.name}' has a bucket policy ('${policies[0].name}') that does not deny requests without TLS. Add ${statement}`;
    }
    return `S3 bucket '${bucket.name}' has no bucket policy denying requests without TLS. Add an aws.s3.BucketPolicy for it with ${statement}`;
}

/**
 * Every bucket has a policy (joined BucketPolicy, or the deprecated inline `policy`) that denies
 * requests made without TLS. A computed policy document (preview) passes: its presence is checked.
 * Anchors: Checkov CKV_AWS_379 theme; cdk-nag AwsSolutions-S10.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 */
export const s3BucketTlsOnly = bucketStackPolicy(
    "s3-bucket-tls-only",
    "Every S3 bucket must have a bucket policy that denies requests when aws:SecureTransport is false.",
    BUCKET_POLICY_TYPES,
    tlsProblem,
);
