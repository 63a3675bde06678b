import type { z } from "zod";
import { nearestKey } from "./known-keys";
import { PROJECT_FILE, type Origin } from "./service-layers";

/** One problem in the stack's configuration, at a `cicd:` path. */
export interface ConfigIssue {
    /** Path inside the `cicd` namespace, as segments: `["services", 1, "deploy", "kind"]`. */
    readonly path: readonly PropertyKey[];
    /** What is wrong and how to fix it, without the path. */
    readonly message: string;
}

/** Renders `["services", 1, "deploy", "kind"]` as `cicd:services[1].deploy.kind`. */
function configPath(path: readonly PropertyKey[]): string {
    const rest = path
        .slice(1)
        .map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${String(segment)}`))
        .join("");
    return `cicd:${String(path[0] ?? "")}${rest}`;
}

/** What turns `["services", 0, ...]` into `cicd:services.web...` and names the file that set the value. */
export interface ConfigSources {
    /** Service names by their index in the validated `services` list. */
    readonly serviceNames: readonly (string | undefined)[];
    /** Where the value at `[serviceName, ...path]` was written (`stacks/service-layers.ts`); absent: not layered. */
    readonly originOf?: (path: readonly PropertyKey[]) => Origin;
}

/** One problem as a line: the key (by service name), the file(s) that set it, and the message. */
function renderIssue(issue: ConfigIssue, stackFile: string, sources?: ConfigSources): string {
    const [head, index, ...rest] = issue.path;
    const name = typeof index === "number" ? sources?.serviceNames[index] : undefined;
    if (head !== "services" || name === undefined) return `\`${configPath(issue.path)}\` ${issue.message}`;
    // The service's name is its key: a problem with the name is a problem with the key.
    const isName = rest.length === 1 && rest[0] === "name";
    const inner = isName ? [] : rest;
    const message = isName ? `has a key (the service name) that ${issue.message}` : issue.message;
    const stackKey = `\`${configPath(["services", name, ...inner])}\``;
    const projectKey = `\`${configPath(["serviceDefaults", name, ...inner])}\``;
    switch (sources?.originOf?.([name, ...inner]) ?? "none") {
        case "stack":
            return `${stackKey} in ${stackFile} ${message}`;
        case "project":
            return `${projectKey} in ${PROJECT_FILE} ${message}`;
        case "both":
            return `${stackKey} in ${stackFile} (overriding ${projectKey} in ${PROJECT_FILE}) ${message}`;
        case "merged":
            return `${stackKey} in ${stackFile} (merged with ${projectKey} in ${PROJECT_FILE}) ${message}`;
        default:
            return `${stackKey} ${message}`;
    }
}

/** Thrown before any resource is registered when the stack's configuration is invalid. */
export class ConfigError extends Error {
    constructor(
        readonly stackFile: string,
        readonly issues: readonly ConfigIssue[],
        sources?: ConfigSources,
    ) {
        super(
            `Invalid configuration in ${stackFile} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
                issues.map((issue) => `  - ${renderIssue(issue, stackFile, sources)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

const describe = (value: unknown): string => {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "an object";
    return `${typeof value} ${JSON.stringify(value)}`;
};

const TYPE_NAMES: Record<string, string> = {
    string: "a string",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
    array: "a list",
    object: "an object",
    record: "an object",
};

/** Zod's own messages start with these; ours never do. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

/** Turns one zod issue into our wording: the rule, what was found, and the fix. */
export function describeIssue(
    issue: z.core.$ZodIssue,
    whereToAdd: (path: readonly PropertyKey[]) => string,
    knownKeys: (path: readonly PropertyKey[]) => readonly string[] = () => [],
): ConfigIssue[] {
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
        case "unrecognized_keys": {
            // A service's `name` is its key in the file, never written inside it.
            const isService = issue.path.length === 2 && issue.path[0] === "services";
            const keys = knownKeys(issue.path).filter((key) => !(isService && key === "name"));
            return issue.keys.map((key) => {
                const nearest = nearestKey(key, keys);
                const hint = nearest
                    ? `Did you mean \`${nearest}\`? Rename it`
                    : keys.length > 0
                      ? `The keys here are ${keys.map((k) => `\`${k}\``).join(", ")}: check its spelling or remove it`
                      : "Check its spelling or remove it";
                return {
                    path: [...issue.path, key],
                    message: `is not a known key. ${hint} (the keys are documented in docs/config-reference.md).`,
                };
            });
        }
        case "invalid_type":
            if (input === undefined)
                return [{ path: issue.path, message: `is required. Add it ${whereToAdd(issue.path)}.` }];
            if (issue.expected === "string" && typeof input === "number")
                return [
                    {
                        path: issue.path,
                        message: `is the number ${input}, but must be a string: YAML reads unquoted digits as a number (and drops leading zeros). Quote it, like "${input}".`,
                    },
                ];
            return [
                {
                    path: issue.path,
                    message: `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describe(input)}.`,
                },
            ];
        case "invalid_union":
            if ("discriminator" in issue && issue.discriminator) {
                const options = (issue as { options?: unknown[] }).options ?? [];
                // The issue carries the whole object; what was wrong is its discriminator.
                const value =
                    input && typeof input === "object"
                        ? (input as Record<string, unknown>)[issue.discriminator]
                        : undefined;
                const found =
                    value === undefined ? "is missing" : `is ${JSON.stringify(value)}, which is not supported`;
                return [{ path: issue.path, message: `${found}. Use one of: ${options.join(", ")}.` }];
            }
            break;
        case "invalid_value":
            // A field that states its own rule (like `eventBridgeEnabled`) keeps it: it says what to do.
            if (!ZOD_DEFAULT.test(issue.message)) return [{ path: issue.path, message: `${issue.message}` }];
            return [
                {
                    path: issue.path,
                    message: `is ${JSON.stringify(input)}. Use one of: ${issue.values.map(String).join(", ")}.`,
                },
            ];
        case "too_small":
            if (ZOD_DEFAULT.test(issue.message)) {
                const what =
                    issue.origin === "array"
                        ? `at least ${issue.minimum} item(s)`
                        : issue.origin === "string"
                          ? `at least ${issue.minimum} character(s)`
                          : `at least ${issue.minimum}`;
                return [{ path: issue.path, message: `must be ${what}, not ${describe(input)}.` }];
            }
            break;
        case "too_big":
            if (ZOD_DEFAULT.test(issue.message)) {
                const what =
                    issue.origin === "array"
                        ? `at most ${issue.maximum} item(s)`
                        : issue.origin === "string"
                          ? `at most ${issue.maximum} character(s)`
                          : `at most ${issue.maximum}`;
                return [{ path: issue.path, message: `must be ${what}, not ${describe(input)}.` }];
            }
            break;
        default:
            break;
    }
    const suffix = input === undefined || typeof input === "object" ? "" : ` (found ${JSON.stringify(input)})`;
    return [{ path: issue.path, message: `${issue.message}${suffix}.` }];
}
