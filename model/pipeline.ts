import type { DeployConfig } from "../stacks/deploy-kinds";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import type { ServiceConfig, SourceConfig, TestSuiteId } from "../stacks/service-schema";
import { ACTIONS, cloudWatchAlarmRule, contractProblems, type ActionCategory, type ActionId } from "./actions";
import { deployKind, type CodeDeployPlan, type DeployContext, type TranslationKey } from "./deploy-kinds";
import { deployActions } from "./deploy-steps";
import * as names from "./names";
import { TEST_ORDER, type ProjectId, type ProjectModel } from "./projects";
import { conditionProblems } from "./gates";
import { extraRegions } from "./waves";
import { releasedPipeline } from "./release-pipeline";

export type { ProjectId, ProjectModel } from "./projects";

export const SOURCE_ARTIFACT = "SourceOutput";
export const BUILD_ARTIFACT = "BuildOutput";

export type StageId = "source" | "build" | "test" | "approve" | "deploy" | "release";
export type { ActionCategory } from "./actions";

export interface ActionModel {
    /** Stable id, unique in the pipeline; names the action and any resource made for it. */
    readonly id: string;
    readonly name: string;
    /** The action record (`model/actions/`) the action follows: its contract and its role's permissions. */
    readonly record: ActionId;
    readonly category: ActionCategory;
    readonly provider: string;
    readonly runOrder: number;
    readonly configuration: Readonly<Record<string, string>>;
    readonly inputArtifacts: readonly string[];
    readonly outputArtifacts: readonly string[];
    /** Role in another account that CodePipeline assumes for this action. */
    readonly roleArn?: string;
    readonly timeoutInMinutes?: number;
    /** Id of the CodeBuild project the action runs. */
    readonly projectId?: ProjectId;
    /** Region the action runs in, when not the pipeline's (waves: `model/waves.ts`). */
    readonly region?: string;
    /** Namespace of the action's output variables (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html). */
    readonly namespace?: string;
}

/** Stage conditions: roll back a failed deploy, retry failed test actions once. */
export type StageFailure =
    { readonly result: "ROLLBACK" } | { readonly result: "RETRY"; readonly retryMode: "FAILED_ACTIONS" };

/** A V2 stage-condition rule (`CloudWatchAlarm`, `DeploymentWindow`: records in `model/actions/`). */
export interface ConditionRuleModel {
    readonly name: string;
    readonly provider: typeof cloudWatchAlarmRule.provider | "DeploymentWindow";
    readonly configuration: Readonly<Record<string, string>>;
    /**
     * Region the rule runs in, when not the pipeline's (waves: an alarm rule per deploy region).
     * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RuleDeclaration.html
     */
    readonly region?: string;
}

/** Before the stage starts, check the rules; when one fails, apply `result` (gates: `model/gates.ts`). */
export interface StageEntryCondition {
    readonly result: "FAIL" | "SKIP";
    readonly rules: readonly ConditionRuleModel[];
}

/** After the stage succeeds, watch the rules; when one matches, apply `result`. */
export interface StageSuccessCondition {
    readonly result: "ROLLBACK" | "FAIL";
    readonly rules: readonly ConditionRuleModel[];
}

export interface StageModel {
    readonly id: StageId;
    readonly name: string;
    readonly actions: readonly ActionModel[];
    readonly onFailure?: StageFailure;
    readonly onSuccess?: StageSuccessCondition;
    readonly beforeEntry?: StageEntryCondition;
}

export interface ApprovalModel {
    readonly timeoutMinutes: number;
    readonly customData: string;
    readonly reviewUrl?: string;
    /** The approval topic, named and ARN'd by `names` (the action's `NotificationArn`). */
    readonly topicName: string;
    readonly topicArn: string;
    readonly stageName: string;
    readonly actionName: string;
    /** Review actions of the Deploy stage (a change set's review) that the same approvers answer. @default [] */
    readonly reviews?: readonly { readonly stageName: string; readonly actionName: string }[];
}

/** Git push filters for CodeConnections sources (CodePipeline V2 triggers). */
export interface TriggerModel {
    readonly branches: { readonly includes: readonly string[]; readonly excludes?: readonly string[] };
    readonly filePaths?: { readonly includes?: readonly string[]; readonly excludes?: readonly string[] };
}

