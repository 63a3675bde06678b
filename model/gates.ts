import type { EnvironmentConfig } from "../stacks/environment-schema";
import type { ServiceConfig } from "../stacks/service-schema";
import { cloudWatchAlarmRule, deploymentWindowRule } from "./actions";
import { deployKind } from "./deploy-kinds";
import { ALARM_WATCH_MINUTES, type ConditionRuleModel, type StageModel } from "./pipeline";

/**
 * Gates around the Deploy stage (V2 stage conditions, https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html):
 * - on entry (result FAIL): the deployment window, when configured, and "no alarm firing": one `CloudWatchAlarm`
 *   rule per alarm of the service, which fails while its alarm is in ALARM. Always in production, elsewhere when
 *   `gates` is configured.
 * - on success: the bake time, the Deploy stage's alarm rules (`model/pipeline.ts`) watching for `bakeMinutes`.
 */
export function withGates(env: EnvironmentConfig, service: ServiceConfig, deploy: StageModel): StageModel {
    const gates = env.gates;
    // The service's alarms: those its deploy kind rolls back on, and those it lists for CodeDeploy (blue/green).
    const listed = "alarms" in service.deploy ? (service.deploy.alarms ?? []) : [];
    const alarms = [...new Set([...deployKind(service.deploy).rollbackAlarms(service.deploy), ...listed])];
    const gated = env.tier === "production" || gates !== undefined;
    const window: ConditionRuleModel[] = gates?.deploymentWindow
        ? [
              {
                  name: "DeploymentWindow",
                  provider: deploymentWindowRule.provider,
                  configuration: {
                      Cron: gates.deploymentWindow.cron,
                      ...(gates.deploymentWindow.timeZone ? { TimeZone: gates.deploymentWindow.timeZone } : {}),
                  },
              },
          ]
        : [];
    // The CloudWatchAlarm rule fails while its alarm is in one of `AlarmStates`: on entry, that fails the run before
    // anything is deployed into a service already in trouble.
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CloudWatchAlarm.html
    const quiet: ConditionRuleModel[] = alarms.map((alarm, i) => ({
        name: `NoAlarm${i + 1}`,
        provider: cloudWatchAlarmRule.provider,
        configuration: { AlarmName: alarm, AlarmStates: "ALARM" },
    }));
    const entry = gated ? [...window, ...quiet] : [];
    const bake = gates?.bakeMinutes;
    const watch = (rules: readonly ConditionRuleModel[]) =>
        rules.map((r) => ({
            ...r,
            configuration: { ...r.configuration, WaitTime: String(bake ?? ALARM_WATCH_MINUTES) },
        }));
    // The bake: the deploy's own alarm rules, or (gated kinds whose alarms CodeDeploy watches) the same alarms, for
    // `bakeMinutes`; PARALLEL executions cannot roll back, so there a firing alarm fails the stage.
    const onSuccess = deploy.onSuccess
        ? { ...deploy.onSuccess, rules: bake !== undefined ? watch(deploy.onSuccess.rules) : deploy.onSuccess.rules }
        : gated && alarms.length > 0
          ? {
                result: env.executionMode === "PARALLEL" ? ("FAIL" as const) : ("ROLLBACK" as const),
                rules: watch(
                    alarms.map((alarm, i) => ({
                        name: `Alarm${i + 1}`,
                        provider: cloudWatchAlarmRule.provider,
                        configuration: { AlarmName: alarm, AlarmStates: "ALARM" },
                    })),
                ),
            }
          : undefined;
    return {
        ...deploy,
        ...(onSuccess ? { onSuccess } : {}),
        ...(entry.length > 0 ? { beforeEntry: { result: "FAIL" as const, rules: entry } } : {}),
    };
}

/** CodePipeline's limit of rules per condition (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_Condition.html). */
export const MAX_RULES_PER_CONDITION = 5;

/** Entry results SKIP accepts only with these rules (stage-conditions.html). */
const SKIP_RULES: readonly string[] = ["LambdaInvoke", "VariableCheck"];

const RULE_KEYS: Readonly<
    Record<ConditionRuleModel["provider"], { required: readonly string[]; optional: readonly string[] }>
