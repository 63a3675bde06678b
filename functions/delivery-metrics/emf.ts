/**
 * CloudWatch embedded metric format: one JSON log line per event, from which CloudWatch Logs extracts the metrics.
 * Chosen over PutMetricData so the function needs no CloudWatch permission at all (only its own log streams).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import {
    DIMENSION_ENVIRONMENT,
    DIMENSION_SETS,
    DIMENSION_SERVICE,
    METRICS,
    METRICS_NAMESPACE,
    type MetricKey,
} from "../../model/metrics/catalogue";

export type MetricValues = Partial<Record<MetricKey, number>>;

/**
 * The EMF document for one deploy attempt: only the metrics with a value, both dimension sets, and the pipeline
 * and execution as searchable properties that are not dimensions (high cardinality stays out of the metrics).
 * `undefined` when there is nothing to record.
 */
export function emfDocument(
    at: Date,
    context: { service: string; environment: string; pipeline: string; executionId: string },
    values: MetricValues,
): Record<string, unknown> | undefined {
    const present = (Object.keys(values) as MetricKey[]).filter((k) => values[k] !== undefined && values[k] !== 0);
    if (present.length === 0) return undefined;
    return {
        _aws: {
            Timestamp: at.getTime(),
            CloudWatchMetrics: [
                {
                    Namespace: METRICS_NAMESPACE,
                    Dimensions: DIMENSION_SETS.map((set) => [...set]),
                    Metrics: present.map((k) => ({ Name: METRICS[k].name, Unit: METRICS[k].unit })),
                },
            ],
        },
        [DIMENSION_SERVICE]: context.service,
        [DIMENSION_ENVIRONMENT]: context.environment,
        pipeline: context.pipeline,
        executionId: context.executionId,
        ...Object.fromEntries(present.map((k) => [METRICS[k].name, values[k]])),
    };
}