export interface PipelineModel {
    readonly service: string;
    readonly pipelineName: string;
    readonly artifactFolder: string;
    readonly executionMode: EnvironmentConfig["executionMode"];
    readonly stages: readonly StageModel[];
    readonly projects: readonly ProjectModel[];
    /** Present when a manual approval precedes the deploy. */
    readonly approval?: ApprovalModel;
    readonly deploy: DeployConfig;
    /** CodeDeploy application, deployment group and role, for kinds CodeDeploy carries out. */
    readonly codeDeploy?: CodeDeployPlan;
    /** How the components create the kind's own resources (its record's translation key). */
    readonly deployTranslation: TranslationKey;
    /** Roles the pipeline needs: at most pipeline, build and (CodeDeploy) deploy. */
    readonly roles: readonly names.RoleKind[];
    /** Push trigger, for CodeConnections sources only. */
    readonly trigger?: TriggerModel;
    /** Regions besides the pipeline's where actions run, each needing an artifact store (waves). */
    readonly regions: readonly string[];
    /** The pipeline's own region (its home artifact store's, named in `artifactStores` once there are several). */
    readonly homeRegion: string;
}

export const nameContext = (env: EnvironmentConfig): names.NameContext => ({
    environment: env.name,
    accountId: env.accountId,
    region: env.region,
    partition: names.partitionOf(env.region),
});

export const APPROVAL_STAGE = "Approve";
export const DEPLOY_STAGE = "Deploy";
export const APPROVAL_ACTION = "Approve";

/** Approval is required in production, or where the environment or the service asks for it. */
export function approvalFor(env: EnvironmentConfig, service: ServiceConfig): ApprovalModel | undefined {
    const required = env.tier === "production" || (service.approval.required ?? env.approval.required ?? false);
    if (!required) return undefined;
    const ctx = nameContext(env);
    const topicName = names.approvalTopicName(ctx, service.name);
    return {
        timeoutMinutes: service.approval.timeoutMinutes ?? env.approval.timeoutMinutes,
        customData: service.approval.customData ?? `Approve deploying ${service.name} to ${env.name}.`,
        reviewUrl: service.approval.reviewUrl,
        topicName,
        topicArn: names.topicArn(ctx, topicName),
        stageName: APPROVAL_STAGE,
        actionName: APPROVAL_ACTION,
    };
}

const SOURCE_RECORDS: Readonly<Record<SourceConfig["kind"], ActionId>> = {
    codestar: "codeStarSourceConnection",
    codecommit: "codeCommitSource",
    s3: "s3Source",
};

/**
 * Variable namespace of a git source action. CodeConnections and CodeCommit sources output the commit's
 * `AuthorDate` (ISO 8601), which the publisher carries into the release so that lead time downstream is measured
 * from the commit (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html#reference-variables-list).
 * S3 sources output only `ETag` and `VersionId`.
 */
export const GIT_SOURCE_NAMESPACE = "SourceVariables";

/** The pipeline variable holding the commit's author date, where the source outputs one. */
export const commitTimeVariable = (source: SourceConfig): string | undefined =>
    source.kind === "s3" ? undefined : `#{${GIT_SOURCE_NAMESPACE}.AuthorDate}`;

export function sourceAction(source: SourceConfig): ActionModel {
    const base = {
        id: "source",
        name: "Source",
        record: SOURCE_RECORDS[source.kind],
        category: "Source" as const,
        runOrder: 1,
        inputArtifacts: [],
        outputArtifacts: [SOURCE_ARTIFACT],
        ...(commitTimeVariable(source) ? { namespace: GIT_SOURCE_NAMESPACE } : {}),
    };
    switch (source.kind) {
        case "codestar":
            // Config validation requires the connection wherever a pipeline builds from git (stacks/release-schema.ts).
            if (!source.connectionArn)
                throw new Error(`a CodeConnections source of ${source.repository} has no connection`);
            return {
                ...base,
                provider: "CodeStarSourceConnection",
                configuration: {
                    ConnectionArn: source.connectionArn,
                    FullRepositoryId: source.repository,
                    BranchName: source.branch,
                    OutputArtifactFormat: "CODE_ZIP",
                    DetectChanges: "true",
                },
            };
        case "codecommit":
            // Change detection through EventBridge, not polling (https://docs.aws.amazon.com/codepipeline/latest/userguide/update-change-detection.html).
            return {
                ...base,
                provider: "CodeCommit",
                configuration: {
                    RepositoryName: source.repository,
                    BranchName: source.branch,
                    PollForSourceChanges: "false",
                },
            };
        case "s3":
            return {
                ...base,
                provider: "S3",
                configuration: {
                    S3Bucket: source.bucket,
                    S3ObjectKey: source.objectKey,
                    PollForSourceChanges: "false",
                },
            };
    }
}

