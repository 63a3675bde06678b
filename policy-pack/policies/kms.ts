/**
 * KMS keys: automatic rotation of key material, and no key policy open to everyone.
 * https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { asString, dig, isPresent, isUnknown, plain } from "../lib/props";
import { publicPrincipalPolicy } from "../lib/public-principal";

export const KMS_KEY_TYPE = "aws:kms/key:Key";

/**
 * Automatic rotation exists only for symmetric encryption keys with AWS-generated material in the
 * standard key store: asymmetric, HMAC and custom-key-store (CloudHSM / external) keys can't rotate.
 * An unknown spec or usage is given the benefit of the doubt (the key is not judged).
 */
function canRotate(props: unknown): boolean {
    const spec = dig(props, "customerMasterKeySpec");
    const usage = dig(props, "keyUsage");
    if (isUnknown(spec) || isUnknown(usage)) {
        return false;
    }
    const symmetric = (asString(spec) ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT";
    const encrypts = (asString(usage) ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT";
    const standardStore = !isPresent(dig(props, "customKeyStoreId")) && !isPresent(dig(props, "xksKeyId"));
    return symmetric && encrypts && standardStore;
}

function needsRotation(args: ResourceValidationArgs): boolean {
    if (args.type !== KMS_KEY_TYPE) {
        return false;
    }
    const props = plain(args.props);
    const rotation = dig(props, "enableKeyRotation");
    return canRotate(props) && rotation !== true && !isUnknown(rotation);
}

/**
 * Symmetric KMS keys rotate (enableKeyRotation: true); asymmetric/HMAC/custom-store keys are skipped.
 * Remediation (opt-in: set this policy's level to "remediate") sets enableKeyRotation to true.
 * Anchors: Checkov CKV_AWS_7; cdk-nag AwsSolutions-KMS5; trivy AWS-0065.
 */
export const kmsKeyRotation: ResourceValidationPolicy = {
    name: "kms-key-rotation",
    description: "Symmetric KMS keys must enable automatic key rotation (remediable: sets enableKeyRotation).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (needsRotation(args)) {
            report(
                `KMS key '${args.name}' does not rotate its key material (enableKeyRotation is not true). ` +
                    `Set enableKeyRotation: true.`,
            );
        }
    },
    remediateResource: (args) => {
        if (!needsRotation(args)) {
            return undefined;
        }
        // Write through the SDK's proxies so secret inputs stay secret in the returned bag.
        const props = args.props;
        props["enableKeyRotation"] = true;
        return props;
    },
};

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
