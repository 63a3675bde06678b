import { z } from "zod";
import { isRegion, regionRule } from "./aws-values";

/**
 * Reusable field types with error messages that state the rule and show a valid example, so a config error
 * reads as `cicd:<path>` + the rule + the fix.
 */

export const accountId = z
    .string()
    .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id, like "111122223333" (quote it in YAML)' });

/** One of AWS's Region codes (`stacks/aws-values.ts`). */
export const region = z.string().refine(isRegion, { error: (issue) => regionRule(issue.input) });

export const iamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
    error: 'must be an IAM role ARN, like "arn:aws:iam::111122223333:role/ecs-task"',
});

/** A resource name for ECS, Lambda, S3 and friends: no ARNs, no wildcards. */
export const resourceName = (example: string) =>
    z.string().regex(/^[A-Za-z0-9][\w.-]{0,254}$/, {
        error: `must be a plain resource name (no ARN, no wildcard), like "${example}"`,
    });

export const alarmNames = z
    .array(z.string().min(1).max(255))
    .min(1, { error: "needs at least one CloudWatch alarm name: automatic rollback is driven by alarms" })
    .max(10, { error: "may list at most 10 alarms (CodeDeploy's limit per deployment group)" });

/** Non-empty glob list: CodePipeline rejects empty `includes`/`excludes` lists at plan time. */
export const globList = z
    .array(z.string().min(1).max(255))
    .min(1, { error: "must not be empty: leave the key out instead (CodePipeline rejects empty filter lists)" })
    .max(8, { error: "may hold at most 8 patterns (CodePipeline trigger filter limit)" });

/** Minutes a manual approval waits: CodePipeline allows 5 minutes to 60 days (86,400 minutes). */
export const approvalTimeoutMinutes = z
    .number()
    .int({ error: "must be a whole number of minutes" })
    .min(5, { error: "must be at least 5 minutes (CodePipeline's minimum for a manual approval)" })
    .max(86400, {
        error: "must be at most 86400 minutes, i.e. 60 days (CodePipeline's maximum for a manual approval)",
    });
