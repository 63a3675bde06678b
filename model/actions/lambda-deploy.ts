import { lambdaFunctionArn } from "../names";
import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/**
 * Deploys a Lambda function (V2 pipelines only): updates the code from the input artifact, publishes a version and
 * moves `FunctionAlias` to it with `DeployStrategy`. The role gets the function actions the page lists, on this
 * function and its versions and aliases (`function:<name>:*`) only.
 *
 * The page's permissions section was not in the excerpts the documentation search returned; the actions below are
 * the ones the action must call to do what the page describes (update code, publish a version, read and move the
 * alias, read the configuration and provisioned concurrency while shifting). If AWS needs another, the deploy fails
 * with AccessDenied naming it: it never gets more than this.
 */
export const lambdaDeploy: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html",
    category: "Deploy",
    owner: "AWS",
    provider: "Lambda",
    version: "1",
    v2Only: true,
    requiredKeys: ["FunctionName"],
    optionalKeys: ["FunctionAlias", "PublishedTargetVersion", "DeployStrategy"],
    // The function package, or none when `PublishedTargetVersion` names the version (checked by `validate`).
    inputArtifacts: { min: 0, max: 1 },
    outputArtifacts: { min: 0, max: 0 },
    permissions: ({ ctx, configuration }) => {
        const fn = lambdaFunctionArn(ctx, configuration.FunctionName);
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
        ];
    },
    validate: (configuration, inputs) =>
        inputs === 0 && !configuration.PublishedTargetVersion
            ? ["needs an input artifact (the function package) or `PublishedTargetVersion`"]
            : [],
};
