import { cloudWatchAlarmArn, lambdaDeployLogGroupArn, lambdaFunctionArn } from "../names";
import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/**
 * Deploys a Lambda function (V2 pipelines only): updates the code from the input artifact, publishes a version and
 * moves `FunctionAlias` to it with `DeployStrategy`, failing when one of `Alarms` (at most 10, comma-separated)
 * goes to ALARM. The role gets what the page's "Service role policy permissions" section lists, scoped down: the
 * function actions on this function and its versions and aliases (`function:<name>:*`), DescribeAlarms on the
 * configured alarms, and the action's own log group `/<region>/codepipeline/<pipeline>` (create it, write streams).
 */
export const lambdaDeploy: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html",
    category: "Deploy",
    owner: "AWS",
    provider: "Lambda",
    version: "1",
    v2Only: true,
    requiredKeys: ["FunctionName"],
    optionalKeys: ["FunctionAlias", "PublishedTargetVersion", "DeployStrategy", "Alarms"],
    // The function package, or none when `PublishedTargetVersion` names the version (checked by `validate`).
    inputArtifacts: { min: 0, max: 1 },
    outputArtifacts: { min: 0, max: 0 },
    permissions: ({ ctx, configuration, pipelineName }) => {
        const fn = lambdaFunctionArn(ctx, configuration.FunctionName);
        const alarms = configuration.Alarms ? configuration.Alarms.split(",") : [];
        const logs = pipelineName ? lambdaDeployLogGroupArn(ctx, pipelineName) : undefined;
        return [
            allow(
                "DeployFunction",
                [
                    "lambda:GetFunctionConfiguration",
                    "lambda:UpdateFunctionCode",
                    "lambda:PublishVersion",
                    "lambda:GetAlias",
                    "lambda:UpdateAlias",
                    "lambda:GetProvisionedConcurrencyConfig",
                ],
                [fn, `${fn}:*`],
            ),
            allow(
                "WatchDeployAlarms",
                ["cloudwatch:DescribeAlarms"],
                alarms.map((a) => cloudWatchAlarmArn(ctx, a)),
            ),
            logs ? allow("LambdaDeployLogGroup", ["logs:CreateLogGroup"], [logs, `${logs}:*`]) : undefined,
            logs
                ? allow("LambdaDeployLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [`${logs}:log-stream:*`])
                : undefined,
        ];
    },
    validate: (configuration, inputs) => [
        ...(inputs === 0 && !configuration.PublishedTargetVersion
            ? ["needs an input artifact (the function package) or `PublishedTargetVersion`"]
            : []),
        ...((configuration.Alarms?.split(",").length ?? 0) > 10 ? ["`Alarms` may list at most 10 alarms"] : []),
    ],
};
