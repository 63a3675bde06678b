/**
 * What counts as a production stack.
 *
 * A policy sees several signals, any one of which marks production (a false "not production" skips
 * the production rules, so the signals are OR-ed):
 * 1. the stack name, which the analyzer only learns from resource URNs
 *    (`urn:pulumi:<stack>::<project>::<type>::<name>`), against a configurable pattern and a
 *    configurable list of name globs (`prd`, `prod-*`, `production*`, `live`, ...);
 * 2. a stack tag (`pulumi stack tag set environment production`), which the engine sends through
 *    the `configureStack` RPC and the SDK exposes as `args.stackTags`;
 * 3. the same tag on the resource itself, or in its AWS provider's `defaultTags` (which AWS applies
 *    to every resource the provider creates), for engines or audits that send no stack tags; the
 *    platform's own tier tag `cicd:tier=production` counts too;
 * 4. an AWS account id the resource lives in or deploys to, against a configurable list of
 *    production accounts (callers pass the accounts they can see: ARNs, provider
 *    `allowedAccountIds` and assumed roles, pipeline action roles).
 */

import { PolicyResource } from "@pulumi/policy";
import { asArray, asBag, asString, dig, isUnknown, plain } from "./props";

/** Policy config keys; spread {@link productionConfigSchema} into a policy's configSchema. */
export interface ProductionConfig {
    /** Case-insensitive regular expression tested against the stack name. */
    productionStackPattern?: string;
    /** Stack or resource tag key that names the environment. */
    productionTagKey?: string;
    /** Values of that tag that mean production (compared case-insensitively). */
    productionTagValues?: string[];
    /** Stack-name globs (`*` any run, case-insensitive) that mean production. */
    productionStackNames?: string[];
    /** AWS account ids whose resources are production. */
    productionAccountIds?: string[];
}

/**
 * `prod` or `production` as a whole word of the stack name (`prod`, `prod-eu`, `acme-prod`,
 * `production`), but not inside a word (`preprod`, `nonprod`, `product`) nor after `pre-`/`non-`.
 */
