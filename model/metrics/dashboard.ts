import { DIMENSION_ENVIRONMENT, DIMENSION_SERVICE, METRICS, METRICS_NAMESPACE } from "./catalogue";
import { cloudWatchAlarmArn, deliveryAlarmName, type NameContext } from "../names";
import type { AlarmModel } from "./alarms";

/** What the dashboard needs to know about one service's pipeline. */
export interface DashboardPipeline {
    readonly service: string;
    readonly pipelineName: string;
    readonly projectNames: readonly string[];
}

/**
 * Metrics AWS publishes that the dashboard reads, with the page that lists them and their dimension:
 * - `AWS/CodeBuild` `Duration` and `FailedBuilds`, per `ProjectName`
 *   (https://docs.aws.amazon.com/codebuild/latest/userguide/cloudwatch_metrics-codebuild.html,
 *   https://docs.aws.amazon.com/codebuild/latest/userguide/codebuild-cloudwatch-dimensions.html);
 * - `AWS/CodePipeline` `FailedPipelineExecutions`, per `PipelineName`, published for V2 pipelines (AWS "CodePipeline
 *   adds CloudWatch Metrics support" announcement; the metric name as in the CloudWatch metric catalogue that AWS
 *   CDK generates its `CodePipelineMetrics.failedPipelineExecutionsSum` from). The pipeline-duration metric of the
 *   same announcement is not read: no AWS page found states its exact name.
 * Everything else comes from the stack's own handler (`catalogue.ts`).
 */
export const AWS_METRICS = {
    failedPipelineExecutions: {
        namespace: "AWS/CodePipeline",
        name: "FailedPipelineExecutions",
        dimension: "PipelineName",
    },
    buildDuration: { namespace: "AWS/CodeBuild", name: "Duration", dimension: "ProjectName" },
    failedBuilds: { namespace: "AWS/CodeBuild", name: "FailedBuilds", dimension: "ProjectName" },
} as const;

const DAY = 86400;

type MetricRow = (string | Record<string, unknown>)[];

const own = (metric: string, ctx: NameContext, service: string, options: Record<string, unknown>): MetricRow => [
    METRICS_NAMESPACE,
    metric,
    DIMENSION_SERVICE,
    service,
    DIMENSION_ENVIRONMENT,
    ctx.environment,
    options,
];

interface Placement {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
}

function graph(
    at: Placement,
    title: string,
    region: string,
    metrics: MetricRow[],
    extra: Record<string, unknown> = {},
) {
    return {
        type: "metric",
        ...at,
        properties: { title, region, view: "timeSeries", metrics, ...extra },
    };
}

/**
 * The environment's dashboard body (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
 * a header, the four DORA measures, the alarms, then pipeline health per service.
 */
export function deliveryDashboardBody(
    ctx: NameContext,
    pipelines: readonly DashboardPipeline[],
    alarms: readonly AlarmModel[],
): Record<string, unknown> {
    const region = ctx.region;
    const services = pipelines.map((p) => p.service);
    const perService = (metric: string, stat: string, period: number) =>
        services.map((s) => own(metric, ctx, s, { stat, period, label: s }));
    // Change failure rate per service: failures over attempts, in percent (metric math on the handler's counts).
    const cfr: MetricRow[] = services.flatMap((s, i) => [
        own(METRICS.changeFailures.name, ctx, s, { id: `c${i}`, stat: "Sum", period: DAY, visible: false }),
        own(METRICS.deployments.name, ctx, s, { id: `d${i}`, stat: "Sum", period: DAY, visible: false }),
        own(METRICS.failedDeployments.name, ctx, s, { id: `f${i}`, stat: "Sum", period: DAY, visible: false }),
        [{ expression: `100 * FILL(c${i}, 0) / (FILL(d${i}, 0) + FILL(f${i}, 0))`, label: s, id: `cfr${i}` }],
    ]);
    const aws = (m: (typeof AWS_METRICS)[keyof typeof AWS_METRICS], values: string[], stat: string): MetricRow[] =>
        values.map((v) => [m.namespace, m.name, m.dimension, v, { stat, period: 3600, label: v }]);
    const projects = pipelines.flatMap((p) => p.projectNames);
    const hours = { yAxis: { left: { label: "seconds", showUnits: false } } };
    return {
        start: "-P30D",
        periodOverride: "inherit",
        widgets: [
            {
                type: "text",
                x: 0,
                y: 0,
                width: 24,
                height: 2,
                properties: {
                    markdown:
                        `# Delivery: ${ctx.environment}\n` +
                        "Top row: the four DORA measures per service, one point per day. Middle: the alarms. " +
                        "Bottom: pipeline health from CodePipeline and CodeBuild. `npm run dora -- --stack " +
                        `${ctx.environment}\` computes the same measures from the CodePipeline API.`,
                },
            },
            graph(
                { x: 0, y: 2, width: 6, height: 6 },
                "Deployment frequency (per day)",
                region,
                perService(METRICS.deployments.name, "Sum", DAY),
                { stacked: true },
            ),
            graph(
                { x: 6, y: 2, width: 6, height: 6 },
                "Lead time for changes (median, s)",
                region,
                perService(METRICS.leadTime.name, "p50", DAY),
                hours,
            ),
            graph({ x: 12, y: 2, width: 6, height: 6 }, "Change failure rate (%)", region, cfr, {
                yAxis: { left: { min: 0, max: 100, showUnits: false } },
            }),
            graph(
                { x: 18, y: 2, width: 6, height: 6 },
                "Time to restore (mean, s)",
                region,
                perService(METRICS.timeToRestore.name, "Average", DAY),
                hours,
            ),
            {
                type: "alarm",
                x: 0,
                y: 8,
                width: 24,
                height: 2,
                properties: {
                    title: "Failed and rolled-back deployments",
                    alarms: alarms.map((a) => cloudWatchAlarmArn(ctx, deliveryAlarmName(ctx, a.id))),
                },
            },
            graph(
                { x: 0, y: 10, width: 8, height: 6 },
                "Failed pipeline executions",
                region,
                aws(
                    AWS_METRICS.failedPipelineExecutions,
                    pipelines.map((p) => p.pipelineName),
                    "Sum",
                ),
                { stacked: true },
            ),
            graph(
                { x: 8, y: 10, width: 8, height: 6 },
                "Build and test duration (average, s)",
                region,
                aws(AWS_METRICS.buildDuration, projects, "Average"),
                hours,
            ),
            graph(
                { x: 16, y: 10, width: 8, height: 6 },
                "Failed builds and tests",
                region,
                aws(AWS_METRICS.failedBuilds, projects, "Sum"),
                { stacked: true },
            ),
        ],
    };
}
