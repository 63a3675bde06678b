import { cloudFormation } from "./cloudformation";
import { codeBuild, codeBuildTest } from "./codebuild";
import { codeCommitSource } from "./codecommit";
import { codeDeploy } from "./codedeploy";
import { codeDeployToEcs } from "./codedeploy-to-ecs";
import { codeStarSourceConnection } from "./codestar-connection";
import { ecsDeploy } from "./ecs";
import { lambdaDeploy } from "./lambda-deploy";
import { lambdaInvoke } from "./lambda-invoke";
import { manualApproval } from "./manual-approval";
import { s3Deploy } from "./s3-deploy";
import { s3Source } from "./s3-source";
import type { ActionRecord } from "./types";

export type { ActionCategory, ActionRecord, PermissionContext } from "./types";
export { cloudWatchAlarmRule } from "./cloudwatch-alarm-rule";
export { deploymentWindowRule } from "./deployment-window-rule";

/** Every action provider the platform uses, by a stable id (a deploy-kind record names its action by this id). */
export const ACTIONS = {
    codeStarSourceConnection,
    codeCommitSource,
    s3Source,
    codeBuild,
    codeBuildTest,
    manualApproval,
    ecsDeploy,
    codeDeployToEcs,
    s3Deploy,
    lambdaDeploy,
    codeDeploy,
    cloudFormation,
    lambdaInvoke,
} as const satisfies Record<string, ActionRecord>;

export type ActionId = keyof typeof ACTIONS;

/** What the model checks of one planned action. */
export interface ActionShape {
    readonly configuration: Readonly<Record<string, string>>;
    readonly inputArtifacts: readonly string[];
    readonly outputArtifacts: readonly string[];
}

const countProblem = (what: string, n: number, { min, max }: { min: number; max: number }): string[] =>
    n < min || n > max
        ? [`has ${n} ${what} artifact(s), but the action takes ${min === max ? min : `${min}-${max}`}`]
        : [];

/**
 * The ways an action breaks its record's contract (unknown or missing configuration keys, artifact counts), each
 * as a sentence; empty when it holds. The model turns these into an error before any resource exists.
 */
export function contractProblems(record: ActionRecord, action: ActionShape): string[] {
    const known = new Set([...record.requiredKeys, ...record.optionalKeys]);
    const keys = Object.keys(action.configuration);
    return [
        ...keys
            .filter((k) => !known.has(k))
            .map((k) => `sets \`${k}\`, which the ${record.provider} action does not take`),
        ...record.requiredKeys
            .filter((k) => !(k in action.configuration) || action.configuration[k] === "")
            .map((k) => `lacks \`${k}\`, which the ${record.provider} action requires`),
        ...countProblem("input", action.inputArtifacts.length, record.inputArtifacts),
        ...countProblem("output", action.outputArtifacts.length, record.outputArtifacts),
        ...(record.validate?.(action.configuration, action.inputArtifacts.length) ?? []),
    ];
}
