import type { ConfigIssue } from "../stacks/config-error";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import type { ServiceConfig } from "../stacks/service-schema";
import { MAX_INLINE_BUILDSPEC } from "./buildspec";
import { nameContext } from "./pipeline";
import { imageFileFor, projectsFor, type ProjectModel } from "./projects";

/**
 * Rules over the planned CodeBuild projects: the variables their commands use, their inline buildspecs' size and
 * the image file the deploy reads. They run when the environment is planned, after config validation.
 */

type Rule = (input: {
    readonly environment: EnvironmentConfig;
    readonly services: readonly ServiceConfig[];
}) => ConfigIssue[];

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

/** Inline buildspecs CodeBuild would reject (https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html). */
function buildspecSizes(environment: EnvironmentConfig, service: ServiceConfig, i: number): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    for (const project of projectsFor(nameContext(environment), environment, service)) {
        if (!("inline" in project.buildspec)) continue;
        const size = project.buildspec.inline.length;
        if (size <= MAX_INLINE_BUILDSPEC) continue;
        issues.push({
            path: project.id === "build" ? ["services", i, "build", "commands"] : ["services", i, "tests", project.id],
            message: `make an inline buildspec of ${size} characters, over CodeBuild's ${MAX_INLINE_BUILDSPEC}. Move the commands into a script${project.id === "build" ? " or a buildspec file (`buildspecFile`)" : ""}.`,
        });
    }
    return issues;
}

const buildspecsFit: Rule = ({ environment, services }) =>
    services.flatMap((service, i) => (service.build.commands ? buildspecSizes(environment, service, i) : []));

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

/** Every problem the planned projects of these services have. */
export const buildPlanIssues = (environment: EnvironmentConfig, services: readonly ServiceConfig[]): ConfigIssue[] =>
    [variablesDefined, buildspecsFit, imageFileInArtifact].flatMap((rule) => rule({ environment, services }));
