import { z } from "zod";
import { alarmNames, resourceName } from "../primitives";

/**
 * Traffic-shifting strategies of CodePipeline's Lambda deploy action: `AllAtOnce`, `Canary<p>Percent<m>Minutes` or
 * `Linear<p>PercentEvery<m>Minute(s)`, where the percentage and minutes may change. Unlike CodeDeploy's names they
 * carry no `Lambda` prefix.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html
 */
export const LAMBDA_DEPLOY_STRATEGY =
    /^(AllAtOnce|Canary([1-9]|[1-9][0-9])Percent[1-9][0-9]*Minutes?|Linear([1-9]|[1-9][0-9])PercentEvery[1-9][0-9]*Minutes?)$/;

/** `cicd:services[i].deploy` for a Lambda function behind an alias (CodePipeline's V2 Lambda deploy action). */
export const lambdaSchema = z.strictObject({
    kind: z.literal("lambda"),
    /** Name of the existing Lambda function (it must already have a published version). */
    functionName: resourceName("orders-api"),
    /**
     * Alias whose traffic moves to the new version; it must exist and point at a version (the rollback target).
     * @default "live"
     */
    alias: resourceName("live").default("live"),
    /**
     * How traffic moves to the new version.
     * @default "AllAtOnce"
     */
    strategy: z
        .string()
        .regex(LAMBDA_DEPLOY_STRATEGY, {
            error: 'must be "AllAtOnce", "Canary<percent>Percent<minutes>Minutes" or "Linear<percent>PercentEvery<minutes>Minutes", like "Canary10Percent5Minutes" (no "Lambda" prefix)',
        })
        .default("AllAtOnce"),
    /** CloudWatch alarms (at most 10) that fail the deploy while traffic shifts and roll the Deploy stage back after it. */
    alarms: alarmNames,
});