> = {
    CloudWatchAlarm: { required: cloudWatchAlarmRule.requiredKeys, optional: cloudWatchAlarmRule.optionalKeys },
    DeploymentWindow: { required: deploymentWindowRule.requiredKeys, optional: deploymentWindowRule.optionalKeys },
};

/**
 * Every way a stage's conditions break the documented combinations, as `<Stage> <problem>` sentences:
 * entry conditions FAIL or SKIP (SKIP only with LambdaInvoke/VariableCheck rules); on-success ROLLBACK or FAIL;
 * on-failure ROLLBACK or RETRY, and a RETRY never inside a condition with rules (no automatic retry there); no
 * ROLLBACK in PARALLEL executions; 1-5 rules per condition, each with its rule record's keys.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html
 */
export function conditionProblems(stage: StageModel, executionMode: EnvironmentConfig["executionMode"]): string[] {
    const problems: string[] = [];
    const at = (what: string, message: string) => problems.push(`${stage.name} ${what} ${message}`);
    const parallel = executionMode === "PARALLEL";
    const entry = stage.beforeEntry;
    if (entry) {
        if (entry.result !== "FAIL" && entry.result !== "SKIP")
            at("entry condition", `has result ${String(entry.result)}; entry conditions take FAIL or SKIP.`);
        if (entry.result === "SKIP" && entry.rules.some((r) => !SKIP_RULES.includes(r.provider)))
            at("entry condition", "has result SKIP, which only LambdaInvoke and VariableCheck rules allow; use FAIL.");
        problems.push(...ruleProblems(stage.name, "entry condition", entry.rules));
    }
    const success = stage.onSuccess;
    if (success) {
        if (success.result !== "ROLLBACK" && success.result !== "FAIL")
            at(
                "on-success condition",
                `has result ${String(success.result)}; on-success conditions take ROLLBACK or FAIL.`,
            );
        if (success.result === "ROLLBACK" && parallel)
            at(
                "on-success condition",
                "rolls back, which PARALLEL executions cannot do; use FAIL, or QUEUED or SUPERSEDED mode.",
            );
        problems.push(...ruleProblems(stage.name, "on-success condition", success.rules));
    }
    const failure = stage.onFailure as { result: string; rules?: readonly ConditionRuleModel[] } | undefined;
    if (failure) {
        if (failure.result !== "ROLLBACK" && failure.result !== "RETRY")
            at("on-failure condition", `has result ${failure.result}; on-failure takes ROLLBACK or RETRY.`);
        if (failure.result === "RETRY" && failure.rules && failure.rules.length > 0)
            at(
                "on-failure condition",
                "retries automatically inside a condition with rules, which CodePipeline does not allow; use ROLLBACK there, or RETRY without rules.",
            );
        if (failure.result === "ROLLBACK" && parallel)
            at(
                "on-failure condition",
                "rolls back, which PARALLEL executions cannot do; leave it out, or use QUEUED or SUPERSEDED mode.",
            );
    }
    return problems;
}

function ruleProblems(stage: string, what: string, rules: readonly ConditionRuleModel[]): string[] {
    const problems: string[] = [];
    if (rules.length < 1 || rules.length > MAX_RULES_PER_CONDITION)
        problems.push(
            `${stage} ${what} has ${rules.length} rules; CodePipeline allows 1-${MAX_RULES_PER_CONDITION} per condition. List at most ${MAX_RULES_PER_CONDITION} alarms for the service (with a deployment window, at most ${MAX_RULES_PER_CONDITION - 1}).`,
        );
    for (const rule of rules) {
        const keys = RULE_KEYS[rule.provider];
        const known = new Set([...keys.required, ...keys.optional]);
        for (const k of Object.keys(rule.configuration))
            if (!known.has(k))
                problems.push(
                    `${stage} ${what} rule ${rule.name} sets \`${k}\`, which the ${rule.provider} rule does not take`,
                );
        for (const k of keys.required)
            if (!rule.configuration[k])
                problems.push(
                    `${stage} ${what} rule ${rule.name} lacks \`${k}\`, which the ${rule.provider} rule requires`,
                );
    }
    return problems;
}
