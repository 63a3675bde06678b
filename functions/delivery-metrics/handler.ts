/**
 * Delivery-metrics handler: turns CodePipeline events into DORA metrics, written as embedded-metric-format log
 * lines. Stateless: what it must remember (the failures a success ends) it reads back from the pipeline's own
 * action history (ListActionExecutions), so there is no table to keep consistent.
 *
 * Packaged by `components/delivery-metrics-code.ts`: this file and the pure modules it imports are transpiled when
 * the program runs; `@aws-sdk/client-codepipeline` comes from the Lambda Node.js runtime, which includes the AWS
 * SDK for JavaScript v3 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import {
    countAttempt,
    deployAttempts,
    leadTimeSeconds,
    restoreSeconds,
    type DeployAttempt,
} from "../../model/metrics/dora";
import { PIPELINE_EXECUTION_EVENT, STAGE_EXECUTION_EVENT } from "../../model/metrics/event-pattern";
import { actionRuns, executionFacts } from "../../tools/codepipeline/history";
import { emfDocument } from "./emf";

/** The fields of a CodePipeline state-change event the handler reads (detect-state-changes-cloudwatch-events.html). */
export interface CodePipelineEvent {
    readonly "detail-type": string;
    readonly time: string;
    readonly detail: {
        readonly pipeline: string;
        readonly "execution-id": string;
        readonly state: string;
        readonly stage?: string;
    };
}

export interface HandlerConfig {
    readonly environment: string;
    readonly services: Readonly<Record<string, string>>;
    readonly deployStage: string;
}

export interface Dependencies {
    readonly client: CodePipelineClient;
    readonly config: HandlerConfig;
    /** Where EMF lines go: stdout in Lambda. */
    readonly write: (line: string) => void;
}

/** Pages of action history read to find the failures a success ends (100 action runs each). */
export const HISTORY_PAGES = 3;

/** Handles one event; returns the EMF document written, if any (for tests and logs). */
export async function handleEvent(
    event: CodePipelineEvent,
    deps: Dependencies,
): Promise<Record<string, unknown> | undefined> {
    const { config } = deps;
    const outcome = outcomeOf(event, config.deployStage);
    if (!outcome) return undefined;
    const pipeline = event.detail.pipeline;
    const service = config.services[pipeline];
    if (!service) {
        deps.write(JSON.stringify({ level: "WARN", message: `ignored event of unknown pipeline ${pipeline}` }));
        return undefined;
    }
    const executionId = event.detail["execution-id"];
    const facts = await executionFacts(deps.client, pipeline, executionId);
    const attempt: DeployAttempt = {
        service,
        executionId,
        executionType: facts.executionType,
        ...(facts.triggerType ? { triggerType: facts.triggerType } : {}),
        outcome,
        finishedAt: new Date(event.time),
        commitTimes: facts.commitTimes,
    };
    const counts = countAttempt(attempt);
    let restore: number | undefined;
    if (outcome === "succeeded") {
        const runs = await actionRuns(deps.client, pipeline, { maxPages: HISTORY_PAGES });
        restore = restoreSeconds(
            deployAttempts(service, config.deployStage, runs, () => undefined),
            attempt,
        );
    }
    const doc = emfDocument(
        attempt.finishedAt,
        { service, environment: config.environment, pipeline, executionId },
        { ...counts, leadTime: leadTimeSeconds(attempt), timeToRestore: restore },
    );
    if (doc) deps.write(JSON.stringify(doc));
    return doc;
}

/** A succeeded execution or a failed Deploy stage; anything else the rule let through is ignored. */
function outcomeOf(event: CodePipelineEvent, deployStage: string): DeployAttempt["outcome"] | undefined {
    const { state, stage } = event.detail;
    if (event["detail-type"] === PIPELINE_EXECUTION_EVENT && state === "SUCCEEDED") return "succeeded";
    if (event["detail-type"] === STAGE_EXECUTION_EVENT && stage === deployStage && state === "FAILED") return "failed";
    return undefined;
}

/** The bundle's pipeline → service map, next to this file (written by `components/delivery-metrics.ts`). */
export const PIPELINES_FILE = "pipelines.json";

/**
 * Reads the settings `model/metrics` put in the environment, and takes the pipeline → service map the bundle
 * carries, failing loudly on a broken deployment.
 */
export function configFromEnvironment(
    env: NodeJS.ProcessEnv,
    services: Readonly<Record<string, string>>,
): HandlerConfig {
    const missing = ["ENVIRONMENT", "DEPLOY_STAGE"].filter((k) => !env[k]);
    if (missing.length > 0) throw new Error(`environment variables ${missing.join(", ")} are not set`);
    return { environment: env.ENVIRONMENT!, services, deployStage: env.DEPLOY_STAGE! };
}

let runtime: Dependencies | undefined;

/**
 * Lambda entry point. Errors propagate so Lambda retries the asynchronous invocation
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html). EMF lines go straight to stdout, bypassing
 * the runtime's console formatting, so each line is the JSON document alone.
 */
export async function handler(event: CodePipelineEvent): Promise<void> {
    runtime ??= {
        client: new CodePipelineClient({}),
        // Read once per cold start; a missing or broken file throws, so the invocation fails and is retried.
        config: configFromEnvironment(
            process.env,
            JSON.parse(fs.readFileSync(path.join(__dirname, PIPELINES_FILE), "utf8")) as Record<string, string>,
        ),
        write: (line) => void process.stdout.write(`${line}\n`),
    };
    await handleEvent(event, runtime);
}
