import type * as pulumi from "@pulumi/pulumi";
import type { DeployConfig, DeployConfigOf, DeployKindName } from "../../model/deploy-kinds";
import { ecsBlueGreenResources } from "./ecs-blue-green";
import { lambdaCanaryResources } from "./lambda-canary";
import type { DeployTranslation, DeployTranslationArgs } from "./types";

export type { DeployTranslationArgs } from "./types";

/**
 * One translation per deploy kind. The mapped type makes a new kind a compile error until it has its case here.
 * ECS rolling and S3 site deploys are pipeline actions only: they need no resource of their own.
 */
const TRANSLATIONS: { readonly [K in DeployKindName]: DeployTranslation<DeployConfigOf<K>> } = {
    "ecs-rolling": () => [],
    "ecs-blue-green": ecsBlueGreenResources,
    "lambda-canary": lambdaCanaryResources,
    "s3-site": () => [],
};

/** Creates the deploy kind's own resources (CodeDeploy application and group, or nothing). */
export function deployResources(args: DeployTranslationArgs<DeployConfig>): pulumi.Resource[] {
    const translate = TRANSLATIONS[args.config.kind] as DeployTranslation<DeployConfig>;
    return translate(args);
}
