import type { EnvironmentConfig } from "../stacks/environment-schema";
import type { ServiceConfig } from "../stacks/service-schema";
import type { StageModel } from "./pipeline";

/** The regions a service deploys to besides the pipeline's own: each needs an artifact store there. */
export const extraRegions = (env: EnvironmentConfig, service: ServiceConfig): string[] =>
    (service.regions ?? []).filter((r) => r !== env.region);

/**
 * Waves: the Deploy stage runs each deploy action once per region, side by side (the copies keep the action's run
 * order), each with its `region`. CodePipeline copies the input artifacts to the artifact store of each action's
 * region, which the pipeline declares in `artifactStores` (one per region, each with its own KMS key).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html
 * Only single-step kinds take regions (`waveRules`); the stage's checks (Lambda invokes) and reviews (approvals)
 * are not per-region deploys and run once, in the pipeline's region, before or after all the copies.
 */
export function withWaves(env: EnvironmentConfig, service: ServiceConfig, deploy: StageModel): StageModel {
    const regions = service.regions;
    if (!regions || (regions.length === 1 && regions[0] === env.region)) return deploy;
    return {
        ...deploy,
        actions: deploy.actions.flatMap((action) =>
            action.category === "Deploy"
                ? regions.map((region) => ({
                      ...action,
                      id: `${action.id}-${region}`,
                      name: `${action.name}-${region}`,
                      region,
                  }))
                : [action],
        ),
    };
}
