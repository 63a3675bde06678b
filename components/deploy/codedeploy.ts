import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { codeDeployApplicationName } from "../../model/names";
import type { DeployTranslationArgs } from "./types";

/** Alarm-driven automatic rollback, shared by every CodeDeploy kind. */
export const alarmRollback = (alarms: readonly string[]) => ({
    alarmConfiguration: { enabled: true, alarms: [...alarms] },
    autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
});

/** A CodeDeploy application for one service, named after its pipeline. */
export function codeDeployApplication(
    args: DeployTranslationArgs<unknown>,
    computePlatform: "ECS" | "Lambda",
): aws.codedeploy.Application {
    return new aws.codedeploy.Application(
        `${args.name}-application`,
        {
            name: codeDeployApplicationName(args.ctx, args.service),
            computePlatform,
            tags: args.tags,
        },
        { parent: args.parent },
    );
}

export function requireDeployRole<C>(args: DeployTranslationArgs<C>): pulumi.Input<string> {
    if (!args.deployRoleArn)
        throw new pulumi.ResourceError(
            `\`deployRoleArn\` is required for a CodeDeploy deploy of ${args.service}.`,
            args.parent,
        );
    return args.deployRoleArn;
}
