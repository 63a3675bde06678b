import type { NameContext } from "../names";
import { policy, type PolicyDocument } from "./document";

export type ServicePrincipal = "codepipeline.amazonaws.com" | "codebuild.amazonaws.com" | "codedeploy.amazonaws.com";

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
