import type { DeployConfigOf } from "../../stacks/deploy-kinds";
import * as names from "../names";
import type { DeployContext, DeployKindRecord, DeployStep, ReviewStep } from "./types";

type Config = DeployConfigOf<"cloudformation">;

const artifactPath = (x: DeployContext, path: string): string => `${x.buildArtifact}::${path}`;

/** `CHANGE_SET_REPLACE`: the change set from the build artifact's template; changes nothing yet. */
function prepare(config: Config, x: DeployContext): DeployStep {
    return {
        id: "deploy",
        name: "CreateChangeSet",
        action: "cloudFormation",
        configuration: {
            ActionMode: "CHANGE_SET_REPLACE",
            StackName: config.stackName,
            ChangeSetName: names.changeSetName(x, x.service),
            TemplatePath: artifactPath(x, config.templatePath),
            ...(config.templateConfigurationPath
                ? { TemplateConfiguration: artifactPath(x, config.templateConfigurationPath) }
                : {}),
            ...(config.capabilities.length > 0 ? { Capabilities: config.capabilities.join(",") } : {}),
            ...(Object.keys(config.parameterOverrides).length > 0
                ? { ParameterOverrides: JSON.stringify(config.parameterOverrides) }
                : {}),
            RoleArn: config.roleArn,
        },
        inputArtifacts: [x.buildArtifact],
    };
}

/**
 * The review shows the change set: its name and stack in the text, and a link to the stack's page in the
 * CloudFormation console (its Change sets tab lists it). The console's URL format is not a documented interface;
 * if it changed, the link would open the console's stack list, and the text still names the change set.
 */
function review(config: Config, x: DeployContext): ReviewStep {
    const console = `https://${x.region}.console.aws.amazon.com/cloudformation/home?region=${x.region}#/stacks?filteringText=${encodeURIComponent(config.stackName)}`;
    return {
        review: {
            name: "ReviewChangeSet",
            customData: `Review change set ${names.changeSetName(x, x.service)} of stack ${config.stackName} (Change sets tab): approve to execute it.`,
            externalEntityLink: console,
        },
    };
}

const execute = (config: Config, x: DeployContext): DeployStep => ({
    id: "execute",
    name: "ExecuteChangeSet",
    action: "cloudFormation",
    configuration: {
        ActionMode: "CHANGE_SET_EXECUTE",
        StackName: config.stackName,
        ChangeSetName: names.changeSetName(x, x.service),
    },
    inputArtifacts: [],
});

/**
 * A CloudFormation stack deployed through a change set: create it (nothing changes), review it where the pipeline
 * asks for approval (always in production), execute it. The stack changes only in the execute step, so that is
 * the step the review precedes.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets.html
 */
export const cloudFormation: DeployKindRecord<"cloudformation"> = {
    kind: "cloudformation",
    action: "cloudFormation",
    translation: "none",
    configuration: (config, x) => prepare(config, x).configuration,
    inputArtifacts: (config, x) => prepare(config, x).inputArtifacts,
    steps: (config, x) => [prepare(config, x), review(config, x), execute(config, x)],
    permissionContext: () => ({}),
    rollbackAlarms: () => [],
    targetAccount: () => undefined,
};
