import { z } from "zod";
import { alarmNames, resourceName } from "../../stacks/primitives";
import { codeDeployApplicationName } from "../names";
import type { DeployKind } from "./types";

/** CodeDeploy's predefined Lambda configurations (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html). */
export const LAMBDA_STRATEGIES = [
    "LambdaCanary10Percent5Minutes",
    "LambdaCanary10Percent10Minutes",
    "LambdaCanary10Percent15Minutes",
    "LambdaCanary10Percent30Minutes",
    "LambdaLinear10PercentEvery1Minute",
    "LambdaLinear10PercentEvery2Minutes",
    "LambdaLinear10PercentEvery3Minutes",
    "LambdaLinear10PercentEvery10Minutes",
    "LambdaAllAtOnce",
] as const;

const schema = z.strictObject({
    kind: z.literal("lambda-canary"),
    /** Name of the existing Lambda function. */
    functionName: resourceName("orders-api"),
    /**
     * Alias whose traffic CodeDeploy shifts between versions.
     * @default "live"
     */
    alias: resourceName("live").default("live"),
    /**
     * How traffic moves to the new version.
     * @default "LambdaCanary10Percent5Minutes"
     */
    strategy: z.enum(LAMBDA_STRATEGIES).default("LambdaCanary10Percent5Minutes"),
    /** CloudWatch alarms that stop the deployment and roll it back. */
    alarms: alarmNames,
});

/**
 * Canary or linear traffic shifting of a Lambda alias by CodeDeploy (compute platform `Lambda`). The build
 * publishes a new version and writes `appspec.yml` (current and target version) into its artifact; the CodeDeploy
 * action hands that revision to the deployment group, whose alarms roll the alias back.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-lambda.html
 */
export const lambdaCanary: DeployKind<"lambda-canary", typeof schema> = {
    kind: "lambda-canary",
    schema,
    usesCodeDeploy: true,
    action: (_config, ctx) => ({
        provider: "CodeDeploy",
        configuration: {
            ApplicationName: codeDeployApplicationName(ctx, ctx.service),
            DeploymentGroupName: codeDeployApplicationName(ctx, ctx.service),
        },
        inputArtifacts: [ctx.buildArtifact],
    }),
    summary: (config) => `Lambda ${config.strategy.replace(/^Lambda/, "")} ${config.functionName}:${config.alias}`,
};
