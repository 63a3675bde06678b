import type { DeployKindRecord } from "./types";

/**
 * A Lambda function behind an alias, through CodePipeline's V2 Lambda deploy action: it deploys the function
 * package from the build output, publishes a version and shifts the alias with `DeployStrategy`. No CodeDeploy
 * application, deployment group or role. The action itself fails when one of its `Alarms` fires while traffic
 * shifts; after it succeeds, the same alarms roll the Deploy stage back through a `CloudWatchAlarm` stage condition
 * (the model adds it from `rollbackAlarms`).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html
 */
export const lambda: DeployKindRecord<"lambda"> = {
    kind: "lambda",
    action: "lambdaDeploy",
    translation: "none",
    configuration: (config) => ({
        FunctionName: config.functionName,
        FunctionAlias: config.alias,
        DeployStrategy: config.strategy,
        Alarms: config.alarms.join(","),
    }),
    inputArtifacts: (_config, x) => [x.buildArtifact],
    permissionContext: () => ({}),
    rollbackAlarms: (config) => config.alarms,
    targetAccount: () => undefined,
};
