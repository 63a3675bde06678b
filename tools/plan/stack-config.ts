// Builds the config a Pulumi program would see for one stack, without the Pulumi CLI.
// The CLI merges project-level config from Pulumi.yaml with the stack file Pulumi.<stack>.yaml
// and hands it to the Node language host as the PULUMI_CONFIG env var: a JSON object of
// "namespace:key" -> string (structured values JSON-encoded), with secret key names listed in
// PULUMI_CONFIG_SECRET_KEYS (see @pulumi/pulumi runtime/state.js and config.ts).
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";

import { ToolError } from "../shared/errors";

/** The value a `secure:` entry gets: the plan cannot decrypt secrets and does not need them. */
export const SECRET_PLACEHOLDER = "plan-placeholder-secret";

export interface StackConfig {
    project: string;
    stack: string;
    /** "namespace:key" -> value as written in YAML (secrets replaced by the placeholder). */
    values: Record<string, unknown>;
    /** The account and region mocked ARNs use (`aws:region`; a 12-digit `account*` value). */
    account: string;
    region: string;
    /** Tags the Pulumi CLI gives every stack, which the engine sends to the policy pack. */
    tags: Record<string, string>;
    /** The env vars that make @pulumi/pulumi see this config. */
    env: { PULUMI_CONFIG: string; PULUMI_CONFIG_SECRET_KEYS: string };
}

export function listStacks(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/** `configDir` holds `Pulumi.<stack>.yaml` when not `dir` (the bench feeds generated config this way). */
export function loadStackConfig(dir: string, stack: string, configDir = dir): StackConfig {
    const projectFile = existing(
        dir,
        "Pulumi",
        `no Pulumi.yaml in ${dir}; pass --dir <program dir> pointing at a Pulumi project`,
    );
    const project = readYaml(projectFile);
    const name = typeof project.name === "string" ? project.name : undefined;
    if (!name) {
        throw new ToolError(`${projectFile} has no "name"; add the project name (e.g. name: my-project)`);
    }
    const available = listStacks(configDir);
    const hint = available.length ? `available stacks: ${available.join(", ")}` : "no Pulumi.<stack>.yaml files found";
    const stackFile = existing(
        configDir,
        `Pulumi.${stack}`,
        `unknown stack "${stack}": no Pulumi.${stack}.yaml in ${configDir} (${hint}); pass --stack <name>`,
    );
    const values: Record<string, unknown> = {};
    const secrets = new Set<string>();
    const entries = { ...projectDefaults(project.config), ...asRecord(readYaml(stackFile).config) };
    for (const [key, raw] of Object.entries(entries)) {
        // Keys without a namespace belong to the project, as in the CLI.
        const fullKey = key.includes(":") ? key : `${name}:${key}`;
        let secret = false;
        // A `secure:` entry anywhere in the value makes the whole key secret.
        values[fullKey] = JSON.parse(JSON.stringify(raw), (_, v: unknown) => {
            const secure = asRecord(v);
            if (Object.keys(secure).length !== 1 || typeof secure.secure !== "string") return v;
            secret = true;
            return SECRET_PLACEHOLDER;
        });
        if (secret) secrets.add(fullKey);
        else secrets.delete(fullKey);
    }
    const encoded = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    return {
        project: name,
        stack,
        values,
        account: findAccount(values) ?? DEFAULT_ACCOUNT,
        region: typeof values["aws:region"] === "string" ? values["aws:region"] : "us-east-1",
        tags: stackTags(project),
        env: { PULUMI_CONFIG: JSON.stringify(encoded), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify([...secrets]) },
    };
}

/**
 * The tags the Pulumi CLI sets on every stack from Pulumi.yaml
 * (https://www.pulumi.com/docs/iac/concepts/stacks/#stack-tags); user-set tags are not stored in
 * any file, so the plan takes them from `--stack-tag`.
 */
function stackTags(project: Record<string, unknown>): Record<string, string> {
    const runtime = project.runtime;
    const runtimeName = typeof runtime === "string" ? runtime : asRecord(runtime).name;
    return {
        "pulumi:project": String(project.name),
        ...(typeof runtimeName === "string" ? { "pulumi:runtime": runtimeName } : {}),
        ...(typeof project.description === "string" ? { "pulumi:description": project.description } : {}),
    };
}

const DEFAULT_ACCOUNT = "123456789012";

/** A 12-digit value of an `account*` key anywhere in the config (e.g. `cicd:environment.accountId`). */
function findAccount(value: unknown): string | undefined {
    if (!value || typeof value !== "object") return undefined;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (/account/i.test(key) && typeof v === "string" && /^\d{12}$/.test(v)) return v;
        const nested = typeof v === "object" ? findAccount(v) : undefined;
        if (nested) return nested;
    }
    return undefined;
}

/** `<dir>/<base>.yaml` (or `.yml`), or a ToolError with `problem`. */
function existing(dir: string, base: string, problem: string): string {
    const file = [".yaml", ".yml"].map((ext) => path.join(dir, `${base}${ext}`)).find((f) => fs.existsSync(f));
    if (!file) throw new ToolError(problem);
    return file;
}

function readYaml(file: string): Record<string, unknown> {
    try {
        return asRecord(YAML.parse(fs.readFileSync(file, "utf8")));
    } catch (err) {
        throw new ToolError(`${file} is not valid YAML: ${(err as Error).message}`);
    }
}

/** Pulumi.yaml `config:` entries are either a bare value or `{ value | default, type, ... }`. */
function projectDefaults(config: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(asRecord(config))) {
        const spec = asRecord(entry);
        if ("value" in spec) out[key] = spec.value;
        else if ("default" in spec) out[key] = spec.default;
        else if (typeof entry !== "object" || entry === null || Array.isArray(entry)) out[key] = entry;
    }
    return out;
}

function asRecord(value: unknown): Record<string, unknown> {
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
