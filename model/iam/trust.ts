import { pipelineArnPattern, type NameContext } from "../names";
import { policy, type PolicyDocument } from "./document";

export type ServicePrincipal = "codepipeline.amazonaws.com" | "codebuild.amazonaws.com" | "codedeploy.amazonaws.com";

/**
 * Source ARNs the pipeline role's trust accepts: every pipeline of the account and region, not the one pipeline.
 * AWS documents the CodePipeline service role's trust policy without an `aws:SourceArn` condition
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-service-role-cli.html) and does not
 * say that CodePipeline sends the new pipeline's ARN when it checks the role at CreatePipeline, so pinning the exact
 * pipeline could make the first `pulumi up` fail; the account-wide pattern still refuses other accounts' pipelines,
 * and `aws:SourceAccount` stays.
 */
export const pipelineTrustSourceArn = (ctx: NameContext): string => pipelineArnPattern(ctx);

/**
 * Services whose role trust may find the confused-deputy keys missing. AWS documents the CodePipeline and
 * CodeDeploy service roles' trust policies without `aws:SourceAccount`/`aws:SourceArn`
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-service-role-cli.html,
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html) and does not say
 * that these services put either key in the request when they assume the role; the IAM reference says the keys are
 * present only when the service sends them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount).
 * Their conditions are therefore `IfExists`: a request that carries another account or pipeline is refused, one
 * that carries none still works. That never reaches beyond the account: a service acts with a role only after a
 * principal passed it, and a role can be passed only to a service in its own account
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html). CodeBuild's trust keeps the keys
 * mandatory, as before.
 */
const KEYS_MAY_BE_ABSENT: ReadonlySet<ServicePrincipal> = new Set([
    "codepipeline.amazonaws.com",
    "codedeploy.amazonaws.com",
]);

/**
 * Trust policy letting one AWS service assume the role, guarded against the confused deputy: the service may only
 * assume it while acting for this account (`aws:SourceAccount`) and, when known, for this one resource
 * (`aws:SourceArn`, e.g. the pipeline or the build project).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function assumeRolePolicy(
    ctx: NameContext,
    servicePrincipal: ServicePrincipal,
    sourceArn?: string,
): PolicyDocument {
    const ifExists = KEYS_MAY_BE_ABSENT.has(servicePrincipal) ? "IfExists" : "";
    return policy([
        {
            Sid: "TrustedService",
            Effect: "Allow",
            Principal: { Service: servicePrincipal },
            Action: ["sts:AssumeRole"],
            Condition: {
                [`StringEquals${ifExists}`]: { "aws:SourceAccount": ctx.accountId },
                ...(sourceArn ? { [`ArnLike${ifExists}`]: { "aws:SourceArn": sourceArn } } : {}),
            },
        },
    ]);
}