/**
 * Only CodeConnections sources take V2 triggers; without `triggers` a push to the source branch starts the run.
 * Lists are never empty: CodePipeline rejects empty `includes`/`excludes` (the schema guarantees that).
 */
export function triggerFor(service: ServiceConfig): TriggerModel | undefined {
    if (service.source.kind !== "codestar") return undefined;
    const branches = service.triggers?.branches;
    return {
        branches: {
            includes: branches?.includes ?? [service.source.branch],
            ...(branches?.excludes ? { excludes: branches.excludes } : {}),
        },
        ...(service.triggers?.filePaths ? { filePaths: service.triggers.filePaths } : {}),
    };
}

const ACTION_NAMES: Readonly<Record<ProjectId, string>> = {
    build: "Build",
    unit: "UnitTests",
    integration: "IntegrationTests",
    security: "SecurityScan",
    smoke: "SmokeTests",
    publish: "PublishRelease",
    promote: "PromoteRelease",
    provenance: "ReadProvenance",
};

export const codeBuildAction = (
    project: ProjectModel,
    category: "Build" | "Test",
    runOrder: number,
    outputs: string[],
): ActionModel => ({
    id: project.id,
    name: ACTION_NAMES[project.id],
    record: category === "Build" ? "codeBuild" : "codeBuildTest",
    category,
    provider: "CodeBuild",
    runOrder,
    configuration: { ProjectName: project.name },
    inputArtifacts: [SOURCE_ARTIFACT],
    outputArtifacts: outputs,
    projectId: project.id,
});

/**
 * The whole pipeline for one service in one environment, as plain data: Source → Build → Test → Approve → Deploy.
 * Stages with nothing to do are left out (no tests: no Test stage; no approval: no Approve stage).
 */
export function buildPipelineModel(env: EnvironmentConfig, service: ServiceConfig): PipelineModel {
    const ctx = nameContext(env);
    // Stages and projects follow the environment's link of the release chain (model/release-pipeline.ts).
    const { stages, projects, trigger, approval } = releasedPipeline(env, service);
    const codeDeploy = deployKind(service.deploy).codeDeploy?.(service.deploy, deployContext(ctx, service));
    // Test projects run under a role of their own, which cannot write the build output (model/iam/test-role.ts);
    // release projects (publish, promote, provenance) under one that reaches only the release chain.
    const has = (kind: ProjectModel["roleKind"]) => projects.some((p) => p.roleKind === kind);
    const roles: names.RoleKind[] = [
        "pipeline",
        ...(["build", "test", "release"] as const).filter(has),
        ...(codeDeploy ? (["deploy"] as const) : []),
    ];
    return {
        service: service.name,
        pipelineName: names.pipelineName(ctx, service.name),
        artifactFolder: names.artifactFolder(ctx, service.name),
        executionMode: env.executionMode,
        stages,
        projects,
        approval,
        deploy: service.deploy,
        codeDeploy,
        deployTranslation: deployKind(service.deploy).translation,
        roles,
        trigger,
        regions: extraRegions(env, service),
        homeRegion: env.region,
    };
}

/** Git-built pipelines: Source → Build → Test → [Approve] → Deploy, the stages the release chain wraps. */
export function gitStages(service: ServiceConfig, projects: readonly ProjectModel[]): StageModel[] {
    const [buildProject, ...testProjects] = projects;
    const stages: StageModel[] = [
        { id: "source", name: "Source", actions: [sourceAction(service.source)] },
        { id: "build", name: "Build", actions: [codeBuildAction(buildProject, "Build", 1, [BUILD_ARTIFACT])] },
    ];
    if (testProjects.length > 0) stages.push(testStage(testProjects));
    return stages;
}

/** The pre-deploy suites as one stage; a failed action is retried once. */
export const testStage = (testProjects: readonly ProjectModel[]): StageModel => ({
    id: "test",
    name: "Test",
    actions: testProjects.map((p) => codeBuildAction(p, "Test", TEST_ORDER[p.id as TestSuiteId], [])),
    onFailure: { result: "RETRY", retryMode: "FAILED_ACTIONS" },
});

/**
 * Post-deploy suites (`smoke`, `integration`) run in the Deploy stage, side by side after its last action, not in a
 * stage of their own: a stage that fails rolls back only itself, re-running with the artifacts of the last
 * execution that succeeded in it (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html), so
 * a failing suite in a later stage would leave the broken deploy in place. Inside the Deploy stage, its failure
 * triggers the stage's `onFailure: ROLLBACK`, which redeploys the last good revision.
 */
