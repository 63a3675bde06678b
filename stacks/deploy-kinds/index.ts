import { z } from "zod";
import { ecsBlueGreenSchema } from "./ecs-blue-green";
import { ecsRollingSchema } from "./ecs-rolling";
import { lambdaSchema } from "./lambda";
import { s3SiteSchema } from "./s3-site";

/**
 * The config schema of every deploy kind, by kind. The model's deploy-kind records (`model/deploy-kinds/`) are a
 * mapped type over these keys, so a schema added here without its record does not compile.
 */
export const DEPLOY_SCHEMAS = {
    "ecs-rolling": ecsRollingSchema,
    "ecs-blue-green": ecsBlueGreenSchema,
    lambda: lambdaSchema,
    "s3-site": s3SiteSchema,
} as const;

export type DeployKindName = keyof typeof DEPLOY_SCHEMAS;

export const deployConfigSchema = z.discriminatedUnion("kind", [
    ecsRollingSchema,
    ecsBlueGreenSchema,
    lambdaSchema,
    s3SiteSchema,
]);

export type DeployConfig = z.infer<typeof deployConfigSchema>;
export type DeployConfigOf<K extends DeployKindName> = Extract<DeployConfig, { kind: K }>;
