/**
 * CodeBuild projects and report groups, Security Hub parity: credentials in source URLs (CodeBuild.1), S3 log
 * encryption (CodeBuild.3), a log destination (CodeBuild.4), report-group export encryption (CodeBuild.7), artifact
 * encryption, and where build images come from. Controls: https://docs.aws.amazon.com/securityhub/latest/userguide/codebuild-controls.html
 * Project inputs: https://www.pulumi.com/registry/packages/aws/api-docs/codebuild/project/
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, asString, dig, isUnknown, plain } from "../lib/props";
import { secretInValue } from "../lib/secret-values";
import { CODEBUILD_PROJECT_TYPE } from "./codebuild";

export const REPORT_GROUP_TYPE = "aws:codebuild/reportGroup:ReportGroup";

/** A nested block: an object, or the one-element list Terraform-shaped exports write; unknowns kept. */
function block(value: unknown): unknown {
    const list = asArray(value);
    return list ? list[0] : value;
}

/** `true` or the string "true" (exports write booleans as strings); an unknown is not true. */
function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** A known status string in upper case, or undefined (absent or unknown). */
function status(value: unknown): string | undefined {
    return asString(value)?.toUpperCase();
}

/**
 * Any user information in an http(s) URL (`https://user@host`, `https://user:token@host`): CodeBuild.1 fails on a
 * personal access token or a user name and password in a source URL. Other schemes (ssh://git@host) name a login,
 * not a credential, and go to the shared value detector only.
 */
const HTTP_USERINFO = /^https?:\/\/[^/\s?#]*@/i;

/** Why a source location holds a credential, or undefined. The value is never echoed. */
async function locationCredential(location: string): Promise<string | undefined> {
    if (HTTP_USERINFO.test(location)) return "user information (a token or user name and password) before the host";
    const kind = await secretInValue(location);
    return kind === undefined ? undefined : `what looks like ${kind}`;
}

/**
 * No credential in any source location: the primary `source.location` and every `secondarySources[].location`.
 * Mirrors Security Hub CodeBuild.1 / AWS Config codebuild-project-source-repo-url-check (Bitbucket URLs there; every
 * source here), with the value detector the plaintext-variable policies use (lib/secret-values.ts).
 * https://docs.aws.amazon.com/securityhub/latest/userguide/codebuild-controls.html#codebuild-1
 * https://docs.aws.amazon.com/config/latest/developerguide/codebuild-project-source-repo-url-check.html
 * Unknown locations pass in preview.
 */
export const codebuildSourceNoCredentials: ResourceValidationPolicy = {
    name: "codebuild-source-no-credentials",
    description: "CodeBuild source locations (primary and secondary) must not contain credentials.",
    enforcementLevel: "mandatory",
    validateResource: async (args, report) => {
        if (args.type !== CODEBUILD_PROJECT_TYPE) return;
        const props = plain(args.props);
        const sources: [string, unknown][] = [["source.location", dig(block(dig(props, "source")), "location")]];
        (asArray(dig(props, "secondarySources")) ?? []).forEach((source, index) => {
            const id = asString(dig(source, "sourceIdentifier"));
            sources.push([`secondarySources[${index}]${id ? ` ('${id}')` : ""}.location`, dig(source, "location")]);
        });
        for (const [where, value] of sources) {
            const location = asString(value);
            const problem = location === undefined ? undefined : await locationCredential(location);
            if (problem) {
                report(
                    `CodeBuild project '${args.name}' ${where} contains ${problem}, which anyone who can read the ` +
                        `project sees. Remove it from the URL and connect the repository with a CodeConnections ` +
                        `connection or credentials stored in CodeBuild (aws.codebuild.SourceCredential) instead.`,
                );
            }
        }
    },
};

/**
 * S3 build logs stay encrypted: `logsConfig.s3Logs.encryptionDisabled` is not true on enabled S3 logs (S3 logs are
 * encrypted by default). Mirrors Security Hub CodeBuild.3 / AWS Config codebuild-project-s3-logs-encrypted.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/codebuild-controls.html#codebuild-3
 * https://docs.aws.amazon.com/config/latest/developerguide/codebuild-project-s3-logs-encrypted.html
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_S3LogsConfig.html
 */
export const codebuildS3LogsEncrypted: ResourceValidationPolicy = {
    name: "codebuild-s3-logs-encrypted",
    description: "CodeBuild projects that send logs to S3 must not disable their encryption.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== CODEBUILD_PROJECT_TYPE) return;
        const s3 = block(dig(block(dig(plain(args.props), "logsConfig")), "s3Logs"));
        if (status(dig(s3, "status")) === "ENABLED" && isTrue(dig(s3, "encryptionDisabled"))) {
            report(
                `CodeBuild project '${args.name}' writes S3 build logs with logsConfig.s3Logs.encryptionDisabled true, ` +
                    `so build output lands in S3 unencrypted. Remove encryptionDisabled (or set it to false).`,
            );
        }
    },
};