export function withSuitesAfterDeploy(deploy: StageModel, suites: readonly ProjectModel[]): StageModel {
    if (suites.length === 0) return deploy;
    const next = Math.max(...deploy.actions.map((a) => a.runOrder)) + 1;
    return { ...deploy, actions: [...deploy.actions, ...suites.map((p) => codeBuildAction(p, "Test", next, []))] };
}

/** The approval, with the Deploy stage's review actions its approvers also answer. */
export function withReviews(
    approval: ApprovalModel | undefined,
    service: ServiceConfig,
    x: DeployContext,
): ApprovalModel | undefined {
    if (!approval) return undefined;
    const { reviews } = deployActions(service, x, approval, undefined);
    return reviews.length > 0
        ? { ...approval, reviews: reviews.map((actionName) => ({ stageName: DEPLOY_STAGE, actionName })) }
        : approval;
}

export const deployContext = (ctx: names.NameContext, service: ServiceConfig) => ({
    ...ctx,
    service: service.name,
    buildArtifact: BUILD_ARTIFACT,
});

/**
 * The manual approval, with its full configuration: the topic ARN is planned (`names`), so nothing waits for the
 * topic to exist. https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-action-add.html
 */
export function approvalStage(approval: ApprovalModel): StageModel {
    return {
        id: "approve",
        name: approval.stageName,
        actions: [
            {
                id: "approve",
                name: approval.actionName,
                record: "manualApproval",
                category: "Approval",
                provider: ACTIONS.manualApproval.provider,
                runOrder: 1,
                configuration: {
                    NotificationArn: approval.topicArn,
                    CustomData: approval.customData,
                    ...(approval.reviewUrl ? { ExternalEntityLink: approval.reviewUrl } : {}),
                },
                inputArtifacts: [],
                outputArtifacts: [],
                timeoutInMinutes: approval.timeoutMinutes,
            },
        ],
    };
}

/**
 * The Deploy stage: the kind's action, run as the account's deploy role when it deploys elsewhere; a failed deploy
 * rolls back, and the kind's alarms roll a succeeded one back through `CloudWatchAlarm` rules. PARALLEL executions
 * cannot roll a stage back, so there a firing alarm fails the stage instead.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html
 */
export function deployStage(
    env: EnvironmentConfig,
    service: ServiceConfig,
    approval: ApprovalModel | undefined,
): StageModel {
    const ctx = nameContext(env);
    const kind = deployKind(service.deploy);
    const x = deployContext(ctx, service);
    const account = kind.targetAccount(service.deploy);
    const crossAccountRole = account && account !== env.accountId ? env.deployRoleArns[account] : undefined;
    const alarms = kind.rollbackAlarms(service.deploy);
    const parallel = env.executionMode === "PARALLEL";
    return {
        id: "deploy",
        name: DEPLOY_STAGE,
        actions: deployActions(service, x, approval, crossAccountRole).actions,
        ...(parallel ? {} : { onFailure: { result: "ROLLBACK" as const } }),
        ...(alarms.length > 0
            ? {
                  onSuccess: {
                      result: parallel ? ("FAIL" as const) : ("ROLLBACK" as const),
                      rules: alarms.map((alarm, i) => ({
                          name: `Alarm${i + 1}`,
                          provider: cloudWatchAlarmRule.provider,
                          configuration: {
                              AlarmName: alarm,
                              AlarmStates: "ALARM",
                              WaitTime: String(ALARM_WATCH_MINUTES),
                          },
                      })),
                  },
              }
            : {}),
    };
}

/**
 * Minutes the Deploy stage's alarm rules watch after the deploy succeeds. The rule page documents `WaitTime` but no
 * default; 10 minutes covers the first canary step of the shortest strategies.
 */
export const ALARM_WATCH_MINUTES = 10;

/**
 * Every way the pipeline's actions break their records' contracts, as `<Stage>.<Action> <problem>` sentences; V2
 * pipelines take every action, so `v2Only` needs no check here (the components always create V2 pipelines).
 */
export function contractViolations(model: PipelineModel): string[] {
    return [
        ...model.stages.flatMap((stage) =>
            stage.actions.flatMap((action) =>
                contractProblems(ACTIONS[action.record], action).map((p) => `${stage.name}.${action.name} ${p}`),
            ),
        ),
        ...model.stages.flatMap((stage) => conditionProblems(stage, model.executionMode)),
    ];
}
