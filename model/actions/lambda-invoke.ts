import { lambdaFunctionArn } from "../names";
import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/**
 * Invokes a Lambda function as a pipeline step; the function must report `PutJobSuccessResult` or
 * `PutJobFailureResult`, or the action hangs until it times out. The pipeline role may invoke this one function
 * (`lambda:InvokeFunction` takes the `function` resource type:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html). The console's function
 * list (`lambda:ListFunctions`) is not needed to invoke, so it is not granted.
 */
export const lambdaInvoke: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html",
    category: "Invoke",
    owner: "AWS",
    provider: "Lambda",
    version: "1",
    v2Only: false,
    requiredKeys: ["FunctionName"],
    optionalKeys: ["UserParameters"],
    inputArtifacts: { min: 0, max: 5 },
    outputArtifacts: { min: 0, max: 5 },
    permissions: ({ ctx, configuration }) => [
        allow("InvokeCheckFunction", ["lambda:InvokeFunction"], [lambdaFunctionArn(ctx, configuration.FunctionName)]),
    ],
};
