import type { EnvironmentConfig } from "../stacks/environment-schema";
import type { ServiceConfig } from "../stacks/service-schema";
import type { StageModel } from "./pipeline";

/** The regions a service deploys to besides the pipeline's own: each needs an artifact store there. */
export const extraRegions = (env: EnvironmentConfig, service: ServiceConfig): string[] =>
    (service.regions ?? []).filter((r) => r !== env.region);

/**
 * Waves: the Deploy stage runs one Deploy action per region, all with run order 1 (side by side), each with its
 * `region`. CodePipeline copies the input artifacts to the artifact store of each action's region, which the
 * pipeline declares in `artifactStores` (one per region, each with its own KMS key).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html
 */
export function withWaves(env: EnvironmentConfig, service: ServiceConfig, deploy: StageModel): StageModel {
    const regions = service.regions;
    if (!regions || (regions.length === 1 && regions[0] === env.region)) return deploy;
    const [action] = deploy.actions;
    return {
        ...deploy,
        actions: regions.map((region) => ({
            ...action,
            id: `${action.id}-${region}`,
            name: `${action.name}-${region}`,
            runOrder: 1,
            region,
        })),
    };
}
