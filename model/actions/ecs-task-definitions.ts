import * as names from "../names";
import { allow, type Statement } from "../iam/document";

/**
 * Registering a task definition revision (and tagging it while registering, which is all `ecs:CreateAction`
 * allows) is harmless on its own: what a task can do comes from the roles passed to it, and PassRole is limited to
 * the service's own roles. Shared by the two ECS deploy actions, which both register a revision.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html
 */
export function registerTaskDefinition(
    ctx: names.NameContext,
    passRoleArns: readonly string[],
): (Statement | undefined)[] {
    const taskDefinitions = names.ecsTaskDefinitionArnPattern(ctx);
    return [
        allow("RegisterTaskDefinition", ["ecs:RegisterTaskDefinition"], [taskDefinitions]),
        allow("TagTaskDefinitionOnRegister", ["ecs:TagResource"], [taskDefinitions], {
            StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" },
        }),
        allow("PassTaskRoles", ["iam:PassRole"], passRoleArns, {
            StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
        }),
    ];
}
