/**
 * The four DORA measures, computed one way for the Lambda handler (one event at a time) and the `dora` command (a
 * window of history). Pure: plain records in, numbers out; no AWS SDK, no clock. The handler's Lambda bundle
 * includes this file, so it imports nothing.
 *
 * Vocabulary, from the CodePipeline API reference:
 * - an execution's `executionType` is STANDARD or ROLLBACK, and its `trigger.triggerType` says what started it,
 *   including `ManualRollback` and `AutomatedRollback`
 *   (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineExecution.html,
 *   https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ExecutionTrigger.html);
 * - an `ArtifactRevision.created` is "the date and time when the most recent revision of the artifact was created,
 *   in timestamp format" — the commit time for Git sources
 *   (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ArtifactRevision.html).
 */

export type ExecutionType = "STANDARD" | "ROLLBACK";

/** One run of a service's Deploy stage, whatever started it, up to its outcome. */
export interface DeployAttempt {
    readonly service: string;
    readonly executionId: string;
    readonly executionType: ExecutionType;
    /** `ExecutionTrigger.triggerType`, when known. */
    readonly triggerType?: string;
    readonly outcome: "succeeded" | "failed";
    readonly finishedAt: Date;
    /** Creation times of the execution's source revisions (ArtifactRevision.created); empty when unknown. */
    readonly commitTimes: readonly Date[];
}

/** What one attempt adds to the counters. */
export interface AttemptCounts {
    /** A change reached the environment: a STANDARD execution whose Deploy stage succeeded. */
    readonly deployments: number;
    /** A STANDARD execution whose Deploy stage failed. */
    readonly failedDeployments: number;
    /** A ROLLBACK execution that redeployed an earlier release. */
    readonly rollbacks: number;
    /**
     * Deployments that failed or had to be undone: every failed deployment, plus every manual rollback (the change
     * it undoes had deployed successfully, so no failure counted it yet). An automated rollback is started by a
     * failed Deploy stage, which was already counted, so it adds nothing here.
     */
    readonly changeFailures: number;
}

const NONE: AttemptCounts = { deployments: 0, failedDeployments: 0, rollbacks: 0, changeFailures: 0 };

export function countAttempt(attempt: DeployAttempt): AttemptCounts {
    if (attempt.executionType === "ROLLBACK") {
        if (attempt.outcome === "failed") return NONE;
        return { ...NONE, rollbacks: 1, changeFailures: attempt.triggerType === "ManualRollback" ? 1 : 0 };
    }
    return attempt.outcome === "succeeded"
        ? { ...NONE, deployments: 1 }
        : { ...NONE, failedDeployments: 1, changeFailures: 1 };
}

/**
 * The commit date a release carries in its revision summary ("Release <id> (commit <sha>, committed <date>)",
 * written by the publisher, model/release.ts), or `undefined`. Where a pipeline starts from a release bucket, the S3
 * revision's `created` is when the release was promoted, not when it was committed.
 */
export function commitTimeOfSummary(summary: string | undefined): Date | undefined {
    const match = /\bcommitted (\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2}))/.exec(summary ?? "");
    const date = match ? new Date(match[1]) : undefined;
    return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/**
 * Seconds from the newest commit in the release to its successful deployment; `undefined` for anything but a
 * successful STANDARD deployment, when no commit time is known, or when the clocks disagree (commit after deploy).
 * The newest commit is the change that caused this release; older revisions of other sources were already live.
 */
export function leadTimeSeconds(attempt: DeployAttempt): number | undefined {
    if (attempt.executionType !== "STANDARD" || attempt.outcome !== "succeeded") return undefined;
    if (attempt.commitTimes.length === 0) return undefined;
    const newest = Math.max(...attempt.commitTimes.map((d) => d.getTime()));
    const seconds = (attempt.finishedAt.getTime() - newest) / 1000;
    return seconds >= 0 ? seconds : undefined;
}

const byTime = (a: DeployAttempt, b: DeployAttempt): number => a.finishedAt.getTime() - b.finishedAt.getTime();

/**
 * Seconds from the first failed deploy since the last success to `restored`, when `restored` is a success that
 * ends a run of failures of the same service; otherwise `undefined`. A successful rollback restores service too.
 * `history` may contain `restored` itself (it is skipped) and attempts of other services (ignored).
 */
export function restoreSeconds(history: readonly DeployAttempt[], restored: DeployAttempt): number | undefined {
    if (restored.outcome !== "succeeded") return undefined;
    const earlier = history
        .filter((a) => a.service === restored.service)
        .filter((a) => !(a.executionId === restored.executionId && a.outcome === "succeeded"))
        .filter((a) => a.finishedAt.getTime() <= restored.finishedAt.getTime())
        .sort(byTime);
    let firstFailure: DeployAttempt | undefined;
    for (let i = earlier.length - 1; i >= 0 && earlier[i].outcome === "failed"; i--) firstFailure = earlier[i];
    return firstFailure ? (restored.finishedAt.getTime() - firstFailure.finishedAt.getTime()) / 1000 : undefined;
}

/** A period during which a service's last deploy had failed. `restoredAt` is absent while it still lasts. */
export interface Outage {
    readonly service: string;
    readonly failedAt: Date;
    readonly restoredAt?: Date;
}

/** Every outage in the attempts, per service, in time order. */
export function outages(attempts: readonly DeployAttempt[]): Outage[] {
    const open = new Map<string, Date>();
    const found: Outage[] = [];
    for (const a of [...attempts].sort(byTime)) {
        const failedAt = open.get(a.service);
        if (a.outcome === "failed") {
            if (!failedAt) open.set(a.service, a.finishedAt);
        } else if (failedAt) {
            found.push({ service: a.service, failedAt, restoredAt: a.finishedAt });
            open.delete(a.service);
        }
    }
    for (const [service, failedAt] of open) found.push({ service, failedAt });
    return found;
}