/**
 * At least one log destination: CloudWatch Logs is on unless `logsConfig.cloudwatchLogs.status` is DISABLED, and S3
 * logs are off unless `logsConfig.s3Logs.status` is ENABLED; both off is a violation. Mirrors Security Hub
 * CodeBuild.4 / AWS Config codebuild-project-logging-enabled. Unknown statuses pass in preview.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/codebuild-controls.html#codebuild-4
 * https://docs.aws.amazon.com/config/latest/developerguide/codebuild-project-logging-enabled.html
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_LogsConfig.html
 */
export const codebuildLoggingEnabled: ResourceValidationPolicy = {
    name: "codebuild-logging-enabled",
    description: "CodeBuild projects must keep CloudWatch Logs or S3 logs enabled.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== CODEBUILD_PROJECT_TYPE) return;
        const logs = block(dig(plain(args.props), "logsConfig"));
        if (isUnknown(logs)) return;
        const cloudwatch = dig(block(dig(logs, "cloudwatchLogs")), "status");
        const s3 = dig(block(dig(logs, "s3Logs")), "status");
        if (isUnknown(cloudwatch) || isUnknown(s3)) return;
        if (status(cloudwatch) === "DISABLED" && status(s3) !== "ENABLED") {
            report(
                `CodeBuild project '${args.name}' disables CloudWatch Logs (logsConfig.cloudwatchLogs.status DISABLED) ` +
                    `and sends no S3 logs, so its builds leave no log. Set logsConfig.cloudwatchLogs.status to ENABLED ` +
                    `with a groupName, or logsConfig.s3Logs to { status: "ENABLED", location: "<bucket>/<prefix>" }.`,
            );
        }
    },
};

/**
 * Report groups that export raw results to S3 keep them encrypted: `exportConfig.s3Destination.encryptionDisabled`
 * is not true. Mirrors Security Hub CodeBuild.7 / AWS Config codebuild-report-group-encrypted-at-rest.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/codebuild-controls.html#codebuild-7
 * https://docs.aws.amazon.com/config/latest/developerguide/codebuild-report-group-encrypted-at-rest.html
 */
export const codebuildReportGroupExportEncrypted: ResourceValidationPolicy = {
    name: "codebuild-report-group-export-encrypted",
    description: "CodeBuild report groups that export to S3 must not disable encryption of the export.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== REPORT_GROUP_TYPE) return;
        const destination = block(dig(block(dig(plain(args.props), "exportConfig")), "s3Destination"));
        if (isTrue(dig(destination, "encryptionDisabled"))) {
            report(
                `CodeBuild report group '${args.name}' exports raw test results to S3 with ` +
                    `exportConfig.s3Destination.encryptionDisabled true. Set encryptionDisabled to false and ` +
                    `encryptionKey to the ARN of a customer-managed KMS key.`,
            );
        }
    },
};

/**
 * Build artifacts stay encrypted: neither `artifacts.encryptionDisabled` nor any
 * `secondaryArtifacts[].encryptionDisabled` is true. Counterpart: trivy AWS-0018 (aws-codebuild-enable-encryption).
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectArtifacts.html
 */
