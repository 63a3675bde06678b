/**
 * CodeBuild projects: artifact encryption key, secrets in environment variables, privileged mode.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/security.html
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isAwsManagedKeyAlias } from "../lib/kms-key";
import { asArray, asString, dig, isPresent, isUnknown, plain } from "../lib/props";

export const CODEBUILD_PROJECT_TYPE = "aws:codebuild/project:Project";

/**
 * `encryptionKey` set to a customer-managed key: absent means the AWS-managed aws/s3 key.
 * Anchors: Checkov CKV_AWS_147; cdk-nag AwsSolutions-CB4.
 * Fix: set encryptionKey to a customer-managed KMS key ARN.
 */
export const codebuildProjectCmkEncryption: ResourceValidationPolicy = {
    name: "codebuild-project-cmk-encryption",
    description: "CodeBuild projects must encrypt build output with a customer-managed KMS key (encryptionKey).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== CODEBUILD_PROJECT_TYPE) {
            return;
        }
        const key = dig(plain(args.props), "encryptionKey");
        const fix = "Set encryptionKey to the ARN of a customer-managed KMS key.";
        if (!isPresent(key)) {
            report(
                `CodeBuild project '${args.name}' has no encryptionKey, so build output uses the AWS-managed aws/s3 key. ${fix}`,
            );
        } else if (isAwsManagedKeyAlias(key)) {
            report(
                `CodeBuild project '${args.name}' uses the AWS-managed key '${asString(key)}' as encryptionKey. ${fix}`,
            );
        }
    },
};

/** Names that say "secret": *PASSWORD*, *SECRET*, *TOKEN*, *_KEY (case-insensitive). */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|_KEY$/i;
/** AWS access key ids: long-term (AKIA) and temporary (ASIA) credentials. */
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;

interface SecretsConfig {
    allowedVariableNames?: string[];
}

function variableProblem(variable: unknown, allowed: Set<string>): [string, string] | undefined {
    const type = dig(variable, "type");
    if (isUnknown(type) || (isPresent(type) && type !== "PLAINTEXT")) {
        return undefined;
    }
    const name = asString(dig(variable, "name"));
    if (name === undefined || allowed.has(name.toUpperCase())) {
        return undefined;
    }
    if (SECRET_NAME.test(name)) {
        return [name, "its name looks like a secret"];
    }
    const value = asString(dig(variable, "value"));
    // The value is never echoed: the message would leak the credential into CI logs.
    return value !== undefined && ACCESS_KEY_ID.test(value)
        ? [name, "its value looks like an AWS access key id"]
        : undefined;
}

/**
 * No secret-looking PLAINTEXT environment variables (type PLAINTEXT or absent): plaintext values
 * are visible in the console, API and build logs. PARAMETER_STORE / SECRETS_MANAGER are fine.
 * Config: `allowedVariableNames` for names that match the pattern but hold no secret (e.g. S3_KEY).
 * Anchors: none of the shared §5 IDs covers it (CKV_AWS_314 there is CodeBuild logging).
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html
 */
export const codebuildNoPlaintextSecrets: ResourceValidationPolicy = {
    name: "codebuild-no-plaintext-secrets",
    description:
        "CodeBuild environment variables that look like secrets must come from Secrets Manager or Parameter Store.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedVariableNames: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Variable names (case-insensitive) that match the secret pattern but are not secrets.",
            },
        },
    },
    validateResource: (args, report) => {
        if (args.type !== CODEBUILD_PROJECT_TYPE) {
            return;
        }
        const config = args.getConfig<SecretsConfig>();
        const allowed = new Set((config.allowedVariableNames ?? []).map((n) => String(n).toUpperCase()));
        const variables = asArray(dig(plain(args.props), "environment", "environmentVariables")) ?? [];
        for (const variable of variables) {
            const problem = variableProblem(variable, allowed);
            if (problem) {
                report(
                    `CodeBuild project '${args.name}' passes environment variable '${problem[0]}' as PLAINTEXT and ${problem[1]}. ` +
                        `Store it in Secrets Manager or Parameter Store and set type to 'SECRETS_MANAGER' or 'PARAMETER_STORE' with the secret's name as value.`,
                );
            }
        }
    },
};

/**
 * Advisory: privileged mode gives the build root access to a Docker daemon; needed only to build
 * container images. Anchors: Checkov CKV_AWS_316; cdk-nag AwsSolutions-CB3.
 * Fix: set environment.privilegedMode to false unless the project builds Docker images.
 */
export const codebuildPrivilegedMode: ResourceValidationPolicy = {
    name: "codebuild-privileged-mode",
    description: "CodeBuild projects should not run in privileged mode unless they build container images.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        const privileged = dig(plain(args.props), "environment", "privilegedMode");
        if (args.type === CODEBUILD_PROJECT_TYPE && (privileged === true || privileged === "true")) {
            report(
                `CodeBuild project '${args.name}' runs in privileged mode (environment.privilegedMode: true), which gives ` +
                    `the build root on its Docker daemon. Set privilegedMode to false unless the project builds container images.`,
            );
        }
    },
};
