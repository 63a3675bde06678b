import { DIMENSION_ENVIRONMENT, METRICS, METRICS_NAMESPACE, type MetricKey } from "./catalogue";
import { deliveryAlarmName, type NameContext } from "../names";

/** One CloudWatch alarm on a per-environment delivery metric, without its actions (the component adds the topic). */
export interface AlarmModel {
    readonly id: string;
    readonly name: string;
    readonly description: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly statistic: "Sum";
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    readonly threshold: number;
    readonly comparisonOperator: "GreaterThanOrEqualToThreshold";
    /**
     * No data means nothing was deployed, not that something broke. For alarms on embedded-metric-format metrics
     * AWS recommends deciding missing-data handling explicitly
     * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Alarms.html).
     */
    readonly treatMissingData: "notBreaching";
}

/** The two alarms: any failed deployment and any rollback in the environment within five minutes. */
export function deliveryAlarms(ctx: NameContext): AlarmModel[] {
    const alarm = (id: string, key: MetricKey, what: string): AlarmModel => ({
        id,
        name: deliveryAlarmName(ctx, id),
        description: `A ${what} in ${ctx.environment}: read the pipeline's execution history and the delivery dashboard.`,
        namespace: METRICS_NAMESPACE,
        metricName: METRICS[key].name,
        dimensions: { [DIMENSION_ENVIRONMENT]: ctx.environment },
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
    });
    return [
        alarm("failed-deployments", "failedDeployments", "deployment failed"),
        alarm("rolled-back-deployments", "rollbacks", "deployment was rolled back"),
    ];
}
