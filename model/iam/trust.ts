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
    return policy([
        {
            Sid: "TrustedService",
            Effect: "Allow",
            Principal: { Service: servicePrincipal },
            Action: ["sts:AssumeRole"],
            Condition: {
                StringEquals: { "aws:SourceAccount": ctx.accountId },
                ...(sourceArn ? { ArnLike: { "aws:SourceArn": sourceArn } } : {}),
            },
        },
    ]);
}
