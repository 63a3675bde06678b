import type { PipelineModel } from "../pipeline";
import { policy, type PolicyDocument } from "./document";

/**
 * The CodeDeploy service role of one pipeline, for the kinds CodeDeploy carries out (`undefined` otherwise): the
 * statements the kind's record plans for its deployment group.
 */
export function deployRolePolicy(model: PipelineModel): PolicyDocument | undefined {
    if (!model.codeDeploy || !model.roles.includes("deploy")) return undefined;
    return policy(model.codeDeploy.roleStatements);
}
