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
 */

export const PIPELINE_EXECUTION_EVENT = "CodePipeline Pipeline Execution State Change";
export const STAGE_EXECUTION_EVENT = "CodePipeline Stage Execution State Change";

export function deliveryEventPattern(pipelineNames: readonly string[], deployStage: string): Record<string, unknown> {
    if (pipelineNames.length === 0)
        throw new Error("`pipelines` is empty: delivery metrics need at least one pipeline to watch.");
    return {
        source: ["aws.codepipeline"],
        "detail-type": [PIPELINE_EXECUTION_EVENT, STAGE_EXECUTION_EVENT],
        detail: {
            pipeline: [...new Set(pipelineNames)].sort(),
            $or: [
                // A whole execution succeeded: the Deploy stage is the last stage, so the release is live.
                { stage: [{ exists: false }], state: ["SUCCEEDED"] },
                // The Deploy stage failed: a failed deployment (a failed build or test never reaches it).
                { stage: [deployStage], state: ["FAILED"] },
            ],
        },
    };
}
