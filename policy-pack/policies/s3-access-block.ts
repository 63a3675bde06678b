/**
 * Public access to buckets: no bucket policy open to everyone (below), and the four S3 Block Public Access flags on
 * each aws.s3.BucketPublicAccessBlock, with opt-in
 * remediation: setting the flags true never breaks a private CI/CD bucket, and AWS recommends all
 * four. https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { dig, isTrueOrUnknown, plain } from "../lib/props";
import { PUBLIC_ACCESS_BLOCK_TYPES } from "./s3";
import { publicPrincipalPolicy } from "../lib/public-principal";

export const PUBLIC_ACCESS_FLAGS = [
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
];

/** Flags that are not true (an unknown flag counts as set: it can't be judged in preview). */
export function missingFlags(props: unknown): string[] {
    return PUBLIC_ACCESS_FLAGS.filter((flag) => !isTrueOrUnknown(dig(props, flag)));
}

/**
 * All four flags true on every BucketPublicAccessBlock. Remediation (opt-in: set this policy's
 * level to "remediate") sets the missing flags to true.
 * Anchors: Checkov CKV2_AWS_6; trivy AWS-0094 (shared §5 S3 row).
 * Fix: set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.
 */
export const s3PublicAccessBlockFlags: ResourceValidationPolicy = {
    name: "s3-public-access-block-flags",
    description: "S3 public access blocks must set all four flags true (remediable: sets them).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!PUBLIC_ACCESS_BLOCK_TYPES.includes(args.type)) {
            return;
        }
        const missing = missingFlags(plain(args.props));
        if (missing.length > 0) {
            report(
                `S3 public access block '${args.name}' does not set all four flags true (missing: ${missing.join(", ")}). ` +
                    `Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.`,
            );
        }
    },
    remediateResource: (args) => {
        if (!PUBLIC_ACCESS_BLOCK_TYPES.includes(args.type)) {
            return undefined;
        }
        const missing = missingFlags(plain(args.props));
        if (missing.length === 0) {
            return undefined;
        }
        // Write through the SDK's proxies so secret inputs stay secret in the returned bag.
        const props = args.props;
        for (const flag of missing) {
            props[flag] = true;
        }
        return props;
    },
};

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
