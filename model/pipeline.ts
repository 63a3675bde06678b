import { DEPLOY_KINDS, deployAction, type DeployConfig } from "./deploy-kinds";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import type { ServiceConfig, SourceConfig, TestSuiteId } from "../stacks/service-schema";
import * as names from "./names";
import { projectsFor, TEST_ORDER, type ProjectId, type ProjectModel } from "./projects";

export type { ProjectId, ProjectModel } from "./projects";

export const SOURCE_ARTIFACT = "SourceOutput";
export const BUILD_ARTIFACT = "BuildOutput";

export type StageId = "source" | "build" | "test" | "approve" | "deploy";
export type ActionCategory = "Source" | "Build" | "Test" | "Approval" | "Deploy";

export interface ActionModel {
    /** Stable id, unique in the pipeline; names the action and any resource made for it. */
    readonly id: string;
    readonly name: string;
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
}

/** Stage conditions: roll back a failed deploy, retry failed test actions once. */
export type StageFailure =
    { readonly result: "ROLLBACK" } | { readonly result: "RETRY"; readonly retryMode: "FAILED_ACTIONS" };

export interface StageModel {
    readonly id: StageId;
    readonly name: string;
    readonly actions: readonly ActionModel[];
    readonly onFailure?: StageFailure;
}

export interface ApprovalModel {
    readonly timeoutMinutes: number;
    readonly customData: string;
    readonly reviewUrl?: string;
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
    /** Roles the pipeline needs: at most pipeline, build and (CodeDeploy) deploy. */
    readonly roles: readonly names.RoleKind[];
    /** Push trigger, for CodeConnections sources only. */
    readonly trigger?: TriggerModel;
}

export const nameContext = (env: EnvironmentConfig): names.NameContext => ({
    environment: env.name,
    accountId: env.accountId,
    region: env.region,
    partition: env.region.startsWith("cn-") ? "aws-cn" : env.region.includes("-gov-") ? "aws-us-gov" : "aws",
});

/** Approval is required in production, or where the environment or the service asks for it. */
export function approvalFor(env: EnvironmentConfig, service: ServiceConfig): ApprovalModel | undefined {
    const required = env.tier === "production" || (service.approval.required ?? env.approval.required ?? false);
    if (!required) return undefined;
    return {
        timeoutMinutes: service.approval.timeoutMinutes ?? env.approval.timeoutMinutes,
        customData: service.approval.customData ?? `Approve deploying ${service.name} to ${env.name}.`,
        reviewUrl: service.approval.reviewUrl,
    };
}

function sourceAction(source: SourceConfig): ActionModel {
    const base = {
        id: "source",
        name: "Source",
        category: "Source" as const,
        runOrder: 1,
        inputArtifacts: [],
        outputArtifacts: [SOURCE_ARTIFACT],
    };
    switch (source.kind) {
        case "codestar":
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
function triggerFor(service: ServiceConfig): TriggerModel | undefined {
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
};

const codeBuildAction = (
    project: ProjectModel,
    category: "Build" | "Test",
    runOrder: number,
    outputs: string[],
): ActionModel => ({
    id: project.id,
    name: ACTION_NAMES[project.id],
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
    const projects = projectsFor(ctx, env, service);
    const [buildProject, ...testProjects] = projects;
    const approval = approvalFor(env, service);
    const deploySpec = deployAction(service.deploy, { ...ctx, service: service.name, buildArtifact: BUILD_ARTIFACT });
    const account = "accountId" in service.deploy ? service.deploy.accountId : undefined;
    const crossAccountRole = account && account !== env.accountId ? env.deployRoleArns[account] : undefined;

    const stages: StageModel[] = [
        { id: "source", name: "Source", actions: [sourceAction(service.source)] },
        { id: "build", name: "Build", actions: [codeBuildAction(buildProject, "Build", 1, [BUILD_ARTIFACT])] },
    ];
    if (testProjects.length > 0) {
        stages.push({
            id: "test",
            name: "Test",
            actions: testProjects.map((p) => codeBuildAction(p, "Test", TEST_ORDER[p.id as TestSuiteId], [])),
            onFailure: { result: "RETRY", retryMode: "FAILED_ACTIONS" },
        });
    }
    if (approval) {
        stages.push({
            id: "approve",
            name: "Approve",
            actions: [
                {
                    id: "approve",
                    name: "Approve",
                    category: "Approval",
                    provider: "Manual",
                    runOrder: 1,
                    configuration: {},
                    inputArtifacts: [],
                    outputArtifacts: [],
                    timeoutInMinutes: approval.timeoutMinutes,
                },
            ],
        });
    }
    stages.push({
        id: "deploy",
        name: "Deploy",
        actions: [
            {
                id: "deploy",
                name: "Deploy",
                category: "Deploy",
                runOrder: 1,
                outputArtifacts: [],
                ...deploySpec,
                ...(crossAccountRole ? { roleArn: crossAccountRole } : {}),
            },
        ],
        // PARALLEL executions cannot roll back a stage (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html).
        ...(env.executionMode === "PARALLEL" ? {} : { onFailure: { result: "ROLLBACK" as const } }),
    });

    const roles: names.RoleKind[] = DEPLOY_KINDS[service.deploy.kind].usesCodeDeploy
        ? ["pipeline", "build", "deploy"]
        : ["pipeline", "build"];
    return {
        service: service.name,
        pipelineName: names.pipelineName(ctx, service.name),
        artifactFolder: names.artifactFolder(ctx, service.name),
        executionMode: env.executionMode,
        stages,
        projects,
        approval,
        deploy: service.deploy,
        roles,
        trigger: triggerFor(service),
    };
}
