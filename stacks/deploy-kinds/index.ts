import { z } from "zod";
import { cloudFormationSchema } from "./cloudformation";
import { ecsBlueGreenSchema } from "./ecs-blue-green";
import { ec2CodeDeploySchema } from "./ec2-codedeploy";
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
    "ec2-codedeploy": ec2CodeDeploySchema,
    cloudformation: cloudFormationSchema,
} as const;

export type DeployKindName = keyof typeof DEPLOY_SCHEMAS;

export const deployConfigSchema = z.discriminatedUnion("kind", [
    ecsRollingSchema,
    ecsBlueGreenSchema,
    lambdaSchema,
    s3SiteSchema,
    ec2CodeDeploySchema,
    cloudFormationSchema,
]);

export type DeployConfig = z.infer<typeof deployConfigSchema>;
export type DeployConfigOf<K extends DeployKindName> = Extract<DeployConfig, { kind: K }>;
