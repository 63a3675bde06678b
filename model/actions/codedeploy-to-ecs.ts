import { codeDeployCalls } from "./codedeploy-calls";
import { registerTaskDefinition } from "./ecs-task-definitions";
import type { ActionRecord } from "./types";

/**
 * ECS blue/green through CodeDeploy: registers the task definition rendered from the artifact, then hands the
 * AppSpec to CodeDeploy, whose own role shifts the traffic. The pipeline role calls CodeDeploy on this pipeline's
 * application, deployment group and deployment configuration only.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
 */
export const codeDeployToEcs: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html",
    category: "Deploy",
    owner: "AWS",
    provider: "CodeDeployToECS",
    version: "1",
    v2Only: false,
    requiredKeys: [
        "ApplicationName",
        "DeploymentGroupName",
        "TaskDefinitionTemplateArtifact",
        "AppSpecTemplateArtifact",
    ],
    optionalKeys: [
        "TaskDefinitionTemplatePath",
        "AppSpecTemplatePath",
        ...[1, 2, 3, 4].flatMap((i) => [`Image${i}ArtifactName`, `Image${i}ContainerName`]),
    ],
    inputArtifacts: { min: 1, max: 5 },
    outputArtifacts: { min: 0, max: 0 },
    permissions: ({ ctx, configuration, passRoleArns, deploymentConfigName }) => {
        return [
            ...codeDeployCalls(
                ctx,
                configuration.ApplicationName,
                configuration.DeploymentGroupName,
                deploymentConfigName,
            ),
            ...registerTaskDefinition(ctx, passRoleArns ?? []),
        ];
    },
};
