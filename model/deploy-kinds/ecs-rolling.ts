import type { DeployKindRecord } from "./types";

/**
 * Rolling update through CodePipeline's `ECS` deploy action, reading `imagedefinitions.json` from the build output.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html
 */
export const ecsRolling: DeployKindRecord<"ecs-rolling"> = {
    kind: "ecs-rolling",
    action: "ecsDeploy",
    translation: "none",
    configuration: (config) => ({
        ClusterName: config.cluster,
        ServiceName: config.service,
        FileName: config.imageDefinitionsFile,
        DeploymentTimeout: String(config.timeoutMinutes),
    }),
    inputArtifacts: (_config, x) => [x.buildArtifact],
    permissionContext: (config) => ({ passRoleArns: config.passRoleArns }),
    rollbackAlarms: () => [],
    targetAccount: (config) => config.accountId,
};
