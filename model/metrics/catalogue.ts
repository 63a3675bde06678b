/**
 * The custom metrics the delivery-metrics handler emits and the dashboard and alarms read: one list, so the
 * dashboard can only name metrics the stack produces. Imports nothing (it is part of the handler's bundle).
 */

/** Custom namespaces must not start with `AWS/` (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Namespace). */
export const METRICS_NAMESPACE = "CICD/Delivery";

export const DIMENSION_SERVICE = "service";
export const DIMENSION_ENVIRONMENT = "environment";

/**
 * Every data point carries both dimension sets: per service for the dashboard, per environment for the alarms
 * (an alarm watches one metric with exact dimensions, so a per-environment series avoids one alarm per service).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export const DIMENSION_SETS = [[DIMENSION_SERVICE, DIMENSION_ENVIRONMENT], [DIMENSION_ENVIRONMENT]] as const;

export type MetricUnit = "Count" | "Seconds";

export interface MetricDefinition {
    readonly name: string;
    readonly unit: MetricUnit;
    readonly description: string;
}

export const METRICS = {
    deployments: { name: "Deployments", unit: "Count", description: "successful deployments of a change" },
    failedDeployments: {
        name: "FailedDeployments",
        unit: "Count",
        description: "deployments whose Deploy stage failed",
    },
    rollbacks: { name: "RolledBackDeployments", unit: "Count", description: "successful rollback executions" },
    changeFailures: {
        name: "ChangeFailures",
        unit: "Count",
        description: "failed deployments plus manual rollbacks (the change failure rate's numerator)",
    },
    leadTime: { name: "LeadTime", unit: "Seconds", description: "newest commit to successful deployment" },
    timeToRestore: {
        name: "TimeToRestore",
        unit: "Seconds",
        description: "first failed deployment to the next successful one",
    },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;
