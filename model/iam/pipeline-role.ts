import type { ServiceConfig } from "../../stacks/service-schema";
import { ACTIONS, cloudWatchAlarmRule, type PermissionContext } from "../actions";
import { deployKind } from "../deploy-kinds";
import * as names from "../names";
import type { ActionModel, PipelineModel } from "../pipeline";
import { ARTIFACT_WRITE_KMS, bucketReads, keyUsage, prefixObjects } from "./artifacts";
import { policy, sidPart, unique, type EnvironmentRefs, type PolicyDocument, type Statement } from "./document";

/**
 * The CodePipeline service role of one pipeline: its artifact folder and the environment key, then exactly what
 * each of its actions' records (`model/actions/`) lists for the action's configuration, and what its stage
 * conditions read. Nothing else.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html
 */
export function pipelineRolePolicy(
    ctx: names.NameContext,
    model: PipelineModel,
    service: ServiceConfig,
    refs: EnvironmentRefs,
): PolicyDocument {
    const actions = model.stages.flatMap((s) => s.actions);
    // Alarm rules of the on-success (rollback, bake) and entry (no alarm firing) conditions read the same alarms,
    // each in the region its rule runs in (waves).
    const alarmRules = model.stages
        .flatMap((s) => [...(s.onSuccess?.rules ?? []), ...(s.beforeEntry?.rules ?? [])])
        .filter((r) => r.provider === cloudWatchAlarmRule.provider);
    const alarmRegions = unique(alarmRules.map((r) => r.region ?? ctx.region));
    return policy(
        mergeBySid([
            ...artifactStatements(ctx, model, refs),
            ...model.regions.flatMap((region) => regionalArtifactStatements(ctx, model, refs, region)),
            // An action in another region (waves) is granted on that region's resources.
            ...actions.flatMap((action) =>
                actionStatements(action.region ? { ...ctx, region: action.region } : ctx, action, service, model),
            ),
            ...alarmRegions.flatMap((region) =>
                cloudWatchAlarmRule.permissions(
                    { ...ctx, region },
                    unique(
                        alarmRules
                            .filter((r) => (r.region ?? ctx.region) === region)
                            .map((r) => r.configuration.AlarmName),
                    ),
                ),
            ),
        ]),
    );
}

/**
 * CodePipeline writes and reads artifacts under the pipeline's folder only, and checks the bucket's location and
 * versioning (the artifact store must be versioned) and ACL before using it.
 */
function artifactStatements(
    ctx: names.NameContext,
    model: PipelineModel,
    refs: EnvironmentRefs,
): (Statement | undefined)[] {
    return [
        prefixObjects(ctx, "ArtifactObjects", refs.bucketName, model.artifactFolder, [
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
        ]),
        bucketReads(ctx, "ArtifactBucket", refs.bucketName, [
            "s3:GetBucketVersioning",
            "s3:GetBucketLocation",
            "s3:GetBucketAcl",
        ]),
        keyUsage("ArtifactKey", refs.keyArn, ARTIFACT_WRITE_KMS),
    ];
}

/**
 * Waves: CodePipeline copies the artifacts to the artifact store of each region an action runs in, under the same
 * pipeline folder, encrypted with that region's key.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html
 */
function regionalArtifactStatements(
    ctx: names.NameContext,
    model: PipelineModel,
    refs: EnvironmentRefs,
    region: string,
): (Statement | undefined)[] {
    const rctx = { ...ctx, region };
    const bucket = names.artifactBucketName(rctx);
    const id = sidPart(region);
    const key = refs.regionalKeyArns?.[region];
    return [
        prefixObjects(rctx, `ArtifactObjects${id}`, bucket, model.artifactFolder, [
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
        ]),
        bucketReads(rctx, `ArtifactBucket${id}`, bucket, [
            "s3:GetBucketVersioning",
            "s3:GetBucketLocation",
            "s3:GetBucketAcl",
        ]),
        // Without the region's key ARN (not created yet), nothing is granted: the copy fails closed.
        key ? keyUsage(`ArtifactKey${id}`, key, ARTIFACT_WRITE_KMS) : undefined,
    ];
}

/**
 * An action in another account runs as the role configured for it: the pipeline role may only assume that role
 * and gets none of the action's own permissions.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html
 */
function actionStatements(
    ctx: names.NameContext,
    action: ActionModel,
    service: ServiceConfig,
    model: PipelineModel,
): (Statement | undefined)[] {
    if (action.roleArn)
        return [{ Sid: "AssumeDeployRole", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [action.roleArn] }];
    const extra: Omit<PermissionContext, "ctx" | "configuration"> =
        action.category === "Deploy"
            ? {
                  // The deployment configuration the kind's CodeDeploy group uses, when it plans one.
                  deploymentConfigName: model.codeDeploy?.deploymentConfigName,
                  ...deployKind(service.deploy).permissionContext(service.deploy),
              }
            : action.category === "Source" && service.source.kind === "s3"
              ? { sourceKeyArn: service.source.kmsKeyArn }
              : {};
    return ACTIONS[action.record].permissions({
        ctx,
        configuration: action.configuration,
        pipelineName: names.pipelineName(ctx, service.name),
        ...extra,
    });
}

/**
 * Statements of several actions that share a Sid (several CodeBuild projects, say) become one, with the union of
 * their resources, when their actions and conditions agree; anything else is left for `policy` to reject.
 */
function mergeBySid(statements: readonly (Statement | undefined)[]): Statement[] {
    const merged: Statement[] = [];
    for (const s of statements) {
        if (!s) continue;
        const same = merged.find(
            (m) =>
                m.Sid === s.Sid &&
                JSON.stringify(m.Action) === JSON.stringify(s.Action) &&
                JSON.stringify(m.Condition) === JSON.stringify(s.Condition),
        );
        if (same) same.Resource = unique([...(same.Resource ?? []), ...(s.Resource ?? [])]);
        else merged.push({ ...s, ...(s.Resource ? { Resource: [...s.Resource] } : {}) });
    }
    return merged;
}
