import type { NameContext } from "../names";
import { allow, policy, type PolicyDocument } from "./document";

/**
 * What an approver needs: answer this one approval action, and read the pipeline to see what is being approved.
 * `pipelineName` is the full pipeline name (as `names.pipelineName`), so the ARN is built here directly.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-iam-permissions.html
 */
export function approverPolicy(
    ctx: NameContext,
    opts: { pipelineName: string; stageName: string; actionName: string },
): PolicyDocument {
    const pipeline = `arn:${ctx.partition}:codepipeline:${ctx.region}:${ctx.accountId}:${opts.pipelineName}`;
    return policy([
        allow(
            "ApproveThisAction",
            ["codepipeline:PutApprovalResult"],
            [`${pipeline}/${opts.stageName}/${opts.actionName}`],
        ),
        allow(
            "SeeWhatIsApproved",
            ["codepipeline:GetPipeline", "codepipeline:GetPipelineState", "codepipeline:GetPipelineExecution"],
            [pipeline],
        ),
    ]);
}
