import * as names from "../names";
import { allow, ANY_RESOURCE, policy, type PolicyDocument } from "./document";

/**
 * What an approver needs: answer this one approval action, read the pipeline to see what is being approved, and
 * find it in the console's pipeline list.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-iam-permissions.html
 */
export function approverPolicy(
    ctx: names.NameContext,
    opts: {
        service: string;
        stageName: string;
        actionName: string;
        /** Further approval actions of the pipeline the same approvers answer (a change set's review). */
        reviews?: readonly { readonly stageName: string; readonly actionName: string }[];
    },
): PolicyDocument {
    const pipeline = names.pipelineArn(ctx, opts.service);
    return policy([
        allow(
            "ApproveThisAction",
            ["codepipeline:PutApprovalResult"],
            [opts, ...(opts.reviews ?? [])].map((a) =>
                names.approvalActionArn(ctx, opts.service, a.stageName, a.actionName),
            ),
        ),
        allow(
            "SeeWhatIsApproved",
            ["codepipeline:GetPipeline", "codepipeline:GetPipelineState", "codepipeline:GetPipelineExecution"],
            [pipeline],
        ),
        // ListPipelines has no resource type: "*" is the only valid Resource. It lists names only; every read of a
        // pipeline is authorised above, on this pipeline alone.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodepipeline.html
        allow("FindPipelineInConsole", ["codepipeline:ListPipelines"], [ANY_RESOURCE]),
    ]);
}
