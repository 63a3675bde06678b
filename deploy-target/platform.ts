/**
 * The deploy-target program's one window on the main project: config loading, the names catalogue and the deploy
 * kinds' permission records. Everything the main program decides (pipeline names, role paths, artifact folders,
 * bucket, what each deploy action calls) is read from here, never spelled again; after a restructure of `model/`
 * or `stacks/` only this module needs re-pointing.
 */
import { configFromStackValues, type PlatformConfig, type StackValues } from "../stacks/platform-config";
import type { ServiceConfig } from "../stacks/service-schema";
import * as names from "../model/names";
import { ACTIONS } from "../model/actions";
import { deployKind } from "../model/deploy-kinds";
import type { Statement } from "../model/iam/document";
import { BUILD_ARTIFACT, nameContext } from "../model/pipeline";

export { allow, policy, sidPart, type PolicyDocument, type Statement } from "../model/iam/document";
export type { PlatformConfig, ServiceConfig };
export type NameContext = names.NameContext;

/**
 * Validates the main project's `cicd:` config exactly as its own program does (same merge of
 * `cicd:serviceDefaults` and `cicd:services`, same schema, same rules).
 */
export const validatePipelineConfig = (values: StackValues, stack: string): PlatformConfig => {
    const { layers: _layers, ...config } = configFromStackValues(values, stack);
    return config;
};

export const pipelineContext = (config: PlatformConfig): NameContext => nameContext(config.environment);

/** The account a service's deploy lands in, when it is not the pipeline account (`deploy.accountId`). */
export function deployAccountOf(service: ServiceConfig): string | undefined {
    return "accountId" in service.deploy ? service.deploy.accountId : undefined;
}

/** Roles the service's deploy may pass (ECS task roles), when its kind passes any. */
export function passRolesOf(service: ServiceConfig): readonly string[] {
    return "passRoleArns" in service.deploy ? service.deploy.passRoleArns : [];
}

export const pipelineName = (ctx: NameContext, service: string): string => names.pipelineName(ctx, service);
export const artifactFolder = (ctx: NameContext, service: string): string => names.artifactFolder(ctx, service);
export const pipelineRoleArn = (ctx: NameContext, service: string): string => names.roleArn(ctx, service, "pipeline");
export const artifactBucketName = (ctx: NameContext): string => names.artifactBucketName(ctx);
export const bucketArn = (ctx: NameContext, bucket: string): string => names.bucketArn(ctx, bucket);

/** Alias of the environment's artifact key, as the main program creates it. */
export const artifactKeyAlias = (ctx: NameContext): string => names.artifactKeyAlias(ctx);

/**
 * What the service's Deploy action calls in the account it deploys to: the permissions of the action record its
 * deploy kind uses (`model/actions/`, each citing its CodePipeline action reference page), evaluated with the
 * target account's names so every ARN is in that account.
 */
export function deployActionStatements(
    targetCtx: NameContext,
    _pipelineCtx: NameContext,
    service: ServiceConfig,
): Statement[] {
    const kind = deployKind(service.deploy);
    const configuration = kind.configuration(service.deploy, {
        ...targetCtx,
        service: service.name,
        buildArtifact: BUILD_ARTIFACT,
    });
    const statements = ACTIONS[kind.action].permissions({
        ctx: targetCtx,
        configuration,
        ...kind.permissionContext(service.deploy),
    });
    return statements.filter((s): s is Statement => s !== undefined);
}
