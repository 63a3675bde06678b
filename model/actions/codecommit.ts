import { codeCommitRepositoryArn } from "../names";
import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/** Source from a CodeCommit repository; change detection is EventBridge's (`PollForSourceChanges` false). */
export const codeCommitSource: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeCommit.html",
    category: "Source",
    owner: "AWS",
    provider: "CodeCommit",
    version: "1",
    v2Only: false,
    requiredKeys: ["RepositoryName", "BranchName"],
    optionalKeys: ["PollForSourceChanges", "OutputArtifactFormat"],
    inputArtifacts: { min: 0, max: 0 },
    outputArtifacts: { min: 1, max: 1 },
    permissions: ({ ctx, configuration }) => [
        allow(
            "SourceRepository",
            [
                "codecommit:GetBranch",
                "codecommit:GetCommit",
                "codecommit:GetRepository",
                "codecommit:UploadArchive",
                "codecommit:GetUploadArchiveStatus",
                "codecommit:CancelUploadArchive",
            ],
            [codeCommitRepositoryArn(ctx, configuration.RepositoryName)],
        ),
    ],
};
