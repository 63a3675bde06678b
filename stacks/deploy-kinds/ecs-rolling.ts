import { z } from "zod";
import { accountId, iamRoleArn, resourceName } from "../primitives";

/** `cicd:services[i].deploy` for a rolling ECS update (CodePipeline's `ECS` action). */
export const ecsRollingSchema = z.strictObject({
    kind: z
        .literal("ecs-rolling")
        .describe("An ECS service updated in place by a rolling deployment (CodePipeline's `ECS` action)."),
    cluster: resourceName("web-cluster").describe("Name of the existing ECS cluster."),
    service: resourceName("web").describe("Name of the existing ECS service (deployment controller `ECS`)."),
    passRoleArns: z
        .array(iamRoleArn)
        .min(1, { error: "must list the service's task role and task execution role ARNs" })
        .describe("Task and execution roles of the service: the only roles the pipeline may pass to ECS."),
    imageDefinitionsFile: z
        .string()
        .min(1)
        .default("imagedefinitions.json")
        .describe("File in the build artifact that maps container names to image URIs."),
    timeoutMinutes: z
        .number()
        .int()
        .min(1)
        .max(60, { error: "must be at most 60 (the ECS action's DeploymentTimeout limit)" })
        .default(30)
        .describe("Minutes CodePipeline waits for the ECS deployment to stabilise (1-60)."),
    accountId: accountId
        .optional()
        .describe(
            "Account that runs the service, when it is not the environment's account; needs an entry in `cicd:environment.deployRoleArns`. Default: the environment's account.",
        ),
});
