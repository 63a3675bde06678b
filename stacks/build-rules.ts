import { MAX_INLINE_BUILDSPEC } from "../model/buildspec";
import { nameContext } from "../model/pipeline";
import { imageFileFor, projectsFor, type ProjectModel } from "../model/projects";
import type { ConfigIssue } from "./config-error";
import type { EnvironmentConfig } from "./environment-schema";
import { findSecrets } from "./secret-scan";
import type { ServiceConfig } from "./service-schema";

/**
 * Rules on builds, tests, their variables and secrets. They run after the schema, on typed values, and return
 * every problem at once. Registered in `stacks/rules.ts`.
 */

export interface BuildRuleInput {
    readonly environment: EnvironmentConfig;
    readonly services: readonly ServiceConfig[];
}

type Rule = (input: BuildRuleInput) => ConfigIssue[];

/**
 * Variables CodeBuild sets in every build, from "Environment variables in build environments"
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html). `CODEBUILD_SRC_DIR_<id>`
 * exists only for secondary sources, which these projects do not have.
 */
export const CODEBUILD_VARIABLES: readonly string[] = [
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "CODEBUILD_BATCH_BUILD_IDENTIFIER",
    "CODEBUILD_BUILD_ARN",
    "CODEBUILD_BUILD_ID",
    "CODEBUILD_BUILD_IMAGE",
    "CODEBUILD_BUILD_NUMBER",
    "CODEBUILD_BUILD_SUCCEEDING",
    "CODEBUILD_INITIATOR",
    "CODEBUILD_KMS_KEY_ID",
    "CODEBUILD_LOG_PATH",
    "CODEBUILD_PROJECT_ARN",
    "CODEBUILD_PUBLIC_BUILD_URL",
    "CODEBUILD_RESOLVED_SOURCE_VERSION",
    "CODEBUILD_SOURCE_REPO_URL",
    "CODEBUILD_SOURCE_VERSION",
    "CODEBUILD_SRC_DIR",
    "CODEBUILD_START_TIME",
    "CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID",
    "CODEBUILD_WEBHOOK_BASE_REF",
    "CODEBUILD_WEBHOOK_EVENT",
    "CODEBUILD_WEBHOOK_MERGE_COMMIT",
    "CODEBUILD_WEBHOOK_PREV_COMMIT",
    "CODEBUILD_WEBHOOK_HEAD_REF",
    "CODEBUILD_WEBHOOK_TRIGGER",
    "HOME",
];

/** Variables every POSIX shell or bash sets itself. */
const SHELL_VARIABLES: readonly string[] = [
    "PATH",
    "PWD",
    "OLDPWD",
    "SHELL",
    "USER",
    "HOSTNAME",
    "IFS",
    "RANDOM",
    "LINENO",
    "SECONDS",
    "UID",
    "EUID",
    "PPID",
    "SHLVL",
    "REPLY",
    "OPTARG",
    "OPTIND",
    "BASH",
    "BASH_VERSION",
    "PIPESTATUS",
];

/** `${NAME:-x}`, `${NAME-x}`, `${NAME:=x}`, `${NAME+x}`... give a default or test presence: safe when unset. */
const GUARDED = /^:?[-=+]/;

