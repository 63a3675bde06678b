/**
 * Reading a pipeline's history from the CodePipeline API, shared by the delivery-metrics handler (bundled into the
 * Lambda) and the `dora` command. Only `@aws-sdk/client-codepipeline` and pure modules may be imported here.
 */
import {
    GetPipelineExecutionCommand,
    ListActionExecutionsCommand,
    ListPipelineExecutionsCommand,
    type CodePipelineClient,
    type PipelineExecutionSummary,
} from "@aws-sdk/client-codepipeline";
import { commitTimeOfSummary, type ActionRun, type ExecutionFacts, type ExecutionType } from "../../model/metrics/dora";

const executionType = (type: string | undefined): ExecutionType => (type === "ROLLBACK" ? "ROLLBACK" : "STANDARD");

/**
 * What an execution is and when its sources were committed. `artifactRevisions[].created` is "the date and time
 * when the most recent revision of the artifact was created"
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineExecution.html,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ArtifactRevision.html).
 */
export async function executionFacts(
    client: CodePipelineClient,
    pipelineName: string,
    executionId: string,
): Promise<ExecutionFacts> {
    const { pipelineExecution: e } = await client.send(
        new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }),
    );
    return {
        executionType: executionType(e?.executionType),
        ...(e?.trigger?.triggerType ? { triggerType: e.trigger.triggerType } : {}),
        commitTimes: commitTimes(e?.artifactRevisions ?? []),
    };
}

/**
 * The commit times of an execution's sources: those its releases carry in their revision summaries where any does
 * (a pipeline fed by releases, whose S3 revisions were created by the promotion), else each revision's `created`.
 */
function commitTimes(revisions: readonly { created?: Date; revisionSummary?: string }[]): Date[] {
    const carried = revisions.flatMap((r) => {
        const time = commitTimeOfSummary(r.revisionSummary);
        return time ? [time] : [];
    });
    return carried.length > 0 ? carried : revisions.flatMap((r) => (r.created ? [new Date(r.created)] : []));
}

export interface HistoryOptions {
    /** Stop paging once a page reaches back before this time. */
    readonly since?: Date;
    /** At most this many pages of 100 (each page is one API call). */
    readonly maxPages: number;
}

/**
 * The pipeline's action runs, newest pages first, until `since` or `maxPages`. The API reference does not state
 * the order of results, so paging stops only when a whole page is older than `since`, and callers sort by time.
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListActionExecutions.html
 */
export async function actionRuns(
    client: CodePipelineClient,
    pipelineName: string,
    options: HistoryOptions,
): Promise<ActionRun[]> {
    const runs: ActionRun[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < options.maxPages; page++) {
        const out = await client.send(new ListActionExecutionsCommand({ pipelineName, maxResults: 100, nextToken }));
        const details = out.actionExecutionDetails ?? [];
        for (const d of details) {
            if (!d.pipelineExecutionId || !d.stageName || !d.status) continue;
            runs.push({
                executionId: d.pipelineExecutionId,
                stage: d.stageName,
                status: d.status,
                ...(d.startTime ? { startTime: new Date(d.startTime) } : {}),
                ...(d.lastUpdateTime ? { lastUpdateTime: new Date(d.lastUpdateTime) } : {}),
            });
        }
        nextToken = out.nextToken;
        const since = options.since;
        const allOlder =
            since !== undefined && details.length > 0 && details.every((d) => d.startTime && d.startTime < since);
        if (!nextToken || allOlder) break;
    }
    return runs;
}

/**
 * The pipeline's execution summaries since a time, with their type and trigger (the summary carries both:
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineExecutionSummary.html).
 */
export async function executionSummaries(
    client: CodePipelineClient,
    pipelineName: string,
    options: HistoryOptions,
): Promise<PipelineExecutionSummary[]> {
    const found: PipelineExecutionSummary[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < options.maxPages; page++) {
        const out = await client.send(new ListPipelineExecutionsCommand({ pipelineName, maxResults: 100, nextToken }));
        const summaries = out.pipelineExecutionSummaries ?? [];
        found.push(...summaries.filter((s) => !options.since || !s.startTime || s.startTime >= options.since));
        nextToken = out.nextToken;
        const since = options.since;
        const allOlder =
            since !== undefined && summaries.length > 0 && summaries.every((s) => s.startTime && s.startTime < since);
        if (!nextToken || allOlder) break;
    }
    return found;
}

/** Facts from a summary, for executions not worth a GetPipelineExecution call (failed or rollbacks). */
export const summaryFacts = (s: PipelineExecutionSummary): ExecutionFacts => ({
    executionType: executionType(s.executionType),
    ...(s.trigger?.triggerType ? { triggerType: s.trigger.triggerType } : {}),
    commitTimes: [],
});
