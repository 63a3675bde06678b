/**
 * Ordering of CodePipeline actions: which Manual approvals run before a Deploy action.
 * Stages run in order; inside a stage, actions run by ascending runOrder (default 1) and actions
 * with the same runOrder run in parallel, so an approval at the same runOrder gates nothing.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html#action-requirements
 */
import { asArray, asString, dig, isPresent, isUnknown } from "../lib/props";

interface Action {
    name: string;
    stage: string;
    stageIndex: number;
    /** runOrder, or undefined when unknown in preview. */
    order: number | undefined;
    category: unknown;
    provider: unknown;
    configuration: unknown;
}

function orderOf(value: unknown): number | undefined {
    if (value === undefined || value === null) {
        return 1;
    }
    return typeof value === "number" ? value : undefined;
}

function flatten(stages: unknown): Action[] {
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

function gateProblem(deploy: Action, approvals: Action[]): string | undefined {
    const before = approvals.filter((a) => runsBefore(a, deploy));
    if (before.some(notifies)) {
        return undefined;
    }
    const subject = `runs Deploy action '${deploy.name}' (stage '${deploy.stage}')`;
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

/** One sentence per ungated Deploy action; an unknown stage list or category can't be judged. */
export function deployGateProblems(stages: unknown): string[] {
    const actions = flatten(stages);
    const approvals = actions.filter(isManualApproval);
    return actions
        .filter((a) => a.category === "Deploy")
        .map((deploy) => gateProblem(deploy, approvals))
        .filter((p): p is string => p !== undefined);
}
