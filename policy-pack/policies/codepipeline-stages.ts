/**
 * Ordering of CodePipeline actions: which Manual approvals run before an action that changes an
 * environment. Stages run in order; inside a stage, actions run by ascending runOrder (default 1)
 * and actions with the same runOrder run in parallel, so an approval at the same runOrder gates nothing.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html#action-requirements
 *
 * Changing actions: every Deploy action except a CloudFormation one whose ActionMode only prepares
 * a change set, every CodeBuild action whose project's inline buildspec runs a deployment tool, and every Commands
 * action (category Compute, provider Commands) whose commands run one: it runs shell commands on CodePipeline-managed
 * CodeBuild compute with the pipeline's role, so it can deploy like any build
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Commands.html).
 */
import { buildspecCommands, DEPLOY_TOOLS, findCommand } from "../lib/buildspec";
import { asArray, asString, dig, isPresent, isUnknown } from "../lib/props";

export interface Action {
    name: string;
    stage: string;
    stageIndex: number;
    /** runOrder, or undefined when unknown in preview. */
    order: number | undefined;
    category: unknown;
    provider: unknown;
    configuration: unknown;
    roleArn: unknown;
    /** Known shell commands of a Commands action: the action's `commands`, or a `Commands` configuration entry. */
    commands: string[];
}

/**
 * The API and @pulumi/aws put a Commands action's shell commands in the action's `commands` list
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html); a `Commands` key in
 * `configuration` (a JSON array or one command per line) is read too, so no spelling hides a command.
 */
export function actionCommands(action: unknown): string[] {
    const listed = (asArray(dig(action, "commands")) ?? []).filter((c): c is string => asString(c) !== undefined);
    const configured = asString(dig(action, "configuration", "Commands"));
    if (configured === undefined) return listed;
    let parsed: unknown;
    try {
        parsed = JSON.parse(configured);
    } catch {
        parsed = configured.split("\n");
    }
    const more = (Array.isArray(parsed) ? parsed : [configured]).filter((c): c is string => asString(c) !== undefined);
    return [...listed, ...more];
}

function orderOf(value: unknown): number | undefined {
    if (value === undefined || value === null) {
        return 1;
    }
    return typeof value === "number" ? value : undefined;
}

export function flatten(stages: unknown): Action[] {
    const actions: Action[] = [];
    (asArray(stages) ?? []).forEach((stage, stageIndex) => {
        const stageName = asString(dig(stage, "name")) ?? `#${stageIndex + 1}`;
        (asArray(dig(stage, "actions")) ?? []).forEach((action, index) => {
            actions.push({
                name: asString(dig(action, "name")) ?? `#${index + 1}`,
                stage: stageName,
                stageIndex,
                order: orderOf(dig(action, "runOrder")),
                category: dig(action, "category"),
                provider: dig(action, "provider"),
                configuration: dig(action, "configuration"),
                roleArn: dig(action, "roleArn"),
                commands: actionCommands(action),
            });
        });
    });
    return actions;
}

function isManualApproval(action: Action): boolean {
    return action.category === "Approval" && (action.provider === "Manual" || isUnknown(action.provider));
}

/** An unknown configuration or NotificationArn counts as present: presence is what is checked. */
function notifies(action: Action): boolean {
    return isUnknown(action.configuration) || isPresent(dig(action.configuration, "NotificationArn"));
}

/** Earlier stage, or same stage with a lower runOrder; an unknown runOrder gets the benefit of the doubt. */
function runsBefore(first: Action, second: Action): boolean {
    if (first.stageIndex !== second.stageIndex) {
        return first.stageIndex < second.stageIndex;
    }
    return first.order === undefined || second.order === undefined || first.order < second.order;
}

const ADD_APPROVAL =
    "Add an action with category 'Approval', owner 'AWS', provider 'Manual' and configuration.NotificationArn set to " +
    "an SNS topic ARN, in an earlier stage or at a lower runOrder in the same stage.";

/**
 * CloudFormation action modes: CHANGE_SET_REPLACE only creates or replaces a change set (nothing
 * changes until it is executed); CHANGE_SET_EXECUTE, CREATE_UPDATE, REPLACE_ON_FAILURE and DELETE_ONLY
 * change the stack. An unknown or unlisted mode counts as changing (fail safe).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
 */
const NON_CHANGING_CFN_MODES = new Set(["CHANGE_SET_REPLACE"]);

/** Finds the deploy command a CodeBuild project name runs, or undefined when it runs none (or is unseen). */
export type ProjectDeployCommand = (projectName: unknown) => [string, string] | undefined;

/** Why an action changes an environment ("Deploy action 'x' (stage 'y')"), or undefined when it does not. */
function changingStep(action: Action, projectDeploys: ProjectDeployCommand): string | undefined {
    const where = `'${action.name}' (stage '${action.stage}')`;
    if (action.category === "Deploy") {
        const mode = dig(action.configuration, "ActionMode");
        if (action.provider === "CloudFormation" && typeof mode === "string" && !isUnknown(mode)) {
            return NON_CHANGING_CFN_MODES.has(mode)
                ? undefined
                : `Deploy action ${where} (CloudFormation ActionMode ${mode})`;
        }
        return `Deploy action ${where}`;
    }
    if ((action.category === "Build" || action.category === "Test") && action.provider === "CodeBuild") {
        const found = projectDeploys(dig(action.configuration, "ProjectName"));
        return found ? `CodeBuild action ${where}, whose buildspec deploys ('${found[1]}': ${found[0]}),` : undefined;
    }
    if (action.category === "Compute" && action.provider === "Commands") {
        const found = findCommand(action.commands, DEPLOY_TOOLS);
        return found ? `Commands action ${where}, whose commands deploy ('${found[1]}': ${found[0]}),` : undefined;
    }
    return undefined;
}

/** The deploy command of an inline buildspec, if any. */
export function buildspecDeployCommand(buildspec: string | undefined): [string, string] | undefined {
    return buildspec === undefined ? undefined : findCommand(buildspecCommands(buildspec), DEPLOY_TOOLS);
}

function gateProblem(step: string, deploy: Action, approvals: Action[]): string | undefined {
    const before = approvals.filter((a) => runsBefore(a, deploy));
    if (before.some(notifies)) {
        return undefined;
    }
    const subject = `runs ${step}`;
    if (before.length > 0) {
        const names = before.map((a) => `'${a.name}'`).join(", ");
        return (
            `${subject} after Manual approval ${names} without configuration.NotificationArn. ` +
            `Set configuration.NotificationArn to an SNS topic ARN so approvers are notified.`
        );
    }
    const later =
        approvals.length > 0 ? ` (Manual approval '${approvals[0].name}' runs after it or at the same time)` : "";
    return `${subject} with no Manual approval before it${later}. ${ADD_APPROVAL}`;
}

/** One sentence per ungated changing action; an unknown stage list or category can't be judged. */
export function deployGateProblems(stages: unknown, projectDeploys: ProjectDeployCommand = () => undefined): string[] {
    const actions = flatten(stages);
    const approvals = actions.filter(isManualApproval);
    const problems: string[] = [];
    for (const action of actions) {
        const step = changingStep(action, projectDeploys);
        const problem = step === undefined ? undefined : gateProblem(step, action, approvals);
        if (problem) problems.push(problem);
    }
    return problems;
}
