import { pipelineArn, type NameContext } from "../names";
import { allow, policy, type PolicyDocument } from "./document";

/**
 * The environment's EventBridge role: it may start only the pipelines of CodeCommit and S3 sourced services.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-repo-changes-cfn.html
 */
export function eventsRolePolicy(ctx: NameContext, services: readonly string[]): PolicyDocument {
    return policy([
        allow(
            "StartPipelines",
            ["codepipeline:StartPipelineExecution"],
            services.map((service) => pipelineArn(ctx, service)),
        ),
    ]);
}

/** EventBridge assumes the role, for rules of this account only (confused-deputy guard). */
export function eventsAssumeRolePolicy(ctx: NameContext): PolicyDocument {
    return policy([
        {
            Sid: "EventBridge",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["sts:AssumeRole"],
            Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
        },
    ]);
}
