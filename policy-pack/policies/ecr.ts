/**
 * ECR repositories holding build images: KMS encryption, scan on push, immutable tags.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, dig, isTrueOrUnknown, isUnknown, plain } from "../lib/props";

export const ECR_REPOSITORY_TYPE = "aws:ecr/repository:Repository";

type RepositoryCheck = (props: unknown, name: string) => string | undefined;

function repositoryPolicy(name: string, description: string, check: RepositoryCheck): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        validateResource: (args, report) => {
            if (args.type !== ECR_REPOSITORY_TYPE) {
                return;
            }
            const message = check(plain(args.props), args.name);
            if (message) {
                report(message);
            }
        },
    };
}

const KMS_TYPES = ["KMS", "KMS_DSSE"];

function encryptionCheck(props: unknown, name: string): string | undefined {
    const configs = dig(props, "encryptionConfigurations");
    if (isUnknown(configs)) {
        return undefined;
    }
    const types = (asArray(configs) ?? []).map((c) => (isUnknown(c) ? c : dig(c, "encryptionType")));
    if (types.some((t) => isUnknown(t) || KMS_TYPES.includes(t as string))) {
        return undefined;
    }
    return (
        `ECR repository '${name}' is not encrypted with KMS (encryptionType defaults to AES256). ` +
        `Set encryptionConfigurations to [{ encryptionType: "KMS", kmsKey: <customer-managed KMS key ARN> }].`
    );
}

/**
 * encryptionConfigurations[].encryptionType KMS (or KMS_DSSE); the AES256 default fails.
 * Anchors: Checkov CKV_AWS_136; trivy AWS-0033. Fix: encryptionType "KMS" with kmsKey.
 */
export const ecrRepositoryKmsEncryption = repositoryPolicy(
    "ecr-repository-kms-encryption",
    "ECR repositories must be encrypted with KMS (encryptionConfigurations[].encryptionType KMS).",
    encryptionCheck,
);

/**
 * imageScanningConfiguration.scanOnPush true (unknown passes). A registry-level scanning
 * configuration is not looked at: the repository setting is what this rule pins.
 * Anchors: Checkov CKV_AWS_163; trivy AWS-0030.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
 */
export const ecrScanOnPush = repositoryPolicy(
    "ecr-scan-on-push",
    "ECR repositories must scan images on push.",
    (props, name) =>
        isTrueOrUnknown(dig(props, "imageScanningConfiguration", "scanOnPush"))
            ? undefined
            : `ECR repository '${name}' does not scan images on push. Set imageScanningConfiguration.scanOnPush to true.`,
);

/**
 * imageTagMutability IMMUTABLE: a deployed tag can't be overwritten, so what was approved is what
 * runs. IMMUTABLE_WITH_EXCLUSION is refused too (its excluded tags stay mutable).
 * Anchors: Checkov CKV_AWS_51; trivy AWS-0031.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
 */
export const ecrImmutableTags = repositoryPolicy(
    "ecr-immutable-tags",
    "ECR repositories must have immutable image tags.",
    (props, name) => {
        const mutability = dig(props, "imageTagMutability");
        if (mutability === "IMMUTABLE" || isUnknown(mutability)) {
            return undefined;
        }
        const current = typeof mutability === "string" ? `'${mutability}'` : "not set (defaults to MUTABLE)";
        return `ECR repository '${name}' imageTagMutability is ${current}. Set imageTagMutability to 'IMMUTABLE'.`;
    },
);
