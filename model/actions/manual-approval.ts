import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/**
 * A manual approval. The pipeline role publishes the request to the approval topic.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-service-role-permissions.html
 */
export const manualApproval: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-action-add.html",
    category: "Approval",
    owner: "AWS",
    provider: "Manual",
    version: "1",
    v2Only: false,
    requiredKeys: [],
    optionalKeys: ["NotificationArn", "CustomData", "ExternalEntityLink"],
    inputArtifacts: { min: 0, max: 0 },
    outputArtifacts: { min: 0, max: 0 },
    permissions: ({ configuration }) =>
        configuration.NotificationArn
            ? [allow("NotifyApprovers", ["sns:Publish"], [configuration.NotificationArn])]
            : [],
};
