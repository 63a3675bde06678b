/**
 * In-process fixtures shaped like the arguments @pulumi/policy builds in server.js: props wrapped in
 * the SDK's own unknown-checking proxy, so a policy that dereferences an unknown throws here as it
 * would under the engine.
 */
import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    unknownCheckingProxy,
} from "@pulumi/policy";

export { UNKNOWN } from "../../lib/props";

export interface FixtureOptions {
    name?: string;
    stack?: string;
    config?: Record<string, unknown>;
    stackTags?: Record<string, string>;
}

const OPTS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

class NotApplicable extends Error {}

function urnOf(stack: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::app::${type}::${name}`;
}

export function resourceArgs(
    type: string,
    props: Record<string, unknown>,
    options: FixtureOptions = {},
): ResourceValidationArgs {
    const name = options.name ?? "subject";
    const proxied = unknownCheckingProxy(props);
    return {
        type,
        props: proxied,
        urn: urnOf(options.stack ?? "dev", type, name),
        name,
        opts: OPTS,
        stackTags: new Map(Object.entries(options.stackTags ?? {})),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => (options.config ?? {}) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** Runs every validation of a resource policy and returns the reported messages. */
export async function validate(
    policy: ResourceValidationPolicy,
    type: string,
    props: Record<string, unknown>,
    options: FixtureOptions = {},
): Promise<string[]> {
    const messages: string[] = [];
    const report: ReportViolation = (message) => messages.push(message);
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const validation of validations) {
        await validation?.(resourceArgs(type, props, options), report);
    }
    return messages;
}

/** A stack resource; `deps` maps an input name to the resources that fed it (propertyDependencies). */
export function stackResource(
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps: Record<string, PolicyResource[]> = {},
    stack = "dev",
): PolicyResource {
    return {
        type,
        name,
        props: unknownCheckingProxy(props),
        urn: urnOf(stack, type, name),
        opts: OPTS,
        dependencies: Object.values(deps).flat(),
        propertyDependencies: deps,
        isType: () => false,
        asType: () => undefined,
    };
}

export interface StackReport {
    message: string;
    urn?: string;
}

export async function validateStack(
    policy: StackValidationPolicy,
    resources: PolicyResource[],
    options: FixtureOptions = {},
): Promise<StackReport[]> {
    const reports: StackReport[] = [];
    const args: StackValidationArgs = {
        resources,
        stackTags: new Map(Object.entries(options.stackTags ?? {})),
        getConfig: <T extends object>() => (options.config ?? {}) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
    await policy.validateStack(args, (message, urn) => reports.push({ message, urn }));
    return reports;
}

/** Messages only, for stack policies. */
export async function stackMessages(
    policy: StackValidationPolicy,
    resources: PolicyResource[],
    options: FixtureOptions = {},
): Promise<string[]> {
    return (await validateStack(policy, resources, options)).map((r) => r.message);
}

/**
 * The SDK's own serializer, which the `remediate` RPC applies to a remediation's result (it strips
 * the proxies and re-wraps secrets). It is internal to @pulumi/policy, hence the untyped require.
 */
const sdkDeserialize = require("@pulumi/policy/deserialize") as {
    serializeProperties(value: unknown): Promise<unknown>;
};

export function serializeRemediation(value: unknown): Promise<unknown> {
    return sdkDeserialize.serializeProperties(value);
}
