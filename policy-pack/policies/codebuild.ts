/**
 * CodeBuild projects: artifact encryption key, secrets in environment variables, privileged mode.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/security.html
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isAwsManagedKeyAlias } from "../lib/kms-key";
import {
    buildspecCommands,
    buildspecVariables,
    findCommand,
    IMAGE_BUILD_TOOLS,
    inlineBuildspec,
} from "../lib/buildspec";
import { asArray, asString, dig, isPresent, isUnknown, plain } from "../lib/props";
import { plaintextSecretProblem, secretInCommand } from "../lib/secret-values";

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

interface SecretsConfig {
    allowedVariableNames?: string[];
}

export const allowedVariableNamesSchema = {
    allowedVariableNames: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Variable names (case-insensitive) that look like secrets but are not.",
    },
} as const;

/** Problems of PLAINTEXT variables ({name, value, type}), as [name, why]; other types are references. */
export async function plaintextVariableProblems(
    variables: unknown[],
    allowedNames: unknown,
): Promise<[string, string][]> {
    const allowed = new Set((Array.isArray(allowedNames) ? allowedNames : []).map((n) => String(n).toUpperCase()));
    const problems: [string, string][] = [];
    for (const variable of variables) {
        const type = dig(variable, "type");
        const name = asString(dig(variable, "name"));
        if (isUnknown(type) || (isPresent(type) && type !== "PLAINTEXT") || name === undefined) continue;
        if (allowed.has(name.toUpperCase())) continue;
        const problem = await plaintextSecretProblem({ name, value: asString(dig(variable, "value")) });
        if (problem) problems.push([name, problem]);
    }
    return problems;
}

/**
 * No secret in PLAINTEXT environment variables (type PLAINTEXT or absent): plaintext values are
 * visible in the console, API and build logs. PARAMETER_STORE / SECRETS_MANAGER are fine. A secret is
 * found by value (lib/secret-values.ts: secretlint's recommended preset, URL credentials, high-entropy
 * tokens) or by name (*PASSWORD*, *SECRET*, *TOKEN*, *_KEY) unless the value is a reference (an ARN,
 * a parameter name) or the name says it is one (*_SECRET_ARN, *_PARAMETER).
 * An inline buildspec is read too: its plaintext `env.variables` are judged the same way, and its commands by value
 * only (variable references such as `$TOKEN` removed), since a literal in a command is as readable as a variable
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.variables recommends
 * Parameter Store or Secrets Manager for sensitive values).
 * Config: `allowedVariableNames` for names that look secret but hold no secret (e.g. S3_KEY).
 * Anchors: none of the shared §5 IDs covers it (CKV_AWS_314 there is CodeBuild logging).
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html
 */
export const codebuildNoPlaintextSecrets: ResourceValidationPolicy = {
    name: "codebuild-no-plaintext-secrets",
    description:
        "CodeBuild environment variables that look like secrets must come from Secrets Manager or Parameter Store.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...allowedVariableNamesSchema } },
    validateResource: async (args, report) => {
        if (args.type !== CODEBUILD_PROJECT_TYPE) {
            return;
        }
        const config = args.getConfig<SecretsConfig>();
        const props = plain(args.props);
        const variables = asArray(dig(props, "environment", "environmentVariables")) ?? [];
        for (const [name, why] of await plaintextVariableProblems(variables, config.allowedVariableNames)) {
            report(
                `CodeBuild project '${args.name}' passes environment variable '${name}' as PLAINTEXT and ${why}. ` +
                    `Store it in Secrets Manager or Parameter Store and set type to 'SECRETS_MANAGER' or 'PARAMETER_STORE' with the secret's name as value.`,
            );
        }
        const buildspec = inlineBuildspec(props);
        if (buildspec === undefined) return;
        const inline = buildspecVariables(buildspec).map(([name, value]) => ({ name, value }));
        for (const [name, why] of await plaintextVariableProblems(inline, config.allowedVariableNames)) {
            report(
                `CodeBuild project '${args.name}' inline buildspec sets env.variables '${name}' in plain text and ${why}. ` +
                    `Move it to env.secrets-manager or env.parameter-store (or a SECRETS_MANAGER / PARAMETER_STORE project variable).`,
            );
        }
        for (const [index, command] of buildspecCommands(buildspec).entries()) {
            const kind = await secretInCommand(command);
            if (kind)
                report(
                    `CodeBuild project '${args.name}' inline buildspec command ${index + 1} contains what looks like ${kind}. ` +
                        `Read it from a variable backed by Secrets Manager or Parameter Store instead of writing it in the buildspec.`,
                );
        }
    },
};

/** Tag that declares a project builds container images (its buildspec may live in the repository). */
export const IMAGE_BUILD_TAG = "cicd:builds-images";

/** True when the project visibly builds images: an inline buildspec running docker/buildx/buildah, or the tag. */
function buildsImages(props: unknown): boolean {
    const tag = dig(props, "tags", IMAGE_BUILD_TAG);
    if (tag === true || (typeof tag === "string" && tag.toLowerCase() === "true")) {
        return true;
    }
    const buildspec = inlineBuildspec(props);
    return buildspec !== undefined && findCommand(buildspecCommands(buildspec), IMAGE_BUILD_TOOLS) !== undefined;
}

/**
 * Advisory: privileged mode gives the build root access to a Docker daemon; needed only to build
 * container images (https://docs.aws.amazon.com/codebuild/latest/userguide/create-project.html:
 * privileged mode is for building Docker images). Quiet on projects whose inline buildspec runs
 * `docker build`/`docker buildx`/`docker push`/buildah, or tagged `cicd:builds-images=true`.
 * Anchors: Checkov CKV_AWS_316; AWS Config codebuild-project-environment-privileged-check. (cdk-nag
 * AwsSolutions-CB3 and Security Hub CodeBuild.5 were retired in 2024: data/equivalent-rules.json.)
 * Fix: set environment.privilegedMode to false unless the project builds Docker images.
 */
export const codebuildPrivilegedMode: ResourceValidationPolicy = {
    name: "codebuild-privileged-mode",
    description: "CodeBuild projects should not run in privileged mode unless they build container images.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        const props = plain(args.props);
        const privileged = dig(props, "environment", "privilegedMode");
        if (
            args.type === CODEBUILD_PROJECT_TYPE &&
            (privileged === true || privileged === "true") &&
            !buildsImages(props)
        ) {
            report(
                `CodeBuild project '${args.name}' runs in privileged mode (environment.privilegedMode: true), which gives ` +
                    `the build root on its Docker daemon, and its buildspec builds no container image. Set privilegedMode ` +
                    `to false, or tag the project ${IMAGE_BUILD_TAG}=true if its buildspec file builds images.`,
            );
        }
    },
};
