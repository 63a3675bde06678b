/**
 * The four DORA measures of a stack's pipelines from the CodePipeline API (ListPipelineExecutions,
 * ListActionExecutions, GetPipelineExecution), with the calculations the Lambda handler uses (`model/metrics/dora`).
 */
import type { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import Table from "cli-table3";
import {
    deployAttempts,
    summarise,
    type DeployAttempt,
    type DoraSummary,
    type ExecutionFacts,
} from "../../model/metrics/dora";
import { actionRuns, executionFacts, executionSummaries, summaryFacts } from "./history";
import { isPipelineNotFound, notDeployedYet } from "./session";
import type { StackPipeline, StackTargets } from "./stack";

/** Pages of 100 read per pipeline and API, at most (a month of a busy pipeline). */
export const MAX_PAGES = 20;

export interface DoraReport {
    readonly stack: string;
    readonly environment: string;
    readonly since: string;
    readonly days: number;
    readonly services: DoraSummary[];
    /** Pipelines of the stack that do not exist yet, with why. */
    readonly missing: string[];
}

/** Every deploy attempt of one pipeline that finished after `since`. */
export async function pipelineAttempts(
    client: CodePipelineClient,
    pipeline: StackPipeline,
    since: Date,
): Promise<DeployAttempt[]> {
    const options = { since, maxPages: MAX_PAGES };
    const [summaries, runs] = await Promise.all([
        executionSummaries(client, pipeline.pipelineName, options),
        actionRuns(client, pipeline.pipelineName, options),
    ]);
    const facts = new Map<string, ExecutionFacts>();
    for (const s of summaries) if (s.pipelineExecutionId) facts.set(s.pipelineExecutionId, summaryFacts(s));
    // Commit times only matter for successful standard deployments: one GetPipelineExecution each.
    const deployed = new Set(
        runs.filter((r) => r.stage === pipeline.deployStage && r.status === "Succeeded").map((r) => r.executionId),
    );
    for (const s of summaries) {
        const id = s.pipelineExecutionId;
        if (id && deployed.has(id) && s.status === "Succeeded" && facts.get(id)?.executionType === "STANDARD")
            facts.set(id, await executionFacts(client, pipeline.pipelineName, id));
    }
    return deployAttempts(pipeline.service, pipeline.deployStage, runs, (id) => facts.get(id)).filter(
        (a) => a.finishedAt >= since,
    );
}

export async function doraReport(
    client: CodePipelineClient,
    targets: StackTargets,
    since: Date,
    now: Date,
): Promise<DoraReport> {
    const attempts: DeployAttempt[] = [];
    const missing: string[] = [];
    const absent = new Set<string>();
    for (const pipeline of targets.pipelines) {
        try {
            attempts.push(...(await pipelineAttempts(client, pipeline, since)));
        } catch (err) {
            if (!isPipelineNotFound(err)) throw err;
            missing.push(notDeployedYet(targets, pipeline.pipelineName));
            absent.add(pipeline.service);
        }
    }
    const days = (now.getTime() - since.getTime()) / 86_400_000;
    const measured = summarise(attempts, days);
    const seen = new Set(measured.map((s) => s.service));
    // Services with no deployment in the window still get a row, so silence is visible.
    const quiet = targets.pipelines
        .filter((p) => !seen.has(p.service) && !absent.has(p.service))
        .map((p) => emptySummary(p.service));
    return {
        stack: targets.stack,
        environment: targets.environment,
        since: since.toISOString(),
        days,
        services: [...measured, ...quiet].sort((a, b) =>
            a.service === "*" ? 1 : b.service === "*" ? -1 : a.service.localeCompare(b.service),
        ),
        missing,
    };
}

const emptySummary = (service: string): DoraSummary => ({
    service,
    deployments: 0,
    deploymentsPerDay: 0,
    failedDeployments: 0,
    rollbacks: 0,
    failing: false,
});

/** `1d 4h`, `3h 05m`, `12m`, `40s`; `–` when there is no value. */
export function duration(seconds: number | undefined): string {
    if (seconds === undefined) return "–";
    const s = Math.round(seconds);
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}m`;
    const h = Math.floor(m / 60);
    if (h < 24) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
    return `${Math.floor(h / 24)}d ${h % 24}h`;
}

const percent = (rate: number | undefined): string => (rate === undefined ? "–" : `${(rate * 100).toFixed(1)}%`);

export function reportTable(report: DoraReport): string {
    const table = new Table({
        head: [
            "service",
            "deployments",
            "per day",
            "lead time (median)",
            "change failure rate",
            "time to restore (mean)",
            "rollbacks",
            "now",
        ],
        style: { head: [], border: [] },
    });
    for (const s of report.services)
        table.push([
            s.service === "*" ? "all services" : s.service,
            String(s.deployments),
            s.deploymentsPerDay.toFixed(2),
            duration(s.medianLeadTimeSeconds),
            percent(s.changeFailureRate),
            duration(s.meanTimeToRestoreSeconds),
            String(s.rollbacks),
            s.failing ? "FAILING" : "ok",
        ]);
    const header = `DORA measures for stack ${report.stack} (${report.environment}) since ${report.since} (${report.days.toFixed(1)} days)`;
    return [header, table.toString(), ...report.missing.map((m) => `note: ${m}`)].join("\n");
}
