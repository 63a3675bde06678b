import * as aws from "@pulumi/aws";
import { codeDeployConfigName, type DeployConfigOf } from "../../model/deploy-kinds";
import { codeDeployApplicationName } from "../../model/names";
import { alarmRollback, codeDeployApplication, requireDeployRole } from "./codedeploy";
import type { DeployTranslation } from "./types";

/**
 * CodeDeploy application and blue/green deployment group for an existing ECS service.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-ecs.html
 */
export const ecsBlueGreenResources: DeployTranslation<DeployConfigOf<"ecs-blue-green">> = (args) => {
    const { config } = args;
    const application = codeDeployApplication(args, "ECS");
    const group = new aws.codedeploy.DeploymentGroup(
        `${args.name}-deployment-group`,
        {
            appName: application.name,
            deploymentGroupName: codeDeployApplicationName(args.ctx, args.service),
            serviceRoleArn: requireDeployRole(args),
            deploymentConfigName: codeDeployConfigName(config),
            deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
            blueGreenDeploymentConfig: {
                deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
                terminateBlueInstancesOnDeploymentSuccess: {
                    action: "TERMINATE",
                    terminationWaitTimeInMinutes: config.terminationWaitMinutes,
                },
            },
            ecsService: { clusterName: config.cluster, serviceName: config.service },
            loadBalancerInfo: {
                targetGroupPairInfo: {
                    prodTrafficRoute: { listenerArns: [config.listenerArn] },
                    ...(config.testListenerArn ? { testTrafficRoute: { listenerArns: [config.testListenerArn] } } : {}),
                    targetGroups: config.targetGroups.map((name) => ({ name })),
                },
            },
            ...alarmRollback(config.alarms),
            tags: args.tags,
        },
        { parent: args.parent, dependsOn: args.dependsOn },
    );
    return [application, group];
};
