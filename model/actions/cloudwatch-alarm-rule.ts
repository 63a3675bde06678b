import { cloudWatchAlarmArn, type NameContext } from "../names";
import { allow, type Statement } from "../iam/document";

/**
 * The `CloudWatchAlarm` stage-condition rule (V2): it watches one alarm, named by `AlarmName`, for `WaitTime`
 * minutes in the states `AlarmStates`, and the condition's result (here ROLLBACK) applies when it matches.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CloudWatchAlarm.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html
 */
export const cloudWatchAlarmRule = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CloudWatchAlarm.html",
    category: "Rule",
    owner: "AWS",
    provider: "CloudWatchAlarm",
    version: "1",
    requiredKeys: ["AlarmName"],
    optionalKeys: ["AlarmStates", "WaitTime"],
    /**
     * The rule page lists no role permissions. The rule reads the alarm's state, which `cloudwatch:DescribeAlarms`
     * allows on the alarm's ARN (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html);
     * if the rule needs more, it fails closed (the stage does not pass silently).
     */
    permissions: (ctx: NameContext, alarms: readonly string[]): (Statement | undefined)[] => [
        allow(
            "ReadRollbackAlarms",
            ["cloudwatch:DescribeAlarms"],
            alarms.map((a) => cloudWatchAlarmArn(ctx, a)),
        ),
    ],
} as const;
