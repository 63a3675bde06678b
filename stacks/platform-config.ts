import { z } from "zod";
import { ConfigError, describeIssue } from "./config-error";
import { environmentSchema } from "./environment-schema";
import { checkRules } from "./rules";
import { serviceSchema } from "./service-schema";

/** The whole `cicd:` namespace of a stack. */
export const platformConfigSchema = z.strictObject({
    environment: environmentSchema,
    /** The services that get a pipeline; at most 1,000 (CodePipeline's pipelines-per-region quota). */
    services: z
        .array(serviceSchema)
        .min(1, { error: "must list at least one service" })
        .max(1000, { error: "may list at most 1000 services (CodePipeline's quota of pipelines per region)" }),
});

export type PlatformConfig = z.infer<typeof platformConfigSchema>;

export interface ValidateOptions {
    /** Stack name, e.g. `prod`. */
    readonly stack: string;
    /** `aws:region` from the stack, when set. */
    readonly awsRegion?: string;
    /** `aws:allowedAccountIds` from the stack, when set. */
    readonly awsAllowedAccountIds?: unknown;
}

/**
 * Validates the raw `cicd:` config of a stack. Returns typed config with defaults filled in, or throws a
 * `ConfigError` listing every problem by path; nothing here creates a resource.
 */
export function validatePlatformConfig(raw: unknown, options: ValidateOptions): PlatformConfig {
    const stackFile = `Pulumi.${options.stack}.yaml`;
    const parsed = platformConfigSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success)
        throw new ConfigError(
            stackFile,
            parsed.error.issues.flatMap((issue) => describeIssue(issue, stackFile)),
        );
    const issues = checkRules({
        ...parsed.data,
        awsRegion: options.awsRegion,
        awsAllowedAccountIds: options.awsAllowedAccountIds,
    });
    if (issues.length > 0) throw new ConfigError(stackFile, issues);
    return parsed.data;
}
