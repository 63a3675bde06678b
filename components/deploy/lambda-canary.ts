import * as aws from "@pulumi/aws";
import { codeDeployConfigName, type DeployConfigOf } from "../../model/deploy-kinds";
import { codeDeployApplicationName } from "../../model/names";
import { alarmRollback, codeDeployApplication, requireDeployRole } from "./codedeploy";
import type { DeployTranslation } from "./types";

/**
 * CodeDeploy application and deployment group that shift a Lambda alias canary- or linear-style.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-lambda.html
 */
export const lambdaCanaryResources: DeployTranslation<DeployConfigOf<"lambda-canary">> = (args) => {
    const application = codeDeployApplication(args, "Lambda");
    const group = new aws.codedeploy.DeploymentGroup(
        `${args.name}-deployment-group`,
        {
            appName: application.name,
            deploymentGroupName: codeDeployApplicationName(args.ctx, args.service),
            serviceRoleArn: requireDeployRole(args),
            deploymentConfigName: codeDeployConfigName(args.config),
            deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
            ...alarmRollback(args.config.alarms),
            tags: args.tags,
        },
        { parent: args.parent, dependsOn: args.dependsOn },
    );
    return [application, group];
};
