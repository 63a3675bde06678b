import * as names from "../names";
import { allow, ANY_RESOURCE } from "../iam/document";
import { registerTaskDefinition } from "./ecs-task-definitions";
import type { ActionRecord } from "./types";

/**
 * Rolling update of an ECS service: reads the service and its task definition, registers a revision with the
 * images of `imagedefinitions.json`, updates the service and watches its tasks.
 */
export const ecsDeploy: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html",
    category: "Deploy",
    owner: "AWS",
    provider: "ECS",
    version: "1",
    v2Only: false,
    requiredKeys: ["ClusterName", "ServiceName"],
    optionalKeys: ["FileName", "DeploymentTimeout"],
    inputArtifacts: { min: 1, max: 1 },
    outputArtifacts: { min: 0, max: 0 },
    permissions: ({ ctx, configuration, passRoleArns }) => {
        const cluster = configuration.ClusterName;
        return [
            allow(
                "EcsService",
                ["ecs:DescribeServices", "ecs:UpdateService"],
                [names.ecsServiceArn(ctx, cluster, configuration.ServiceName)],
            ),
            allow("EcsServiceTasks", ["ecs:DescribeTasks"], [names.ecsTaskArnPattern(ctx, cluster)]),
            allow("EcsClusterTaskList", ["ecs:ListTasks"], [names.ecsContainerInstanceArnPattern(ctx, cluster)]),
            // DescribeTaskDefinition has no resource type: "*" is the only valid Resource.
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
            allow("DescribeTaskDefinition", ["ecs:DescribeTaskDefinition"], [ANY_RESOURCE]),
            ...registerTaskDefinition(ctx, passRoleArns ?? []),
        ];
    },
};
