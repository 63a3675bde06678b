import type { ActionRecord } from "./types";
import { allow } from "../iam/document";

/**
 * The other spelling of a connection ARN: CodeStar Connections became CodeConnections and each service name is
 * accepted for the same connection, so both action prefixes are granted on both forms.
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html
 */
const connectionArnForms = (arn: string): string[] => {
    const other = arn.includes(":codestar-connections:")
        ? arn.replace(":codestar-connections:", ":codeconnections:")
        : arn.replace(":codeconnections:", ":codestar-connections:");
    return [arn, other];
};

/**
 * Source from GitHub, Bitbucket or GitLab through a CodeConnections connection. The role uses the connection,
 * further limited to the configured repository.
 */
export const codeStarSourceConnection: ActionRecord = {
    reference:
        "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html",
    category: "Source",
    owner: "AWS",
    provider: "CodeStarSourceConnection",
    version: "1",
    v2Only: false,
    requiredKeys: ["ConnectionArn", "FullRepositoryId", "BranchName"],
    optionalKeys: ["OutputArtifactFormat", "DetectChanges"],
    inputArtifacts: { min: 0, max: 0 },
    outputArtifacts: { min: 1, max: 1 },
    permissions: ({ configuration }) =>
        (["codestar-connections", "codeconnections"] as const).map((prefix) =>
            allow(
                prefix === "codeconnections" ? "UseConnection" : "UseConnectionLegacyPrefix",
                [`${prefix}:UseConnection`],
                connectionArnForms(configuration.ConnectionArn),
                { StringEquals: { [`${prefix}:FullRepositoryId`]: configuration.FullRepositoryId } },
            ),
        ),
};
