import { z } from "zod";
import { accountId, iamRoleArn, resourceName } from "../primitives";

/** `cicd:services[i].deploy` for a rolling ECS update (CodePipeline's `ECS` action). */
export const ecsRollingSchema = z.strictObject({
    kind: z.literal("ecs-rolling"),
    /** Name of the existing ECS cluster. */
    cluster: resourceName("web-cluster"),
    /** Name of the existing ECS service (deployment controller `ECS`). */
    service: resourceName("web"),
    /** Task and execution roles of the service: the only roles the pipeline may pass to ECS. */
    passRoleArns: z
        .array(iamRoleArn)
        .min(1, { error: "must list the service's task role and task execution role ARNs" }),
    /**
     * File in the build artifact that maps container names to image URIs.
     * @default "imagedefinitions.json"
     */
    imageDefinitionsFile: z.string().min(1).default("imagedefinitions.json"),
    /**
     * Minutes CodePipeline waits for the ECS deployment to stabilise (1-60).
     * @default 30
     */
    timeoutMinutes: z
        .number()
        .int()
        .min(1)
        .max(60, { error: "must be at most 60 (the ECS action's DeploymentTimeout limit)" })
        .default(30),
    /**
     * Account that runs the service, when it is not the environment's account; needs an entry in
     * `cicd:environment.deployRoleArns`.
     * @default the environment's account
     */
    accountId: accountId.optional(),
});
