import type { PipelineModel } from "../pipeline";
import type { NameContext } from "../names";
import type { ServiceConfig } from "../../stacks/service-schema";
import { kindPermissions } from "./deploy-permissions";
import { policy, type EnvironmentRefs, type PolicyDocument } from "./document";

/**
 * The CodeDeploy service role of one pipeline, for the kinds CodeDeploy carries out (`undefined` otherwise). It
 * is the AWS managed `AWSCodeDeployRoleForECS` / `AWSCodeDeployRoleForLambda` cut down to this service's
 * resources: no Lambda hooks, SNS triggers or S3 reads anywhere but the artifact folder, as none are configured.
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForECS.html
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForLambda.html
 * The per-kind statements live in `deploy-permissions.ts`.
 */
export function deployRolePolicy(
    ctx: NameContext,
    model: PipelineModel,
    _service: ServiceConfig,
    refs: EnvironmentRefs,
): PolicyDocument | undefined {
    const codeDeploy = kindPermissions(model.deploy).codeDeploy;
    if (!codeDeploy || !model.roles.includes("deploy")) return undefined;
    return policy(
        codeDeploy(model.deploy, {
            ctx,
            service: model.service,
            artifactFolder: model.artifactFolder,
            keyArn: refs.keyArn,
            bucketName: refs.bucketName,
        }),
    );
}
