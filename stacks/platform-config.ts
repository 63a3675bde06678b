import { z } from "zod";
import { ConfigError, describeIssue, type ConfigSources } from "./config-error";
import { environmentSchema } from "./environment-schema";
import { ignoredOverrides } from "./ignored-fields";
import { knownKeysAt } from "./known-keys";
import { unknownNamespaceKeys } from "./namespace";
import { checkRules } from "./rules";
import { mergeServices, PROJECT_FILE, type MergedServices } from "./service-layers";
import { serviceSchema } from "./service-schema";

/**
 * The `cicd:` namespace of a stack once `cicd:serviceDefaults` and `cicd:services` are merged
 * (`stacks/service-layers.ts`): the environment and its services as a list, each named by its key.
 */
export const platformConfigSchema = z.strictObject({
    environment: environmentSchema,
    services: z
        .array(serviceSchema)
        .min(1, {
            error: `must define at least one service: add one, keyed by its name, under \`cicd:serviceDefaults\` in ${PROJECT_FILE} or under \`cicd:services\` in the stack file`,
        })
        .max(1000, { error: "may hold at most 1000 services (CodePipeline's quota of pipelines per region)" }),
});

export type PlatformConfig = z.infer<typeof platformConfigSchema>;

export interface ValidateOptions {
    /** Stack name, e.g. `prod`. */
    readonly stack: string;
    /** `aws:region` from the stack, when set. */
    readonly awsRegion?: string;
    /** `aws:allowedAccountIds` from the stack, when set. */
    readonly awsAllowedAccountIds?: unknown;
    /** How the services were merged from the two files, so errors name the file that set a value. */
    readonly layers?: Pick<MergedServices, "originOf">;
}

const serviceNames = (raw: unknown): (string | undefined)[] => {
    const services = (raw as { services?: unknown } | undefined)?.services;
    return Array.isArray(services)
        ? services.map((s) => (typeof s?.name === "string" ? (s.name as string) : undefined))
        : [];
};

/**
 * Validates the merged `cicd:` config of a stack (`services` as a list). Returns typed config with defaults filled
 * in, or throws a `ConfigError` listing every problem by path; nothing here creates a resource.
 */
export function validatePlatformConfig(raw: unknown, options: ValidateOptions): PlatformConfig {
    const stackFile = `Pulumi.${options.stack}.yaml`;
    const sources: ConfigSources = { serviceNames: serviceNames(raw), originOf: options.layers?.originOf };
    const whereToAdd = (path: readonly PropertyKey[]): string => {
        const name = path[0] === "services" && typeof path[1] === "number" ? sources.serviceNames[path[1]] : undefined;
        return name && options.layers
            ? `to \`cicd:services.${name}\` in ${stackFile}, or to \`cicd:serviceDefaults.${name}\` in ${PROJECT_FILE} for every environment`
            : `in ${stackFile}`;
    };
    const parsed = platformConfigSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
        // A misspelt key comes first: the "is required" of the key it should have been follows from it.
        const issues = [...parsed.error.issues].sort(
            (a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"),
        );
        throw new ConfigError(
            stackFile,
            issues.flatMap((issue) =>
                describeIssue(issue, whereToAdd, (path) => knownKeysAt(platformConfigSchema, path, raw)),
            ),
            sources,
        );
    }
    const issues = [
        ...checkRules({
            ...parsed.data,
            awsRegion: options.awsRegion,
            awsAllowedAccountIds: options.awsAllowedAccountIds,
        }),
        ...(options.layers ? ignoredOverrides(parsed.data, options.layers) : []),
    ];
    if (issues.length > 0) throw new ConfigError(stackFile, issues, sources);
    return parsed.data;
}

/** What a stack's program sees: `namespace:key` → value, project-level values included (as `pulumi.Config` has them). */
export type StackValues = Readonly<Record<string, unknown>>;

/**
 * The stack's validated config from its config values (every key the stack has: an unknown `cicd:` key is an
 * error): merges `cicd:serviceDefaults` (Pulumi.yaml) with
 * `cicd:services` (the stack file), then validates the result. The one entry point of the program, the tools and
 * the tests, so they all read the layout the same way.
 */
export function configFromStackValues(
    values: StackValues,
    stack: string,
): PlatformConfig & { readonly layers: MergedServices } {
    const stackFile = `Pulumi.${stack}.yaml`;
    // A misspelt namespace key comes alone: what it should have set is missing, and the errors that follow from
    // that would only hide it.
    const unknown = unknownNamespaceKeys(Object.keys(values), stackFile);
    if (unknown.length > 0) throw new ConfigError(stackFile, unknown);
    const layers = mergeServices(values["cicd:serviceDefaults"], values["cicd:services"], stackFile);
    if (layers.issues.length > 0) throw new ConfigError(stackFile, layers.issues);
    const awsRegion = values["aws:region"];
    const config = validatePlatformConfig(
        { environment: values["cicd:environment"], services: layers.services },
        {
            stack,
            awsRegion: typeof awsRegion === "string" ? awsRegion : undefined,
            awsAllowedAccountIds: values["aws:allowedAccountIds"],
            layers,
        },
    );
    return { ...config, layers };
}
