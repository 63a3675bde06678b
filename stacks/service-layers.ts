import type { ConfigIssue } from "./config-error";

/**
 * A service is defined once and overridden per environment, in two config keys:
 *
 * - `cicd:serviceDefaults` in `Pulumi.yaml` (project-level config, under `value:`): every service, keyed by name,
 *   with what all environments share. Project-level config is a default for every stack of the project
 *   (https://www.pulumi.com/docs/iac/concepts/projects/project-file/ and
 *   https://www.pulumi.com/blog/project-config-mvp/, which also says object values go under `value:`).
 * - `cicd:services` in `Pulumi.<stack>.yaml`: per-environment overrides, keyed by the same names, so
 *   `pulumi config set --path cicd:services.web.deploy.cluster prod-apps` writes exactly one override
 *   (https://www.pulumi.com/docs/iac/cli/commands/pulumi_config_set/).
 *
 * Two keys, not one: when the project and the stack set the same key, Pulumi hands the program the stack's object
 * and drops the project's; it does not merge them (https://github.com/pulumi/pulumi/issues/13176, and the docs
 * change that states it, https://github.com/pulumi/docs/pull/19695). With two keys the program receives both
 * through `pulumi.Config` (the CLI, and `npm run plan`, which passes project config the same way) and merges them
 * here, so it never reads files itself.
 *
 * The merge is JSON Merge Patch (RFC 7386, https://www.rfc-editor.org/rfc/rfc7386): objects merge key by key,
 * recursively; a list or a scalar in the stack replaces the default whole; `null` removes the key (`web: null`
 * removes the service from that environment). Written here rather than taken from a library because every merged
 * value must also say which file it came from, for the error messages.
 */

export const PROJECT_FILE = "Pulumi.yaml";

/** Where a value of the merged config was written; "merged": a mapping set in both files. */
export type Origin = "stack" | "project" | "both" | "merged" | "none";

export interface MergedServices {
    /** One raw (unvalidated) service per name, `name` set from its key: defaults' order, then the stack's. */
    readonly services: readonly Record<string, unknown>[];
    /** Problems with the shape of the two keys themselves (not of a service's settings). */
    readonly issues: readonly ConfigIssue[];
    /** Where the value at `[serviceName, ...path]` was written. */
    readonly originOf: (path: readonly PropertyKey[]) => Origin;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

/** RFC 7386 §2 MergePatch(target, patch). */
export function mergePatch(target: unknown, patch: unknown): unknown {
    if (!isObject(patch)) return patch;
    const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete result[key];
        else result[key] = mergePatch(result[key], value);
    }
    return result;
}

/** The value at `path` (undefined when absent); `null` counts as present. */
function at(root: unknown, path: readonly PropertyKey[]): unknown {
    let node = root;
    for (const segment of path) {
        if (Array.isArray(node) && typeof segment === "number") node = node[segment];
        else if (isObject(node))
            node = Object.prototype.hasOwnProperty.call(node, segment) ? node[String(segment)] : undefined;
        else return undefined;
    }
    return node;
}

/** Whether the stack's layer decides the value at `path`: it sets it, or a list/scalar above it replaced it. */
function stackDecides(overrides: unknown, path: readonly PropertyKey[]): boolean {
    let node = overrides;
    for (const segment of path) {
        if (!isObject(node)) return node !== undefined && node !== null;
        if (!Object.prototype.hasOwnProperty.call(node, segment)) return false;
        node = node[String(segment)];
    }
    return node !== undefined && node !== null;
}

function layer(
    raw: unknown,
    key: "serviceDefaults" | "services",
    file: string,
): { entries: Record<string, unknown>; issues: ConfigIssue[] } {
    if (raw === undefined || raw === null) return { entries: {}, issues: [] };
    if (!isObject(raw))
        return {
            entries: {},
            issues: [
                {
                    path: [key],
                    message: `in ${file} must be a mapping of service name to settings, like \`web: { deploy: { cluster: apps } }\`${Array.isArray(raw) ? " (services are keyed by name, not listed)" : ""}.`,
                },
            ],
        };
    const issues: ConfigIssue[] = [];
    const entries: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(raw)) {
        if (entry !== null && !isObject(entry)) {
            issues.push({
                path: [key, name],
                message: `in ${file} must be the service's settings (a mapping)${key === "services" ? ", or null to leave the service out of this environment" : ""}.`,
            });
        } else if (isObject(entry) && "name" in entry) {
            issues.push({
                path: [key, name, "name"],
                message: `in ${file} is not a setting: the key above it (\`${name}\`) is the service's name. Remove it.`,
            });
        } else entries[name] = entry;
    }
    return { entries, issues };
}

/** Merges `cicd:serviceDefaults` (Pulumi.yaml) with `cicd:services` (the stack file) into one list of services. */
export function mergeServices(defaults: unknown, overrides: unknown, stackFile: string): MergedServices {
    const project = layer(defaults, "serviceDefaults", PROJECT_FILE);
    const stack = layer(overrides, "services", stackFile);
    const names = [...new Set([...Object.keys(project.entries), ...Object.keys(stack.entries)])];
    const services = names.flatMap((name) => {
        if (stack.entries[name] === null) return [];
        const merged = mergePatch(project.entries[name] ?? {}, stack.entries[name] ?? {});
        return [{ ...(merged as Record<string, unknown>), name }];
    });
    const originOf = (path: readonly PropertyKey[]): Origin => {
        const inStack = stackDecides(stack.entries, path);
        const inProject = at(project.entries, path) !== undefined;
        if (inStack && inProject) return isObject(at(stack.entries, path)) ? "merged" : "both";
        if (inStack) return "stack";
        return inProject ? "project" : "none";
    };
    return { services, issues: [...project.issues, ...stack.issues], originOf };
}
