import * as names from "../names";
import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/** The modes the platform plans: prepare a change set, then execute it. Other modes get no permissions. */
const CHANGE_SET_MODES = ["CHANGE_SET_REPLACE", "CHANGE_SET_EXECUTE"];
const ACTION_MODES = ["CREATE_UPDATE", "DELETE_ONLY", "REPLACE_ON_FAILURE", ...CHANGE_SET_MODES];

/**
 * CloudFormation through change sets. `CHANGE_SET_REPLACE` (re)creates the change set from the template in an input
 * artifact and passes `RoleArn`, the stack's execution role, to CloudFormation; nothing in the stack changes yet.
 * `CHANGE_SET_EXECUTE` executes it. The pipeline role gets the change-set and stack reads of this one stack (all
 * have the `stack` resource type: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html),
 * and may pass only the stack role, only to CloudFormation
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html).
 */
export const cloudFormation: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html",
    category: "Deploy",
    owner: "AWS",
    provider: "CloudFormation",
    version: "1",
    v2Only: false,
    requiredKeys: ["ActionMode", "StackName"],
    optionalKeys: [
        "ChangeSetName",
        "TemplatePath",
        "TemplateConfiguration",
        "Capabilities",
        "ParameterOverrides",
        "RoleArn",
        "OutputFileName",
    ],
    inputArtifacts: { min: 0, max: 10 },
    outputArtifacts: { min: 0, max: 1 },
    permissions: ({ ctx, configuration }) => {
        const stack = [names.cloudFormationStackArnPattern(ctx, configuration.StackName)];
        switch (configuration.ActionMode) {
            case "CHANGE_SET_REPLACE":
                return [
                    allow(
                        "PrepareChangeSet",
                        [
                            "cloudformation:CreateChangeSet",
                            "cloudformation:DeleteChangeSet",
                            "cloudformation:DescribeChangeSet",
                            "cloudformation:DescribeStacks",
                        ],
                        stack,
                    ),
                    allow("PassStackRole", ["iam:PassRole"], configuration.RoleArn ? [configuration.RoleArn] : [], {
                        StringEquals: { "iam:PassedToService": "cloudformation.amazonaws.com" },
                    }),
                ];
            case "CHANGE_SET_EXECUTE":
                // DescribeStackEvents lets CodePipeline name the first failed resource in the action's error
                // message (the action reference page's own recommendation).
                return [
                    allow(
                        "ExecuteChangeSet",
                        [
                            "cloudformation:ExecuteChangeSet",
                            "cloudformation:DescribeChangeSet",
                            "cloudformation:DescribeStacks",
                            "cloudformation:DescribeStackEvents",
                        ],
                        stack,
                    ),
                ];
            default:
                return [];
        }
    },
    validate: (configuration, inputs) => {
        const mode = configuration.ActionMode;
        if (!ACTION_MODES.includes(mode))
            return [`sets \`ActionMode\` to "${mode}", which is not one of ${ACTION_MODES.join(", ")}`];
        const problems: string[] = [];
        if (CHANGE_SET_MODES.includes(mode) && !configuration.ChangeSetName)
            problems.push(`lacks \`ChangeSetName\`, which ${mode} requires`);
        if (mode === "CHANGE_SET_REPLACE") {
            if (!configuration.TemplatePath) problems.push("lacks `TemplatePath`, which CHANGE_SET_REPLACE requires");
            if (!configuration.RoleArn) problems.push("lacks `RoleArn`, which CHANGE_SET_REPLACE requires");
            if (inputs === 0) problems.push("needs the input artifact that holds the template");
        }
        return problems;
    },
};