export const codebuildArtifactEncryption: ResourceValidationPolicy = {
    name: "codebuild-artifact-encryption",
    description: "CodeBuild projects must not disable encryption of their artifacts or secondary artifacts.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== CODEBUILD_PROJECT_TYPE) return;
        const props = plain(args.props);
        const artifacts: [string, unknown][] = [["artifacts", block(dig(props, "artifacts"))]];
        (asArray(dig(props, "secondaryArtifacts")) ?? []).forEach((artifact, index) => {
            const id = asString(dig(artifact, "artifactIdentifier"));
            artifacts.push([`secondaryArtifacts[${index}]${id ? ` ('${id}')` : ""}`, artifact]);
        });
        for (const [where, artifact] of artifacts) {
            if (isTrue(dig(artifact, "encryptionDisabled"))) {
                report(
                    `CodeBuild project '${args.name}' sets ${where}.encryptionDisabled true, so those build artifacts ` +
                        `are stored unencrypted. Remove encryptionDisabled (or set it to false); the project's ` +
                        `encryptionKey then encrypts them.`,
                );
            }
        }
    },
};

/**
 * CodeBuild's curated images are named `aws/codebuild/<image>:<version>`; any other name is an image from a
 * registry (Amazon ECR or another Docker registry).
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-available.html
 */
const CURATED_IMAGE = /^aws\/codebuild\//;
/** An Amazon ECR image URI (`<account>.dkr.ecr.<region>.amazonaws.com/...`, and the `.com.cn` partitions). */
const ECR_IMAGE = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/**
 * Advisory: builds run on CodeBuild's curated images, which AWS patches, unless the project is exempted
 * (`policy-exemption:codebuild-managed-image`) for a custom image it maintains. Unknown images pass.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-available.html
 */
export const codebuildManagedImage: ResourceValidationPolicy = {
    name: "codebuild-managed-image",
    description:
        "CodeBuild projects should build on a CodeBuild curated image (aws/codebuild/...) or carry an exemption.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        if (args.type !== CODEBUILD_PROJECT_TYPE) return;
        const image = asString(dig(block(dig(plain(args.props), "environment")), "image"));
        if (image !== undefined && !CURATED_IMAGE.test(image)) {
            report(
                `CodeBuild project '${args.name}' builds on image '${image}', not a CodeBuild curated image, so nobody ` +
                    `at AWS patches it. Use an aws/codebuild/... image, or tag the project ` +
                    `'policy-exemption:codebuild-managed-image' = 'until=YYYY-MM-DD reason=<who maintains the image>'.`,
            );
        }
    },
};

/**
 * Images from a private registry (Amazon ECR, or any registry reached with `registryCredential`) are pulled with the
 * project's service role: `imagePullCredentialsType: SERVICE_ROLE`. The default, CODEBUILD, pulls with CodeBuild's
 * own service principal, which the repository policy must then trust; AWS requires SERVICE_ROLE for cross-account and
 * private registry images and for `registryCredential`. An unknown image or type passes in preview.
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectEnvironment.html
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_RegistryCredential.html
 */
export const codebuildPrivateImageServiceRole: ResourceValidationPolicy = {
    name: "codebuild-private-image-service-role",
    description:
        "CodeBuild projects pulling an image from Amazon ECR or a private registry must use imagePullCredentialsType SERVICE_ROLE.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== CODEBUILD_PROJECT_TYPE) return;
        const environment = block(dig(plain(args.props), "environment"));
        const image = asString(dig(environment, "image"));
        const type = dig(environment, "imagePullCredentialsType");
        const credential = block(dig(environment, "registryCredential"));
        if (image === undefined || isUnknown(type) || CURATED_IMAGE.test(image)) return;
        const privateRegistry = ECR_IMAGE.test(image) || (credential !== undefined && credential !== null);
        if (privateRegistry && asString(type) !== "SERVICE_ROLE") {
            const shown = asString(type) ?? "unset (CODEBUILD)";
            report(
                `CodeBuild project '${args.name}' pulls private image '${image}' with imagePullCredentialsType ` +
                    `${shown}, so CodeBuild's own service principal, not the project's role, must be trusted by the ` +
                    `registry. Set environment.imagePullCredentialsType to "SERVICE_ROLE" and grant the service role ` +
                    `ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on the repository (or secretsmanager:GetSecretValue ` +
                    `on the registryCredential).`,
            );
        }
    },
};
