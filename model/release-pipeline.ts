import type { EnvironmentConfig } from "../stacks/environment-schema";
import { POST_DEPLOY_SUITES } from "../stacks/release-schema";
import type { ServiceConfig } from "../stacks/service-schema";
import {
    approvalFor,
    approvalStage,
    BUILD_ARTIFACT,
    deployContext,
    deployStage,
    gitStages,
    nameContext,
    SOURCE_ARTIFACT,
    withSuitesAfterDeploy,
    commitTimeVariable,
    triggerFor,
    withReviews,
    type ApprovalModel,
    type StageModel,
    type TriggerModel,
} from "./pipeline";
import { withGates } from "./gates";
import { withWaves } from "./waves";
import { projectsFor, type ProjectModel } from "./projects";
import {
    provenanceApproval,
    releaseAction,
    releaseProjectsFor,
    releaseRoleOf,
    releaseSourceStage,
    releaseStage,
} from "./release";

const isPostDeploy = (p: ProjectModel): boolean => (POST_DEPLOY_SUITES as readonly string[]).includes(p.id);

/**
 * The stages of one pipeline by its environment's link of the release chain:
 * - `build`: Source (git) → Build → Test → [Approve] → Deploy [then smoke] → [Release: publish]
 * - `verify`: Source (release + source snapshot) → [Approve] → Deploy, then integration and smoke → [Release: promote]
 * - `release`: Source (promoted release + snapshot) → Approve (provenance, then approval) → Deploy, then smoke...
 * The post-deploy suites run inside the Deploy stage, so a failing one rolls the deploy back (`withSuitesAfterDeploy`).
 * Only `build` compiles; the others deploy the release's own build output (`BuildOutput`, from `release.zip`).
 */
export function releasedPipeline(
    env: EnvironmentConfig,
    service: ServiceConfig,
): { stages: StageModel[]; projects: ProjectModel[]; trigger?: TriggerModel; approval?: ApprovalModel } {
    const ctx = nameContext(env);
    // Read at call time: this module and model/pipeline.ts import each other.
    const ARTIFACTS = { source: SOURCE_ARTIFACT, build: BUILD_ARTIFACT };
    const role = releaseRoleOf(env);
    const planned = projectsFor(ctx, env, service);
    const fromRelease = role !== "build";
    // A pipeline fed by releases never builds: its build project is left out, with its role and permissions.
    const own = fromRelease ? planned.filter((p) => p.id !== "build") : planned;
    const postDeploy = own.filter((p) => p.roleKind === "test" && (fromRelease || p.id === "smoke") && isPostDeploy(p));
    const releaseProjects = releaseProjectsFor(ctx, env, service);
    const projects = [...own, ...releaseProjects];

    const stages: StageModel[] = fromRelease
        ? [releaseSourceStage(ctx, service.name, ARTIFACTS)]
        : gitStages(
              service,
              own.filter((p) => !postDeploy.includes(p)),
          );
    // The approvers also answer the Deploy stage's review actions (a change set's review: model/deploy-steps.ts).
    let approval = withReviews(approvalFor(env, service), service, deployContext(ctx, service));
    const provenance = releaseProjects.find((p) => p.id === "provenance");
    if (provenance) {
        const action = releaseAction(provenance, ARTIFACTS, 1);
        if (approval) {
            const shown = provenanceApproval(approval, service.name, action);
            approval = shown.approval;
            const stage = approvalStage(approval);
            stages.push({ ...stage, actions: [action, ...stage.actions.map((a) => ({ ...a, runOrder: 2 }))] });
        } else {
            stages.push({ id: "release", name: "Provenance", actions: [action] });
        }
    } else if (approval) {
        stages.push(approvalStage(approval));
    }
    const deploy = withWaves(env, service, withGates(env, service, deployStage(env, service, approval)));
    stages.push(withSuitesAfterDeploy(deploy, postDeploy));
    const writer = releaseProjects.find((p) => p.id === "publish" || p.id === "promote");
    if (writer)
        stages.push(
            releaseStage(
                releaseAction(writer, ARTIFACTS, 1, fromRelease ? undefined : commitTimeVariable(service.source)),
            ),
        );
    return { stages, projects, trigger: fromRelease ? undefined : triggerFor(service), approval };
}
