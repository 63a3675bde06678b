import { z } from "zod";
import { resourceName } from "./primitives";

/**
 * A Lambda function the pipeline invokes as a gate (CodePipeline's `Lambda` invoke action): it reports success or
 * failure with `PutJobSuccessResult` / `PutJobFailureResult`, and a failure stops the run (after the deploy: rolls
 * the Deploy stage back).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html
 */
export const lambdaCheckSchema = z.strictObject({
    kind: z.literal("lambda-check"),
    /** Action name in the Deploy stage, unique among the service's checks. */
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, {
        error: 'must be 1-63 letters, digits or hyphens, starting with a letter, like "RatingsHold"',
    }),
    /** Name of the existing function (in the environment's account and region). */
    functionName: resourceName("ratings-check"),
    /**
     * What the function receives as `UserParameters`: a string, or an object sent as JSON.
     * @default none
     */
    userParameters: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    /**
     * Run before the deploy (a gate: a failure means nothing is deployed) or after it (a failure rolls the Deploy
     * stage back).
     * @default "before-deploy"
     */
    when: z.enum(["before-deploy", "after-deploy"]).default("before-deploy"),
});

/** `cicd:services[i].checks`: gates the Deploy stage runs around the deploy. */
export const checksSchema = z.array(z.discriminatedUnion("kind", [lambdaCheckSchema])).default([]);

export type CheckConfig = z.infer<typeof checksSchema>[number];