export const DEFAULT_PRODUCTION_STACK_PATTERN = "(?<![a-z0-9])(?<!pre[-_.])(?<!non[-_.])prod(uction)?(?![a-z0-9])";
export const DEFAULT_PRODUCTION_TAG_KEY = "environment";
export const DEFAULT_PRODUCTION_TAG_VALUES: readonly string[] = ["production", "prod"];
export const DEFAULT_PRODUCTION_STACK_NAMES: readonly string[] = [
    "prd",
    "prd-*",
    "prod",
    "prod-*",
    "production*",
    "live",
    "live-*",
];
/** The platform's tier tag, set on every resource through the AWS provider's defaultTags. */
export const TIER_TAG_KEY = "cicd:tier";
export const PRODUCTION_TIER = "production";

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
    productionStackNames: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_PRODUCTION_STACK_NAMES],
        description: "Stack-name globs (`*` matches any run, case-insensitive) that mean production.",
    },
    productionAccountIds: {
        type: "array",
        items: { type: "string", pattern: "^[0-9]{12}$" },
        default: [],
        description: "AWS account ids (12 digits) whose resources are production.",
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
    /** The properties of the resource's AWS provider (its `defaultTags`, `allowedAccountIds`, `assumeRoles`). */
    providerProps?: unknown;
    /** Account ids the resource lives in or acts on (from ARNs), as far as the caller can tell. */
    accountIds?: readonly string[];
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

/** The AWS provider's `defaultTags.tags` (an object, or the JSON string the engine keeps provider inputs as). */
export function providerDefaultTags(providerProps: unknown): unknown {
    const props = asBag(plain(providerProps));
    let defaultTags: unknown = props?.["defaultTags"];
    if (typeof defaultTags === "string" && !isUnknown(defaultTags)) {
        try {
            defaultTags = JSON.parse(defaultTags);
        } catch {
            return undefined;
        }
    }
    return dig(defaultTags, "tags");
}

/** Account ids an AWS provider is bound to: `allowedAccountIds` and the accounts of its assumed roles. */
export function providerAccountIds(providerProps: unknown): string[] {
    const props = asBag(plain(providerProps)) ?? {};
    const parse = (value: unknown): unknown => {
        if (typeof value !== "string" || isUnknown(value) || !/^[[{]/.test(value)) return value;
        try {
            return JSON.parse(value);
        } catch {
            return undefined;
        }
    };
    const allowed = asArray(parse(props["allowedAccountIds"])) ?? [];
    const roles = [parse(props["assumeRole"]), ...(asArray(parse(props["assumeRoles"])) ?? [])];
    const roleAccounts = roles.map((role) => arnAccount(dig(role, "roleArn")));
    return [...allowed, ...roleAccounts].map(asString).filter((a): a is string => a !== undefined && a !== "");
}

/** The account field of a known ARN (`arn:aws:iam::123456789012:role/x` → 123456789012). */
export function arnAccount(arn: unknown): string | undefined {
    const parts = asString(arn)?.split(":");
    return parts && parts.length >= 6 && parts[0] === "arn" && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

function globMatches(glob: string, value: string): boolean {
    const body = glob
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*");
    return new RegExp(`^${body}$`, "i").test(value);
}

function nameVerdict(stack: string | undefined, config: ProductionConfig): string | undefined {
    if (stack === undefined) return undefined;
    const pattern = compilePattern(config.productionStackPattern ?? DEFAULT_PRODUCTION_STACK_PATTERN);
    if (pattern.test(stack)) return `stack name "${stack}" matches /${pattern.source}/i`;
    const glob = (config.productionStackNames ?? DEFAULT_PRODUCTION_STACK_NAMES).find((g) => globMatches(g, stack));
    return glob === undefined ? undefined : `stack name "${stack}" matches "${glob}"`;
}

function tagVerdict(input: ProductionInput, config: ProductionConfig): string | undefined {
    const key = config.productionTagKey ?? DEFAULT_PRODUCTION_TAG_KEY;
    const values = (config.productionTagValues ?? DEFAULT_PRODUCTION_TAG_VALUES).map((v) => v.toLowerCase());
    const sources = [
        ["stack", input.stackTags],
        ["resource", input.resourceTags],
        ["provider defaultTags", providerDefaultTags(input.providerProps)],
    ] as const;
    for (const [label, tags] of sources) {
        const value = tagValue(tags, key);
        if (value !== undefined && values.includes(value.toLowerCase())) {
            return `${label} tag ${key}=${value}`;
        }
        const tier = tagValue(tags, TIER_TAG_KEY);
        if (tier !== undefined && tier.toLowerCase() === PRODUCTION_TIER) {
            return `${label} tag ${TIER_TAG_KEY}=${tier}`;
        }
    }
    return undefined;
}

function accountVerdict(input: ProductionInput, config: ProductionConfig): string | undefined {
    const production = new Set(config.productionAccountIds ?? []);
    if (production.size === 0) return undefined;
    const accounts = [...(input.accountIds ?? []), ...providerAccountIds(input.providerProps)];
    const found = accounts.find((account) => production.has(account));
    return found === undefined ? undefined : `account ${found} is in productionAccountIds`;
}

/** Decides whether the stack a resource belongs to is production, and says why. */
export function detectProduction(input: ProductionInput, config: ProductionConfig = {}): ProductionVerdict {
    const stack = input.stackName ?? stackNameFromUrn(input.urn);
    const reason = nameVerdict(stack, config) ?? tagVerdict(input, config) ?? accountVerdict(input, config);
    if (reason !== undefined) {
        return { production: true, reason };
    }
    const key = config.productionTagKey ?? DEFAULT_PRODUCTION_TAG_KEY;
    const values = (config.productionTagValues ?? DEFAULT_PRODUCTION_TAG_VALUES).join("|");
    const name = stack === undefined ? "unknown stack" : `stack "${stack}"`;
    return {
        production: false,
        reason: `${name} matches neither the name pattern nor tag ${key}=${values} nor ${TIER_TAG_KEY}=${PRODUCTION_TIER}`,
    };
}

/** Shorthand for `detectProduction(input, config).production`. */
export function isProductionStack(input: ProductionInput, config: ProductionConfig = {}): boolean {
    return detectProduction(input, config).production;
}

/**
 * Production verdict for a resource of `analyzeStack`: its own URN, tags, provider and accounts,
 * then every AWS provider resource of the stack (the engine sends providers along; a stack with a
 * provider tagged production is a production stack).
 */
export function detectStackResourceProduction(
    resource: PolicyResource,
    args: { resources: readonly PolicyResource[]; stackTags: ReadonlyMap<string, string> },
    config: ProductionConfig,
    accountIds: readonly string[] = [],
): ProductionVerdict {
    const input = {
        urn: resource.urn,
        stackTags: args.stackTags,
        resourceTags: dig(plain(resource.props), "tags"),
        providerProps: resource.provider?.props,
        accountIds: [
            ...accountIds,
            ...[dig(plain(resource.props), "arn")].map(arnAccount).filter((a): a is string => !!a),
        ],
    };
    const verdict = detectProduction(input, config);
    if (verdict.production) {
        return verdict;
    }
    for (const provider of args.resources.filter((r) => r.type.startsWith("pulumi:providers:aws"))) {
        const byProvider = detectProduction({ providerProps: provider.props }, config);
        if (byProvider.production) {
            return { production: true, reason: `${byProvider.reason} of provider ${provider.urn.split("::").pop()}` };
        }
    }
    return verdict;
}
