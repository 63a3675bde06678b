import type { EnvironmentConfig } from "../stacks/environment-schema";
import type { ServiceConfig } from "../stacks/service-schema";
import type { ConditionRuleModel, StageModel } from "./pipeline";

/** The regions a service deploys to besides the pipeline's own: each needs an artifact store there. */
export const extraRegions = (env: EnvironmentConfig, service: ServiceConfig): string[] =>
    (service.regions ?? []).filter((r) => r !== env.region);

/**
 * Waves: the Deploy stage runs each deploy action once per region, each with its `region`. In a `sequential` wave
 * the copies take successive run orders in the order of `regions` (an action starts only when every action of a
 * lower run order succeeded, https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html),
 * and what ran after the deploy moves after the last region; in a `parallel` wave they keep the action's run order. CodePipeline copies the input artifacts to the artifact store of each action's
 * region, which the pipeline declares in `artifactStores` (one per region, each with its own KMS key).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html
 * Only single-step kinds take regions (`waveRules`); the stage's checks (Lambda invokes) and reviews (approvals)
 * are not per-region deploys and run once, in the pipeline's region, before or after all the copies.
 * The stage's alarm rules (entry "no alarm firing", on-success rollback and bake) watch the alarm of that name in
 * every region deployed to: a rule runs in its `region`, the pipeline's when absent
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RuleDeclaration.html). The copies count toward
 * the condition's five rules, which `conditionProblems` (model/gates.ts) enforces.
 */
export function withWaves(env: EnvironmentConfig, service: ServiceConfig, deploy: StageModel): StageModel {
    const regions = service.regions;
    if (!regions || (regions.length === 1 && regions[0] === env.region)) return deploy;
    const perRegion = (rules: readonly ConditionRuleModel[]): ConditionRuleModel[] =>
        rules.flatMap((rule) =>
            rule.provider === "CloudWatchAlarm"
                ? regions.map((region) =>
                      region === env.region ? rule : { ...rule, name: `${rule.name}-${region}`, region },
                  )
                : [rule],
        );
    return {
        ...deploy,
        ...(deploy.beforeEntry
            ? { beforeEntry: { ...deploy.beforeEntry, rules: perRegion(deploy.beforeEntry.rules) } }
            : {}),
        ...(deploy.onSuccess ? { onSuccess: { ...deploy.onSuccess, rules: perRegion(deploy.onSuccess.rules) } } : {}),
        actions: spread(deploy, regions, service.waveOrder === "sequential"),
    };
}

/** The stage's actions with each deploy action copied per region; in sequence, later actions move after the wave. */
function spread(deploy: StageModel, regions: readonly string[], sequential: boolean): StageModel["actions"] {
    const deployOrders = deploy.actions.filter((a) => a.category === "Deploy").map((a) => a.runOrder);
    const last = Math.max(...deployOrders);
    const shift = sequential ? regions.length - 1 : 0;
    return deploy.actions.flatMap((action) =>
        action.category === "Deploy"
            ? regions.map((region, i) => ({
                  ...action,
                  id: `${action.id}-${region}`,
                  name: `${action.name}-${region}`,
                  region,
                  runOrder: action.runOrder + (sequential ? i : 0),
              }))
            : [action.runOrder > last ? { ...action, runOrder: action.runOrder + shift } : action],
    );
}
