import { projectArn } from "../names";
import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/**
 * Runs a CodeBuild project (the Build action, and each test suite as a Test action: the category is the only
 * difference, so one record serves both with `category` overridden by `codeBuildTest`).
 */
export const codeBuild: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html",
    category: "Build",
    owner: "AWS",
    provider: "CodeBuild",
    version: "1",
    v2Only: false,
    requiredKeys: ["ProjectName"],
    optionalKeys: ["PrimarySource", "BatchEnabled", "CombineArtifacts", "EnvironmentVariables"],
    inputArtifacts: { min: 1, max: 5 },
    outputArtifacts: { min: 0, max: 5 },
    // StopBuild lets the pipeline stop the build it started when an execution is stopped and its in-progress
    // actions abandoned (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-stop.html). The action
    // reference lists only StartBuild and BatchGetBuilds and does not say whether CodePipeline calls StopBuild; the
    // grant is on this action's own project only, whose ARN is StopBuild's resource
    // (https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-permissions-reference.html).
    permissions: ({ ctx, configuration }) => [
        allow(
            "RunBuilds",
            ["codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild"],
            [projectArn(ctx, configuration.ProjectName)],
        ),
    ],
};

/** The same provider in the Test category (CodeBuild is valid in both). */
export const codeBuildTest: ActionRecord = { ...codeBuild, category: "Test" };
