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
            // The Service Authorization Reference gives ListTasks the container-instance resource type (and an
            // `ecs:cluster` key)
            // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
            // AWS does not document which ARN is evaluated when the action lists a service's tasks rather than a
            // container instance's (Fargate has no container instances), nor that `ecs:cluster` is always in the
            // request. The grant therefore relies on no condition key: it names the cluster's container instances,
            // so if ECS sent no `ecs:cluster` nothing changes. If ECS evaluated another ARN, the call fails closed
            // (AccessDenied on the deploy action): an account-wide pattern, which
            // https://github.com/awsdocs/amazon-ecs-developer-guide/issues/211 reports as the workaround, is what
            // the policy pack's iam-no-wildcard-resources rule refuses.
            allow("EcsClusterTaskList", ["ecs:ListTasks"], [names.ecsContainerInstanceArnPattern(ctx, cluster)]),
            // DescribeTaskDefinition has no resource type: "*" is the only valid Resource.
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
            allow("DescribeTaskDefinition", ["ecs:DescribeTaskDefinition"], [ANY_RESOURCE]),
            ...registerTaskDefinition(ctx, passRoleArns ?? []),
        ];
    },
};
