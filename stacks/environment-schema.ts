import { z } from "zod";
import { accountId, approvalTimeoutMinutes, iamRoleArn, region } from "./primitives";
import { environmentReleaseSchema, gatesSchema } from "./release-schema";

/** Retention periods CloudWatch Logs accepts (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const logRetentionDays = z.number().refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
    error: `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
});

export const environmentSchema = z.strictObject({
    /** Short environment name used in every resource name, like "prod". */
    name: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, {
        error: 'must be 2-10 lowercase letters or digits, starting with a letter, like "prod"',
    }),
    /**
     * What the environment is. `production` turns on rules that cannot be configured away: a manual approval before
     * every deploy, QUEUED execution, and deletion protection of the key and artifacts.
     */
    tier: z.enum(["development", "staging", "production"]),
    /** Account the pipelines run in. */
    accountId,
    /** Region the pipelines run in; must equal `aws:region`. */
    region,
    /**
     * Days before non-current artifact versions expire (current ones expire after twice this).
     * @default 30
     */
    artifactRetentionDays: z.number().int().min(1).max(3650, { error: "must be at most 3650 days" }).default(30),
    /** @default 90 */
    logRetentionDays: logRetentionDays.default(90),
    /**
     * How a new run treats one in progress. Production must use QUEUED so approved releases are never superseded.
     * https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts-how-it-works.html#concepts-how-it-works-executions
     * @default "SUPERSEDED"
     */
    executionMode: z.enum(["SUPERSEDED", "QUEUED", "PARALLEL"]).default("SUPERSEDED"),
    approval: z
        .strictObject({
            /**
             * Ask for a manual approval before every deploy. Always true in production.
             * @default false
             */
            required: z.boolean().optional(),
            /** @default 10080 (7 days, CodePipeline's default) */
            timeoutMinutes: approvalTimeoutMinutes.default(10080),
            /**
             * Email addresses subscribed to approval requests.
             * @default []
             */
            emails: z.array(z.email({ error: "must be an email address" })).default([]),
        })
        .default({ timeoutMinutes: 10080, emails: [] }),
    notifications: z
        .strictObject({
            /**
             * Email addresses told when a pipeline fails, succeeds or waits for approval.
             * @default []
             */
            emails: z.array(z.email({ error: "must be an email address" })).default([]),
        })
        .default({ emails: [] }),
    /**
     * Roles the pipelines assume to deploy into other accounts, keyed by account id.
     * @default {}
     */
    deployRoleArns: z.record(accountId, iamRoleArn).default({}),
    /**
     * Protect the KMS key and artifact bucket from `pulumi destroy` and keep them if removed from the program.
     * Always true in production.
     * @default false
     */
    dataProtection: z.boolean().optional(),
    /**
     * The environment's link of the release chain (build once, promote): see `stacks/release-schema.ts`.
     * @default the tier's role, no upstream, no promotion
     */
    release: environmentReleaseSchema.optional(),
    /**
     * Gates around every Deploy stage: a deployment window on entry, and the bake time after it (`stacks/release-schema.ts`).
     * @default in production, the "no alarm firing" entry gate; elsewhere none
     */
    gates: gatesSchema.optional(),
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
