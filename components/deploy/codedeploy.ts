import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { CodeDeployPlan, ServerGroup } from "../../model/deploy-kinds";

/** What every deploy translation receives. */
export interface DeployTranslationArgs {
    /** Prefix for child names, e.g. `web-deploy`. */
    readonly name: string;
    /** The component that owns the resources. */
    readonly parent: pulumi.Resource;
    /** The kind's CodeDeploy plan, when it has one. */
    readonly codeDeploy?: CodeDeployPlan;
    /** CodeDeploy service role, present for kinds that use CodeDeploy. */
    readonly deployRoleArn?: pulumi.Input<string>;
    readonly tags: Record<string, string>;
    /** Resources that must exist first (the deploy role's policy). */
    readonly dependsOn: pulumi.Resource[];
}

/**
 * The CodeDeploy application and deployment group a kind planned, with alarm-driven automatic rollback. For ECS
 * blue/green the group routes production (and test) traffic and waits on green as the plan says; for EC2 it updates
 * the tagged instances and the Auto Scaling groups' instances in place, or copies the one group blue/green.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-in-place.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-ecs.html
 */
export function codeDeployResources(args: DeployTranslationArgs): pulumi.Resource[] {
    const plan = args.codeDeploy;
    if (!plan || !args.deployRoleArn) return [];
    const application = new aws.codedeploy.Application(
        `${args.name}-application`,
        { name: plan.applicationName, computePlatform: plan.computePlatform, tags: args.tags },
        { parent: args.parent },
    );
    const ecs = plan.ecs;
    const server = plan.server;
    const config = customServerConfig(args);
    const group = new aws.codedeploy.DeploymentGroup(
        `${args.name}-deployment-group`,
        {
            appName: application.name,
            deploymentGroupName: plan.deploymentGroupName,
            serviceRoleArn: args.deployRoleArn,
            deploymentConfigName: plan.deploymentConfigName,
            alarmConfiguration: { enabled: true, alarms: [...plan.alarms] },
            autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
            ...(ecs
                ? {
                      deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
                      blueGreenDeploymentConfig: {
                          // No waitTimeInMinutes: it applies only to STOP_DEPLOYMENT.
                          // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentReadyOption.html
                          deploymentReadyOption: { actionOnTimeout: ecs.ready.actionOnTimeout },
                          terminateBlueInstancesOnDeploymentSuccess: {
                              action: "TERMINATE",
                              terminationWaitTimeInMinutes: ecs.terminationWaitMinutes,
                          },
                      },
                      ecsService: { clusterName: ecs.cluster, serviceName: ecs.service },
                      loadBalancerInfo: {
                          targetGroupPairInfo: {
                              prodTrafficRoute: { listenerArns: [ecs.listenerArn] },
                              ...(ecs.testListenerArn
                                  ? { testTrafficRoute: { listenerArns: [ecs.testListenerArn] } }
                                  : {}),
                              targetGroups: ecs.targetGroups.map((name) => ({ name })),
                          },
                      },
                  }
                : {}),
            ...(server ? serverGroupArgs(server) : {}),
            tags: args.tags,
        },
        { parent: args.parent, dependsOn: [...args.dependsOn, ...(config ? [config] : [])] },
    );
    return [application, ...(config ? [config] : []), group];
}

/**
 * An EC2 group's targets and style: in place, or blue/green by copying its Auto Scaling group, moving the target
 * groups' traffic to the copy once its instances are ready, and terminating the original instances after the wait.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-blue-green.html
 */
function serverGroupArgs(server: ServerGroup): Partial<aws.codedeploy.DeploymentGroupArgs> {
    const targets = {
        autoscalingGroups: [...server.autoScalingGroups],
        ec2TagFilters: server.ec2TagFilters.map((f) => ({ key: f.key, value: f.value, type: "KEY_AND_VALUE" })),
    };
    const blueGreen = server.blueGreen;
    if (!blueGreen)
        return {
            ...targets,
            deploymentStyle: { deploymentOption: "WITHOUT_TRAFFIC_CONTROL", deploymentType: "IN_PLACE" },
        };
    return {
        ...targets,
        deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
        blueGreenDeploymentConfig: {
            greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" },
            deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
            terminateBlueInstancesOnDeploymentSuccess: {
                action: "TERMINATE",
                terminationWaitTimeInMinutes: blueGreen.terminateAfterMinutes,
            },
        },
        loadBalancerInfo: { targetGroupInfos: blueGreen.targetGroups.map((name) => ({ name })) },
    };
}

/**
 * The custom Server deployment configuration a minimum-healthy-hosts percentage asks for (`FLEET_PERCENT`).
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations-create.html
 */
function customServerConfig(args: DeployTranslationArgs): aws.codedeploy.DeploymentConfig | undefined {
    const plan = args.codeDeploy;
    const percent = plan?.server?.minimumHealthyHostsPercent;
    if (!plan || percent === undefined) return undefined;
    return new aws.codedeploy.DeploymentConfig(
        `${args.name}-config`,
        {
            deploymentConfigName: plan.deploymentConfigName,
            computePlatform: "Server",
            minimumHealthyHosts: { type: "FLEET_PERCENT", value: percent },
        },
        { parent: args.parent },
    );
}