/** The raw record of one action run in the Deploy stage, as ListActionExecutions returns it. */
export interface ActionRun {
    readonly executionId: string;
    readonly stage: string;
    /** `InProgress | Abandoned | Succeeded | Failed` (ActionExecutionDetail.status). */
    readonly status: string;
    readonly startTime?: Date;
    readonly lastUpdateTime?: Date;
}

/** What an execution is, from GetPipelineExecution or ListPipelineExecutions. */
export interface ExecutionFacts {
    readonly executionType: ExecutionType;
    readonly triggerType?: string;
    readonly commitTimes: readonly Date[];
}

/**
 * Deploy attempts from the Deploy stage's action runs. One pipeline execution can attempt the stage more than
 * once (RetryStageExecution after a failure): each failed action closes an attempt, and the runs after it form the
 * next. Runs still in progress or abandoned close nothing. Facts missing for an execution default to a STANDARD
 * run with no known commit time.
 */
export function deployAttempts(
    service: string,
    deployStage: string,
    runs: readonly ActionRun[],
    facts: (executionId: string) => ExecutionFacts | undefined,
): DeployAttempt[] {
    const byExecution = new Map<string, ActionRun[]>();
    for (const run of runs) {
        if (run.stage !== deployStage || !run.lastUpdateTime) continue;
        byExecution.set(run.executionId, [...(byExecution.get(run.executionId) ?? []), run]);
    }
    const attempts: DeployAttempt[] = [];
    for (const [executionId, list] of byExecution) {
        const known = facts(executionId) ?? { executionType: "STANDARD", commitTimes: [] };
        const attempt = (outcome: DeployAttempt["outcome"], finishedAt: Date): DeployAttempt => ({
            service,
            executionId,
            executionType: known.executionType,
            ...(known.triggerType ? { triggerType: known.triggerType } : {}),
            outcome,
            finishedAt,
            commitTimes: known.commitTimes,
        });
        let succeeded: Date | undefined;
        let pending = false;
        for (const run of [...list].sort((a, b) => time(a) - time(b))) {
            const at = run.lastUpdateTime!;
            if (run.status === "Failed") {
                attempts.push(attempt("failed", at));
                succeeded = undefined;
                pending = false;
            } else if (run.status === "Succeeded") {
                succeeded = !succeeded || at > succeeded ? at : succeeded;
            } else {
                pending = true;
            }
        }
        if (succeeded && !pending) attempts.push(attempt("succeeded", succeeded));
    }
    return attempts.sort(byTime);
}

const time = (run: ActionRun): number => (run.startTime ?? run.lastUpdateTime)!.getTime();

/** The four measures for one service (or `*` for all of them) over a window. */
export interface DoraSummary {
    readonly service: string;
    readonly deployments: number;
    readonly deploymentsPerDay: number;
    readonly failedDeployments: number;
    readonly rollbacks: number;
    /** changeFailures / (deployments + failedDeployments), 0..1; `undefined` with no deployment attempt. */
    readonly changeFailureRate?: number;
    /** Median lead time in seconds over the successful deployments with a known commit time. */
    readonly medianLeadTimeSeconds?: number;
    /** Mean time to restore in seconds over the outages that ended in the window. */
    readonly meanTimeToRestoreSeconds?: number;
    /** Whether the service's last deploy in the window failed and nothing has restored it yet. */
    readonly failing: boolean;
}

export const ALL_SERVICES = "*";

/** Measures per service and for all services together, from the attempts in a window of `days` days. */
export function summarise(attempts: readonly DeployAttempt[], days: number): DoraSummary[] {
    if (!(days > 0)) throw new Error(`\`days\` must be a positive number of days, got ${days}.`);
    const services = [...new Set(attempts.map((a) => a.service))].sort();
    return [
        ...services.map((s) =>
            summary(
                s,
                attempts.filter((a) => a.service === s),
                days,
            ),
        ),
    ].concat(services.length > 1 ? [summary(ALL_SERVICES, attempts, days)] : []);
}

function summary(service: string, attempts: readonly DeployAttempt[], days: number): DoraSummary {
    const totals = attempts.map(countAttempt).reduce(
        (sum, c) => ({
            deployments: sum.deployments + c.deployments,
            failedDeployments: sum.failedDeployments + c.failedDeployments,
            rollbacks: sum.rollbacks + c.rollbacks,
            changeFailures: sum.changeFailures + c.changeFailures,
        }),
        NONE,
    );
    const tried = totals.deployments + totals.failedDeployments;
    const leadTimes = attempts.map(leadTimeSeconds).filter((s): s is number => s !== undefined);
    const periods = outages(attempts);
    const restored = periods.filter((o) => o.restoredAt);
    const restoreTimes = restored.map((o) => (o.restoredAt!.getTime() - o.failedAt.getTime()) / 1000);
    return {
        service,
        deployments: totals.deployments,
        deploymentsPerDay: totals.deployments / days,
        failedDeployments: totals.failedDeployments,
        rollbacks: totals.rollbacks,
        ...(tried > 0 ? { changeFailureRate: Math.min(1, totals.changeFailures / tried) } : {}),
        ...(leadTimes.length > 0 ? { medianLeadTimeSeconds: median(leadTimes) } : {}),
        ...(restoreTimes.length > 0 ? { meanTimeToRestoreSeconds: mean(restoreTimes) } : {}),
        failing: periods.some((o) => !o.restoredAt),
    };
}

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
