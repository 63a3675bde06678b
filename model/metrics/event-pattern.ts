/**
 * The environment's EventBridge pattern for delivery metrics: a pipeline execution that succeeded, and a Deploy
 * stage that failed, of the environment's pipelines only.
 *
 * Event shapes and the `detail.pipeline`, `detail.stage` and `detail.state` fields:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
 * `$or` and `exists` matching: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *
 * Scoped by pipeline name, not by `resources`: the user guide's samples spell the pipeline ARN in `resources` two
 * ways over time (`…:pipeline:myPipeline` and `…:myPipeline`), and a pattern on the wrong spelling would match
 * nothing, silently. Names are unique per account and region, and a rule only sees its own account's events.
 *
 * Matched by the names' common suffix (`-<env>`, `model/names.ts`) with EventBridge's "Ends with" operator, `suffix`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html), not by listing every
 * name: the pattern then stays the same size for 1 or 1,000 services. Another pipeline in the account whose name
 * happens to end in `-<env>` also matches; the handler ignores any pipeline missing from its `pipelines.json` map
 * before calling an API, so that costs one invocation, no metric.
 */

export const PIPELINE_EXECUTION_EVENT = "CodePipeline Pipeline Execution State Change";
export const STAGE_EXECUTION_EVENT = "CodePipeline Stage Execution State Change";

export function deliveryEventPattern(pipelineNameSuffix: string, deployStage: string): Record<string, unknown> {
    if (pipelineNameSuffix === "")
        throw new Error("`pipelineNameSuffix` is empty: it would match every pipeline in the account; pass `-<env>`.");
    return {
        source: ["aws.codepipeline"],
        "detail-type": [PIPELINE_EXECUTION_EVENT, STAGE_EXECUTION_EVENT],
        detail: {
            pipeline: [{ suffix: pipelineNameSuffix }],
            $or: [
                // A whole execution succeeded: the Deploy stage is the last stage, so the release is live.
                { stage: [{ exists: false }], state: ["SUCCEEDED"] },
                // The Deploy stage failed: a failed deployment (a failed build or test never reaches it).
                { stage: [deployStage], state: ["FAILED"] },
            ],
        },
    };
}
