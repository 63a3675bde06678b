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
    name: z
        .string()
        .regex(/^[a-z][a-z0-9]{1,9}$/, {
            error: 'must be 2-10 lowercase letters or digits, starting with a letter, like "prod"',
        })
        .describe('Short environment name used in every resource name, like "prod".'),
    tier: z
        .enum(["development", "staging", "production"])
        .describe(
            "What the environment is. `production` turns on rules that cannot be configured away: a manual approval before every deploy, QUEUED execution, and deletion protection of the key and artifacts.",
        ),
    accountId: accountId.describe("Account the pipelines run in (quoted: 12 digits)."),
    region: region.describe("Region the pipelines run in; must equal `aws:region`."),
    artifactRetentionDays: z
        .number()
        .int()
        .min(1)
        .max(3650, { error: "must be at most 3650 days" })
        .default(30)
        .describe("Days before non-current artifact versions expire (current ones expire after twice this)."),
    logRetentionDays: logRetentionDays
        .default(90)
        .describe("Days CloudWatch Logs keeps the build and test logs (one of the periods CloudWatch Logs offers)."),
    executionMode: z
        .enum(["SUPERSEDED", "QUEUED", "PARALLEL"])
        .default("SUPERSEDED")
        .describe(
            "How a new run treats one in progress. Production must use QUEUED so approved releases are never superseded. https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts-how-it-works.html#concepts-how-it-works-executions",
        ),
    approval: z
        .strictObject({
            required: z
                .boolean()
                .optional()
                .describe("Ask for a manual approval before every deploy. Always true in production. Default: false."),
            timeoutMinutes: approvalTimeoutMinutes
                .default(10080)
                .describe(
                    "Minutes a manual approval waits before it fails (5 to 86400); 10080 is 7 days, CodePipeline's default.",
                ),
            emails: z
                .array(z.email({ error: "must be an email address" }))
                .default([])
                .describe("Email addresses subscribed to approval requests."),
        })
        .default({ timeoutMinutes: 10080, emails: [] })
        .describe("Manual approvals before deploys, for every service of the environment."),
    notifications: z
        .strictObject({
            emails: z
                .array(z.email({ error: "must be an email address" }))
                .default([])
                .describe("Email addresses told when a pipeline fails, succeeds or waits for approval."),
        })
        .default({ emails: [] })
        .describe("Who hears about pipeline runs (through the environment's encrypted SNS topic)."),
    deployRoleArns: z
        .record(accountId, iamRoleArn)
        .default({})
        .describe("Roles the pipelines assume to deploy into other accounts, keyed by account id."),
    dataProtection: z
        .boolean()
        .optional()
        .describe(
            "Protect the KMS key and artifact bucket from `pulumi destroy` and keep them if removed from the program. Always true in production. Default: false.",
        ),
    release: environmentReleaseSchema
        .optional()
        .describe(
            "The environment's link of the release chain (build once, promote): `role` (build, verify or release), the `from` environment whose pipelines write its releases, and the `promoteTo` environment it publishes or promotes to. Default: the tier's role (development builds, staging verifies, production releases), no upstream, no promotion.",
        ),
    gates: gatesSchema
        .optional()
        .describe(
            'Gates around every Deploy stage: a `deploymentWindow` checked on entry, and `bakeMinutes` watching the alarms after the deploy. Default: in production, the "no alarm firing" entry gate; elsewhere none.',
        ),
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
