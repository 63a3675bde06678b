/**
 * What a CodeBuild project runs, read from its inline buildspec (`source.buildspec`): the commands
 * of every phase. A buildspec given as a file name in the source repository is not visible to a
 * policy, so nothing is read from it (callers say so in their docs).
 * Buildspec syntax: https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html
 */
import { asArray, asBag, asString, dig, plain } from "./props";

// Loaded on first use, like secretlint: start-up stays lean.
let yaml: typeof import("yaml") | undefined;
const parseYaml = (text: string): unknown => (yaml ??= require("yaml") as typeof import("yaml")).parse(text);

/** The inline buildspec of a CodeBuild project's props, or undefined (absent, unknown, or a file name). */
export function inlineBuildspec(projectProps: unknown): string | undefined {
    const buildspec = asString(dig(plain(projectProps), "source", "buildspec"));
    // A file name (buildspec.yml, ci/deploy.yaml) has no newline and no "phases" key.
    return buildspec !== undefined && /\n|phases\s*:/.test(buildspec) ? buildspec : undefined;
}

/** Parsed once per text: several policies read every project's buildspec, and YAML parsing dominates. */
const commandsByBuildspec = new Map<string, readonly string[]>();

/** Every command string under `phases.<phase>.commands` / `finally` (YAML or JSON buildspecs). */
export function buildspecCommands(buildspec: string): readonly string[] {
    let commands = commandsByBuildspec.get(buildspec);
    if (commands === undefined) {
        commands = parseCommands(buildspec);
        // Bounded: a pack process analyses stack after stack.
        if (commandsByBuildspec.size >= 10_000) commandsByBuildspec.clear();
        commandsByBuildspec.set(buildspec, commands);
    }
    return commands;
}

/** Parsed once per text, like the commands. */
const documents = new Map<string, unknown>();

/** The parsed buildspec, or undefined when it is not YAML (nor JSON). */
function parseBuildspec(buildspec: string): unknown {
    if (documents.has(buildspec)) return documents.get(buildspec);
    let doc: unknown;
    try {
        doc = parseYaml(buildspec);
    } catch {
        doc = undefined;
    }
    if (documents.size >= 10_000) documents.clear();
    documents.set(buildspec, doc);
    return doc;
}

/**
 * The plaintext `env.variables` of a buildspec as [name, value] (values that are not strings are skipped): they are
 * visible to anyone who can read the project. `env.parameter-store` and `env.secrets-manager` hold references.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.variables
 */
export function buildspecVariables(buildspec: string): [string, string][] {
    const variables = asBag(dig(parseBuildspec(buildspec), "env", "variables")) ?? {};
    return Object.entries(variables).flatMap(([name, value]) =>
        typeof value === "string" || typeof value === "number" ? [[name, String(value)] as [string, string]] : [],
    );
}

function parseCommands(buildspec: string): string[] {
    const doc = parseBuildspec(buildspec);
    if (doc === undefined) {
        // Not YAML CodeBuild would accept either; judge its lines as text so nothing hides in it.
        return buildspec.split("\n");
    }
    const commands: string[] = [];
    for (const phase of Object.values(asBag(dig(doc, "phases")) ?? {})) {
        // `finally` is a list of commands under the phase, like `commands`
        // (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-syntax); a
        // `finally: { commands: [...] }` mapping CodeBuild would not run is read too, so nothing hides in it.
        for (const list of [dig(phase, "commands"), dig(phase, "finally"), dig(phase, "finally", "commands")]) {
            // A single command written as a scalar instead of a list is read too, so nothing hides in it.
            for (const command of asArray(list) ?? [list]) {
                if (typeof command === "string") commands.push(command);
            }
        }
    }
    return commands;
}

/** A command-line tool and the sub-commands that change an environment (deploy, apply, delete). */
interface Tool {
    label: string;
    pattern: RegExp;
}

// `[^;&|\n]*?` lets global flags sit between the tool and its verb (`terraform -chdir=infra apply`).
const tool = (label: string, name: string, verbs: string): Tool => ({
    label,
    pattern: new RegExp(`(^|[\\s;&|(])${name}\\b[^;&|\\n]*?\\s(${verbs})\\b`, "i"),
});

/** Deployment tools whose commands change a live environment. */
export const DEPLOY_TOOLS: readonly Tool[] = [
    tool("pulumi up", "pulumi", "up|update|destroy|refresh"),
    tool("cdk deploy", "(npx\\s+)?cdk", "deploy|destroy"),
    tool("terraform apply", "(terraform|terragrunt|tofu)", "apply|destroy|import"),
    tool(
        "aws cloudformation deploy",
        "aws\\s+cloudformation",
        "deploy|create-stack|update-stack|delete-stack|execute-change-set",
    ),
    tool("sam deploy", "sam", "deploy|delete|sync"),
    tool("kubectl apply", "kubectl", "apply|create|replace|delete|patch|rollout"),
    tool("helm upgrade", "helm", "upgrade|install|uninstall|rollback"),
    tool("serverless deploy", "(serverless|sls)", "deploy|remove"),
    // AWS CLI calls that roll out code or services directly: update-service starts new tasks with the new
    // configuration (https://docs.aws.amazon.com/cli/latest/reference/ecs/update-service.html), update-function-code
    // replaces a function's code (https://docs.aws.amazon.com/cli/latest/reference/lambda/update-function-code.html),
    // create-deployment starts a CodeDeploy deployment
    // (https://docs.aws.amazon.com/cli/latest/reference/deploy/create-deployment.html); Elastic Beanstalk's and
    // Copilot's deploy commands; and the usual wrappers named after a deploy (what they run is not visible: fail safe).
    tool("aws ecs update-service", "aws\\s+ecs", "update-service|create-service|delete-service"),
    tool("aws lambda update-function-code", "aws\\s+lambda", "update-function-code|update-alias|delete-function"),
    tool("aws deploy create-deployment", "aws\\s+deploy", "create-deployment"),
    tool("eb deploy", "eb", "deploy|terminate"),
    tool("copilot deploy", "copilot", "deploy"),
    tool("npm run deploy", "(npm|yarn|pnpm)(\\s+run)?", "deploy"),
    tool("make deploy", "make", "deploy"),
];

/** Container image builds, which need privileged mode (a Docker daemon). */
export const IMAGE_BUILD_TOOLS: readonly Tool[] = [
    tool("docker build", "docker", "build|push|buildx"),
    tool("buildah", "buildah", "bud|build|push"),
];

/** The first command that runs one of `tools`, as [tool label, command]. */
export function findCommand(commands: readonly string[], tools: readonly Tool[]): [string, string] | undefined {
    for (const command of commands) {
        const found = tools.find((t) => t.pattern.test(command));
        if (found) return [found.label, command.trim()];
    }
    return undefined;
}
