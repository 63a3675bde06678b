/**
 * Validation of a `--policy-pack-config` object against the pack's own description of itself
 * (`getAnalyzerInfo`: policy names and each policy's JSON-schema `configSchema`), so a typo in a
 * policy name or a wrong value is a clear error before any resource is analysed, not a TypeError
 * inside a policy. Values are checked with Ajv, the JSON-schema validator.
 */
import Ajv, { ErrorObject } from "ajv";
import { AnalyzerInfo, EnforcementLevel, PolicyPackConfig } from "./types";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Every problem of a policy pack config, one sentence each. */
export class PolicyPackConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid policy pack config:\n${problems.map((p) => `- ${p}`).join("\n")}`);
        this.name = "PolicyPackConfigError";
    }
}

function describe(policy: string, error: ErrorObject): string {
    const key = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
    if (error.keyword === "additionalProperties") {
        const extra = String((error.params as { additionalProperty: string }).additionalProperty);
        return `\`${policy}\` has no config key \`${extra}\`: check the pack's README for its keys.`;
    }
    return `\`${policy}.${key}\` ${error.message ?? "is invalid"}: fix the value in the policy pack config.`;
}

function levelProblem(policy: string, level: unknown): string | undefined {
    return LEVELS.includes(level as EnforcementLevel)
        ? undefined
        : `\`${policy}\` has enforcement level ${JSON.stringify(level)}: use one of ${LEVELS.join(", ")}.`;
}

/**
 * The problems of `config` for the pack described by `info` (empty when valid): unknown policy
 * names, unknown keys, values that break a policy's schema, unknown enforcement levels. The
 * reserved name `all` sets the level of every policy and takes only a level.
 */
export function policyPackConfigProblems(config: unknown, info: AnalyzerInfo): string[] {
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        return ["the config must be a JSON object mapping policy names to a level or an object."];
    }
    const policies = new Map(info.policies.map((p) => [p.name, p]));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const problems: string[] = [];
    for (const [name, value] of Object.entries(config)) {
        const policy = policies.get(name);
        if (name !== "all" && policy === undefined) {
            problems.push(
                `\`${name}\` is not a policy of ${info.name}: use one of ${[...policies.keys()].join(", ")}.`,
            );
            continue;
        }
        if (typeof value === "string" || name === "all") {
            const problem = levelProblem(name, value);
            if (problem) problems.push(problem);
            continue;
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            problems.push(`\`${name}\` must be an enforcement level or an object, got ${JSON.stringify(value)}.`);
            continue;
        }
        const { enforcementLevel, ...properties } = value as Record<string, unknown>;
        const problem = enforcementLevel === undefined ? undefined : levelProblem(name, enforcementLevel);
        if (problem) problems.push(problem);
        const schema = {
            type: "object",
            properties: policy?.configSchema?.properties ?? {},
            required: policy?.configSchema?.required ?? [],
            additionalProperties: false,
        };
        if (!ajv.validate(schema, properties)) {
            problems.push(...(ajv.errors ?? []).map((e) => describe(name, e)));
        }
    }
    return problems;
}

/** Throws a {@link PolicyPackConfigError} listing every problem of `config`, or returns it typed. */
export function validatePolicyPackConfig(config: unknown, info: AnalyzerInfo): PolicyPackConfig {
    const problems = policyPackConfigProblems(config, info);
    if (problems.length > 0) {
        throw new PolicyPackConfigError(problems);
    }
    return config as PolicyPackConfig;
}

/**
 * The config the pack receives: `all: <level>` applied to every policy, a policy's own level winning;
 * a policy given only settings (no `enforcementLevel`) keeps the `all` level, else its own default
 * level, never the protocol's zero value (advisory), which would quietly turn a mandatory policy
 * advisory. As Pulumi documents it, `all` replaces every policy's default level and only a level set
 * for the policy itself replaces `all`: https://www.pulumi.com/docs/using-pulumi/crossguard/configuration/
 */
export function expandAll(config: PolicyPackConfig, info: AnalyzerInfo): PolicyPackConfig {
    const { all, ...rest } = config;
    const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
    const expanded: PolicyPackConfig = { ...rest };
    for (const { name, enforcementLevel } of info.policies) {
        const own = rest[name];
        if (typeof own === "object") {
            expanded[name] = { enforcementLevel: allLevel ?? enforcementLevel, ...own };
        } else if (own !== undefined || allLevel !== undefined) {
            expanded[name] = own ?? allLevel!;
        }
    }
    return expanded;
}
