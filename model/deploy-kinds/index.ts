import { z } from "zod";
import { ecsBlueGreen } from "./ecs-blue-green";
import { ecsRolling } from "./ecs-rolling";
import { lambdaCanary } from "./lambda-canary";
import { s3Site } from "./s3-site";
import type { DeployActionSpec, DeployContext } from "./types";

export type { DeployActionSpec, DeployContext, DeployKind } from "./types";

/** Every deploy kind, keyed by its `kind`. */
export const DEPLOY_KINDS = {
    "ecs-rolling": ecsRolling,
    "ecs-blue-green": ecsBlueGreen,
    "lambda-canary": lambdaCanary,
    "s3-site": s3Site,
} as const;

export type DeployKindName = keyof typeof DEPLOY_KINDS;

export const deployConfigSchema = z.discriminatedUnion("kind", [
    ecsRolling.schema,
    ecsBlueGreen.schema,
    lambdaCanary.schema,
    s3Site.schema,
]);

export type DeployConfig = z.infer<typeof deployConfigSchema>;
export type DeployConfigOf<K extends DeployKindName> = Extract<DeployConfig, { kind: K }>;

/** The Deploy action for a service's deploy config, whatever its kind. */
export function deployAction(config: DeployConfig, ctx: DeployContext): DeployActionSpec {
    const kind = DEPLOY_KINDS[config.kind] as { action(c: DeployConfig, x: DeployContext): DeployActionSpec };
    return kind.action(config, ctx);
}

export function deploySummary(config: DeployConfig): string {
    const kind = DEPLOY_KINDS[config.kind] as { summary(c: DeployConfig): string };
    return kind.summary(config);
}

export const usesCodeDeploy = (config: DeployConfig): boolean => DEPLOY_KINDS[config.kind].usesCodeDeploy;

/**
 * CodeDeploy deployment configuration a CodeDeploy kind uses; ECS blue/green shifts all traffic at once after the
 * green task set is healthy (alarms still roll it back).
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
 */
export function codeDeployConfigName(config: DeployConfig): string | undefined {
    switch (config.kind) {
        case "ecs-blue-green":
            return "CodeDeployDefault.ECSAllAtOnce";
        case "lambda-canary":
            return `CodeDeployDefault.${config.strategy}`;
        default:
            return undefined;
    }
}
