import type { ConfigIssue } from "./config-error";
import type { EnvironmentConfig } from "./environment-schema";
import { AWS_ACCESS_KEY, commandSecrets, SECRET_NAME } from "./command-secrets";
import { findSecrets } from "./secret-scan";
import type { ServiceConfig } from "./service-schema";

/**
 * Rules on builds, tests and their secrets that need only the config. They run after the schema, on typed values,
 * and return every problem at once. Registered in `stacks/rules.ts`. Rules over the planned projects (variables,
 * buildspec sizes, image files) run when the environment is planned (`model/build-rules.ts`).
 */

export interface BuildRuleInput {
    readonly environment: EnvironmentConfig;
    readonly services: readonly ServiceConfig[];
}

type Rule = (input: BuildRuleInput) => ConfigIssue[];

const buildDefinition: Rule = ({ services }) =>
    services.flatMap((service, i) => {
        const { commands, buildspecFile } = service.build;
        const issues: ConfigIssue[] = [];
        if ((commands === undefined) === (buildspecFile === undefined)) {
            issues.push({
                path: ["services", i, "build"],
                message:
                    "needs exactly one of `commands` (an inline buildspec) or `buildspecFile` (a buildspec in the repository).",
            });
            return issues;
        }
        if (service.build.containerImage && !service.build.imageRepository) {
            issues.push({
                path: ["services", i, "build", "imageRepository"],
                message: "is required when `containerImage` is true: name the ECR repository the build pushes to.",
            });
        }
        if (!service.build.containerImage && service.build.imageRepository) {
            issues.push({
                path: ["services", i, "build", "containerImage"],
                message: "must be true when `imageRepository` is set: only image builds push to ECR.",
            });
        }
        return issues;
    });

/** Caches that would do nothing. https://docs.aws.amazon.com/codebuild/latest/userguide/build-caching.html */
const usefulCache: Rule = ({ services }) =>
    services.flatMap((service, i) => {
        const { build } = service;
        const path = ["services", i, "build", "cachePaths"];
        if (build.buildspecFile !== undefined && build.cachePaths.length > 0)
            return [
                {
                    path,
                    message:
                        "only applies to `commands`. With `buildspecFile`, list the directories under `cache: paths:` in that file.",
                },
            ];
        if (build.commands && build.cache === "s3" && build.cachePaths.length === 0)
            return [
                {
                    path,
                    message:
                        'is empty, so the "s3" cache would keep nothing. List the directories to keep, like "node_modules/**/*", or set `cache` to "none".',
                },
            ];
        return [];
    });

/** A value that points at a secret instead of holding one: an ARN, or a Parameter Store name. */
const REFERENCE = /^(arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:\S+|\/[\w./-]+)$/;

const MOVE_TO_SECRETS = (where: string) =>
    `Store it in Parameter Store or Secrets Manager and reference it from \`${where}\` as { parameter: "/path" } or { secretArn: "arn:aws:secretsmanager:..." }.`;

interface PlainVariable {
    readonly path: readonly PropertyKey[];
    readonly name: string;
    readonly value: string;
    /** Config key of the secrets that belong with these variables. */
    readonly secretsKey: string;
    readonly secrets: Readonly<Record<string, unknown>>;
}

function plainVariables(services: readonly ServiceConfig[]): PlainVariable[] {
    return services.flatMap((service, i) => [
        ...Object.entries(service.build.environment).map(([name, value]) => ({
            path: ["services", i, "build", "environment", name],
            name,
            value,
            secretsKey: "build.secrets",
            secrets: service.build.secrets,
        })),
        ...Object.entries(service.tests).flatMap(([id, suite]) =>
            Object.entries(suite?.environment ?? {}).map(([name, value]) => ({
                path: ["services", i, "tests", id, "environment", name],
                name,
                value,
                secretsKey: `tests.${id}.secrets`,
                secrets: suite?.secrets ?? {},
            })),
        ),
    ]);
}

/**
 * No secret in plaintext variables, found by name (unless the value only points at a secret) and by value, with
 * secretlint's recommended rules plus passwords in URLs (`stacks/secret-scan.ts`).
 */
const noPlaintextSecrets: Rule = ({ services }) => {
    const variables = plainVariables(services);
    const byValue = new Map(findSecrets(variables.map((v) => v.value)).map((f) => [f.index, f.detector]));
    return variables.flatMap(({ path, name, value, secretsKey, secrets }, index) => {
        if (AWS_ACCESS_KEY.test(value))
            return [
                {
                    path,
                    message:
                        "holds an AWS access key id in plain text. Remove it: builds get credentials from their role.",
                },
            ];
        const detector = byValue.get(index);
        if (detector)
            return [
                {
                    path,
                    message: `holds a secret in plain text (found by ${detector}). ${MOVE_TO_SECRETS(secretsKey)}`,
                },
            ];
        if (SECRET_NAME.test(name) && !REFERENCE.test(value))
            return [{ path, message: `looks like a secret but is a plaintext value. ${MOVE_TO_SECRETS(secretsKey)}` }];
        if (name in secrets) return [{ path, message: `is also set in \`${secretsKey}\`. Keep only the secret.` }];
        return [];
    });
};

export const BUILD_RULES: readonly Rule[] = [buildDefinition, usefulCache, noPlaintextSecrets, commandSecrets];
