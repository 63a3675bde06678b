import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
    CodePipelineClient,
    PutJobFailureResultCommand,
    PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";

/**
 * "Only deploy if user-feedback ratings hold": a CodePipeline Lambda invoke check. It reads the average rating a
 * service's feedback metric recorded over the last hours and reports the job as succeeded or failed. Whatever
 * happens it reports a result: a check that never answers leaves the action hanging until it times out.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-Lambda.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-invoke-lambda-function.html
 *
 * The event also carries temporary artifact credentials, so it is never logged.
 */

/** `UserParameters`, as JSON: the metric (with a `Service` dimension) and the thresholds. */
export interface RatingsParameters {
    readonly namespace: string;
    readonly metric: string;
    readonly service: string;
    /** Lowest acceptable average rating. */
    readonly minimumAverage: number;
    /** Fewer ratings than this prove nothing: the check fails (fail safe). */
    readonly minimumCount: number;
    /** Window to average over, in hours (1-24). */
    readonly hours: number;
}

export interface JobEvent {
    readonly "CodePipeline.job": {
        readonly id: string;
        readonly data: {
            readonly actionConfiguration: { readonly configuration: { readonly UserParameters?: string } };
        };
    };
}

export interface Clients {
    readonly codepipeline: CodePipelineClient;
    readonly cloudwatch: CloudWatchClient;
    readonly now: () => Date;
}

/** The parameters, or a sentence saying what is wrong with them. */
export function parseParameters(text: string | undefined): RatingsParameters | string {
    let value: Record<string, unknown>;
    try {
        value = JSON.parse(text ?? "");
    } catch {
        return "UserParameters must be JSON: { namespace, metric, service, minimumAverage, minimumCount, hours }";
    }
    for (const key of ["namespace", "metric", "service"])
        if (typeof value[key] !== "string" || value[key] === "") return `UserParameters.${key} must be a string`;
    for (const key of ["minimumAverage", "minimumCount", "hours"])
        if (typeof value[key] !== "number" || !Number.isFinite(value[key]))
            return `UserParameters.${key} must be a number`;
    if ((value.hours as number) < 1 || (value.hours as number) > 24) return "UserParameters.hours must be 1-24";
    return value as unknown as RatingsParameters;
}

/** Why the ratings do not hold, or undefined when they do. */
async function judge(p: RatingsParameters, clients: Clients): Promise<string | undefined> {
    const end = clients.now();
    const start = new Date(end.getTime() - p.hours * 3_600_000);
    const { Datapoints = [] } = await clients.cloudwatch.send(
        new GetMetricStatisticsCommand({
            Namespace: p.namespace,
            MetricName: p.metric,
            Dimensions: [{ Name: "Service", Value: p.service }],
            StartTime: start,
            EndTime: end,
            Period: p.hours * 3600,
            Statistics: ["Average", "SampleCount"],
        }),
    );
    const count = Datapoints.reduce((n, d) => n + (d.SampleCount ?? 0), 0);
    if (count < p.minimumCount) return `only ${count} ratings in ${p.hours} h, fewer than the ${p.minimumCount} needed`;
    const sum = Datapoints.reduce((s, d) => s + (d.Average ?? 0) * (d.SampleCount ?? 0), 0);
    const average = sum / count;
    return average < p.minimumAverage ? `average rating ${average.toFixed(2)} is below ${p.minimumAverage}` : undefined;
}

/** Runs the check for one job and reports its result to CodePipeline. */
export async function check(event: JobEvent, clients: Clients): Promise<void> {
    const job = event["CodePipeline.job"];
    let failure: string | undefined;
    try {
        const p = parseParameters(job.data.actionConfiguration.configuration.UserParameters);
        failure = typeof p === "string" ? p : await judge(p, clients);
    } catch (err) {
        failure = `could not read the ratings: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (failure === undefined) {
        await clients.codepipeline.send(new PutJobSuccessResultCommand({ jobId: job.id }));
        return;
    }
    await clients.codepipeline.send(
        new PutJobFailureResultCommand({
            jobId: job.id,
            failureDetails: { type: "JobFailed", message: failure.slice(0, 5000) },
        }),
    );
}

const clients: Clients = {
    codepipeline: new CodePipelineClient({}),
    cloudwatch: new CloudWatchClient({}),
    now: () => new Date(),
};

export const handler = (event: JobEvent): Promise<void> => check(event, clients);