/** `$NAME` and `${NAME...}` a command expands, outside single quotes and not escaped. */
export function referencedVariables(command: string): string[] {
    const found: string[] = [];
    let single = false;
    let double = false;
    for (let i = 0; i < command.length; i++) {
        const c = command[i];
        if (single) {
            if (c === "'") single = false;
            continue;
        }
        if (c === "\\") {
            i++;
            continue;
        }
        if (c === "'" && !double) single = true;
        else if (c === '"') double = !double;
        else if (c === "$") {
            const rest = command.slice(i + 1);
            if (rest.startsWith("$")) {
                i++;
                continue;
            }
            const braced = /^\{#?([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}/.exec(rest);
            const bare = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
            if (braced && !GUARDED.test(braced[2])) found.push(braced[1]);
            else if (!braced && bare) found.push(bare[1]);
        }
    }
    return found;
}

/** Variables a command assigns or exports for the commands after it (`export A=`, `A=`, `read A`, `for A in`). */
export function assignedVariables(command: string): string[] {
    const names: string[] = [];
    const patterns = [
        /(?:^|[\s;&|(])(?:(?:export|readonly|local|declare(?:\s+-\w+)*)\s+)?([A-Za-z_][A-Za-z0-9_]*)\+?=/g,
        /(?:^|[\s;&|(])export\s+([A-Za-z_][A-Za-z0-9_]*)(?=\s|$|;)/g,
        /(?:^|[\s;&|(])for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b/g,
        /(?:^|[\s;&|(])read(?:\s+-\w+)*((?:\s+[A-Za-z_][A-Za-z0-9_]*)+)/g,
    ];
    for (const pattern of patterns) {
        for (const m of command.matchAll(pattern)) names.push(...m[1].trim().split(/\s+/));
    }
    return names;
}

const projectLabel = (project: ProjectModel): string =>
    project.id === "build" ? "the build project" : `the ${project.id} test project`;

const variablesFix = (project: ProjectModel): string =>
    project.id === "build"
        ? "Define it in `build.environment` or `build.secrets`"
        : `Define it in \`tests.${project.id}.environment\` or \`tests.${project.id}.secrets\``;

/** Commands may only use variables their project will have when they run. */
function undefinedVariables(service: ServiceConfig, i: number, project: ProjectModel): ConfigIssue[] {
    if (!project.commands) return [];
    const own = project.environmentVariables.map((v) => v.name);
    if (project.id !== "build") own.push("TEST_SUITE");
    const defined = new Set(own);
    const known = new Set([...CODEBUILD_VARIABLES, ...SHELL_VARIABLES, ...own]);
    const issues: ConfigIssue[] = [];
    for (const { command, path } of project.commands) {
        if (path) {
            for (const name of new Set(referencedVariables(command))) {
                if (known.has(name)) continue;
                const has = [...defined].sort().join(", ");
                issues.push({
                    path: ["services", i, ...path],
                    message: `uses \`$${name}\`, which ${projectLabel(project)} of "${service.name}" does not have. ${variablesFix(project)}, or assign it in an earlier command${has ? ` (the project has ${has} and CodeBuild's variables)` : " (the project has only CodeBuild's variables)"}.`,
                });
            }
        }
        for (const name of assignedVariables(command)) {
            known.add(name);
            defined.add(name);
        }
    }
    return issues;
}

const variablesDefined: Rule = ({ environment, services }) =>
    services.flatMap((service, i) =>
        projectsFor(nameContext(environment), environment, service).flatMap((p) => undefinedVariables(service, i, p)),
    );

const buildDefinition: Rule = ({ environment, services }) =>
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
        for (const project of projectsFor(nameContext(environment), environment, service)) {
            if (!("inline" in project.buildspec)) continue;
            const size = project.buildspec.inline.length;
            if (size <= MAX_INLINE_BUILDSPEC) continue;
            issues.push({
                path:
                    project.id === "build"
                        ? ["services", i, "build", "commands"]
                        : ["services", i, "tests", project.id],
                message: `make an inline buildspec of ${size} characters, over CodeBuild's ${MAX_INLINE_BUILDSPEC}. Move the commands into a script${project.id === "build" ? " or a buildspec file (`buildspecFile`)" : ""}.`,
            });
        }
        return issues;
    });

/**
 * The image file the platform writes must reach the deploy action, so the artifact's files must include it.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html
 */
const imageFileInArtifact: Rule = ({ services }) =>
    services.flatMap((service, i) => {
        const imageFile = imageFileFor(service);
        const { build } = service;
        if (!imageFile || !build.containerImage || !build.commands) return [];
        if (build.artifactFiles.some((pattern) => pattern === imageFile.file || pattern.includes("*"))) return [];
        return [
            {
                path: ["services", i, "build", "artifactFiles"],
                message: `leaves out "${imageFile.file}", which the build writes for the ${service.deploy.kind} deploy to read. Add "${imageFile.file}" to the list.`,
            },
        ];
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

/** Names that look like a secret; their values must come from Parameter Store or Secrets Manager. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE|(^|_)KEY$|API_?KEY/i;

/** AWS access key ids, which secretlint reports only next to a secret access key. */
const AWS_ACCESS_KEY = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;

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

export const BUILD_RULES: readonly Rule[] = [
    buildDefinition,
    imageFileInArtifact,
    usefulCache,
    variablesDefined,
    noPlaintextSecrets,
];
