/**
 * Checks a `--policy-pack-config` document against the pack's own description of its policies
 * (`getAnalyzerInfo`: names and each policy's JSON-schema `configSchema`) before it is sent, so a
 * typo fails with the key and the fix instead of a TypeError inside the pack.
 * Format, including the `all` key that sets every policy's level:
 * https://www.pulumi.com/docs/using-pulumi/crossguard/configuration/
 */
import Ajv, { type ErrorObject } from "ajv";

import { EXIT, ToolError } from "./errors";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicySchemaInfo {
    name: string;
    configSchema?: { properties: Record<string, unknown>; required?: string[] };
}

export type PackConfig = Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>;

const fail = (message: string) => new ToolError(`--policy-pack-config: ${message}`, EXIT.usage);

/**
 * Returns the config to send, one entry per named policy, with `all` expanded into each policy's
 * level (a policy's own level wins). Unknown policy names, unknown keys, wrong types and unknown
 * levels are rejected. Unknown keys are rejected although JSON Schema allows them by default: a
 * misspelt key would otherwise leave the policy on its default without a word.
 */
export function validatePackConfig(policies: PolicySchemaInfo[], config: unknown): PackConfig {
    if (!isRecord(config)) throw fail("expected a JSON object of policy name -> level or settings.");
    const byName = new Map(policies.map((p) => [p.name, p]));
    const allLevel = config.all === undefined ? undefined : level("all", config.all);
    const out: PackConfig = {};
    for (const [name, entry] of Object.entries(config)) {
        if (name === "all") continue;
        const policy = byName.get(name);
        if (!policy) {
            throw fail(
                `\`${name}\` is not a policy of this pack; use one of: ${[...byName.keys()].sort().join(", ")}.`,
            );
        }
        out[name] = typeof entry === "string" ? { enforcementLevel: level(name, entry) } : settings(policy, entry);
    }
    if (allLevel) {
        for (const name of byName.keys()) out[name] = { enforcementLevel: allLevel, ...out[name] };
    }
    return out;
}

function level(key: string, value: unknown): EnforcementLevel {
    if (typeof value === "string" && (LEVELS as readonly string[]).includes(value)) return value as EnforcementLevel;
    throw fail(`\`${key}\` has enforcement level ${JSON.stringify(value)}; use one of: ${LEVELS.join(", ")}.`);
}

function settings(policy: PolicySchemaInfo, entry: unknown): PackConfig[string] {
    if (!isRecord(entry)) {
        throw fail(`\`${policy.name}\` must be an enforcement level or an object of settings.`);
    }
    const { enforcementLevel, ...rest } = entry;
    const properties = policy.configSchema?.properties ?? {};
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile({
        type: "object",
        properties,
        required: policy.configSchema?.required ?? [],
        additionalProperties: false,
    });
    if (!validate(rest)) {
        const known = Object.keys(properties);
        throw fail((validate.errors ?? []).map((e) => describe(policy.name, e, known)).join("; "));
    }
    return enforcementLevel === undefined
        ? rest
        : { ...rest, enforcementLevel: level(`${policy.name}.enforcementLevel`, enforcementLevel) };
}

function describe(policy: string, error: ErrorObject, known: string[]): string {
    if (error.keyword === "additionalProperties") {
        const key = String(error.params.additionalProperty);
        const hint = known.length ? `use one of: ${known.join(", ")}` : "this policy takes no settings";
        return `\`${policy}.${key}\` is not a setting of ${policy}; ${hint}.`;
    }
    if (error.keyword === "required") {
        return `\`${policy}.${String(error.params.missingProperty)}\` is required.`;
    }
    const at = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
    return `\`${policy}${at ? `.${at}` : ""}\` ${error.message}.`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
