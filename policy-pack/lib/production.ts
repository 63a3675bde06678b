/**
 * What counts as a production stack.
 *
 * A policy sees three signals, any one of which marks production (a false "not production" skips
 * the approval rules, so the signals are OR-ed):
 * 1. the stack name, which the analyzer only learns from resource URNs
 *    (`urn:pulumi:<stack>::<project>::<type>::<name>`), against a configurable pattern;
 * 2. a stack tag (`pulumi stack tag set environment production`), which the engine sends through
 *    the `configureStack` RPC and the SDK exposes as `args.stackTags`;
 * 3. the same tag on the resource itself, for engines or audits that send no stack tags.
 */

/** Policy config keys; spread {@link productionConfigSchema} into a policy's configSchema. */
export interface ProductionConfig {
    /** Case-insensitive regular expression tested against the stack name. */
    productionStackPattern?: string;
    /** Stack or resource tag key that names the environment. */
    productionTagKey?: string;
    /** Values of that tag that mean production (compared case-insensitively). */
    productionTagValues?: string[];
}

/**
 * `prod` or `production` as a whole word of the stack name (`prod`, `prod-eu`, `acme-prod`,
 * `production`), but not inside a word (`preprod`, `nonprod`, `product`) nor after `pre-`/`non-`.
 */
export const DEFAULT_PRODUCTION_STACK_PATTERN = "(?<![a-z0-9])(?<!pre[-_.])(?<!non[-_.])prod(uction)?(?![a-z0-9])";
export const DEFAULT_PRODUCTION_TAG_KEY = "environment";
export const DEFAULT_PRODUCTION_TAG_VALUES: readonly string[] = ["production", "prod"];

/** JSON-schema `properties` fragment for the keys of {@link ProductionConfig}. */
export const productionConfigSchema = {
    productionStackPattern: {
        type: "string",
        default: DEFAULT_PRODUCTION_STACK_PATTERN,
        description: "Case-insensitive regular expression; a stack whose name matches is production.",
    },
    productionTagKey: {
        type: "string",
        default: DEFAULT_PRODUCTION_TAG_KEY,
        description: "Stack tag (or resource tag) key that names the environment.",
    },
    productionTagValues: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_PRODUCTION_TAG_VALUES],
        description: "Values of that tag that mean production.",
    },
} as const;

/** What a policy knows about where a resource lives. All fields are optional. */
export interface ProductionInput {
    /** A resource URN of the stack; the stack name is read from it. */
    urn?: string;
    /** The stack name, when known directly (e.g. from a plan file). */
    stackName?: string;
    /** `args.stackTags` from the SDK, or a plain record. */
    stackTags?: ReadonlyMap<string, string> | Record<string, string>;
    /** The resource's `tags` property, possibly unknown or malformed. */
    resourceTags?: unknown;
}

export interface ProductionVerdict {
    production: boolean;
    /** Why, for violation messages: e.g. `stack name "prod-eu" matches /.../i`. */
    reason: string;
}

/** The stack name inside a Pulumi URN, or undefined when the string is not a URN. */
export function stackNameFromUrn(urn: string | undefined): string | undefined {
    const match = typeof urn === "string" ? /^urn:pulumi:([^:]+)::/.exec(urn) : null;
    return match ? match[1] : undefined;
}

function compilePattern(source: string): RegExp {
    try {
        return new RegExp(source, "i");
    } catch (e) {
        throw new Error(
            `productionStackPattern "${source}" is not a valid regular expression (${(e as Error).message}); ` +
                "fix it in the policy pack config.",
        );
    }
}

function tagValue(tags: unknown, key: string): string | undefined {
    try {
        if (tags instanceof Map) {
            const value: unknown = tags.get(key);
            return typeof value === "string" ? value : undefined;
        }
        if (typeof tags === "object" && tags !== null) {
            // Reading an unknown tag value throws inside the SDK's proxy: treat it as absent.
            const value: unknown = (tags as Record<string, unknown>)[key];
            return typeof value === "string" ? value : undefined;
        }
    } catch {
        return undefined;
    }
    return undefined;
}

/** Decides whether the stack a resource belongs to is production, and says why. */
export function detectProduction(input: ProductionInput, config: ProductionConfig = {}): ProductionVerdict {
    const pattern = compilePattern(config.productionStackPattern ?? DEFAULT_PRODUCTION_STACK_PATTERN);
    const key = config.productionTagKey ?? DEFAULT_PRODUCTION_TAG_KEY;
    const values = (config.productionTagValues ?? DEFAULT_PRODUCTION_TAG_VALUES).map((v) => v.toLowerCase());
    const stack = input.stackName ?? stackNameFromUrn(input.urn);
    if (stack !== undefined && pattern.test(stack)) {
        return { production: true, reason: `stack name "${stack}" matches /${pattern.source}/i` };
    }
    for (const [label, tags] of [
        ["stack", input.stackTags],
        ["resource", input.resourceTags],
    ] as const) {
        const value = tagValue(tags, key);
        if (value !== undefined && values.includes(value.toLowerCase())) {
            return { production: true, reason: `${label} tag ${key}=${value}` };
        }
    }
    const name = stack === undefined ? "unknown stack" : `stack "${stack}"`;
    return { production: false, reason: `${name} matches neither the name pattern nor tag ${key}=${values.join("|")}` };
}

/** Shorthand for `detectProduction(input, config).production`. */
export function isProductionStack(input: ProductionInput, config: ProductionConfig = {}): boolean {
    return detectProduction(input, config).production;
}
