import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleArchive, HANDLER, LAMBDA_RUNTIME } from "../functions/delivery-metrics/bundle";
import type { DeliveryMetricsModel } from "../model/metrics";

export interface DeliveryMetricsArgs {
    /** The environment's delivery-metrics plan (`planDeliveryMetrics`). */
    readonly model: DeliveryMetricsModel;
    /** The environment's KMS key: encrypts the handler's log group. */
    readonly keyArn: pulumi.Input<string>;
    /** The environment's encrypted topic the alarms notify. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** The environment's events dead-letter queue: the rule's target sends what the handler could not take. */
    readonly deadLetterQueueArn: pulumi.Input<string>;
    /** What must exist before the target names the queue (its policy, which lets EventBridge send). @default [] */
    readonly deadLetterDependsOn?: pulumi.Input<pulumi.Resource>[];
    /** @default {} */
    readonly tags?: Record<string, string>;
}

/**
 * DORA metrics for one environment: an EventBridge rule on its pipelines' executions feeds a Lambda handler that
 * writes embedded-metric-format logs to an encrypted log group; a dashboard shows the four measures and pipeline
 * health; two alarms notify the environment's topic of failed and rolled-back deployments.
 */
export class DeliveryMetrics extends pulumi.ComponentResource {
    public readonly functionArn: pulumi.Output<string>;
    public readonly dashboardName: pulumi.Output<string>;
    public readonly alarmArns: pulumi.Output<string>[];

    constructor(name: string, args: DeliveryMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:metrics:DeliveryMetrics", name, {}, opts);
        const { model } = args;
        const tags = args.tags ?? {};
        const child = { parent: this };

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: model.logGroupName, kmsKeyId: args.keyArn, retentionInDays: model.logRetentionDays, tags },
            child,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: model.roleName,
                path: model.rolePath,
                description: `delivery-metrics handler of ${model.environment}`,
                assumeRolePolicy: JSON.stringify(model.trustPolicy),
                maxSessionDuration: 3600,
                tags,
            },
            child,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            { role: role.id, policy: JSON.stringify(model.rolePolicy) },
            child,
        );
        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                name: model.functionName,
                description: `Turns ${model.environment} pipeline events into DORA metrics (embedded metric format)`,
                role: role.arn,
                runtime: LAMBDA_RUNTIME,
                handler: HANDLER,
                // Sources and the pipeline → service map (`pipelines.json`), which outgrows environment variables.
                code: new pulumi.asset.AssetArchive(
                    Object.fromEntries(
                        Object.entries(bundleArchive(model.pipelineServices)).map(([file, text]) => [
                            file,
                            new pulumi.asset.StringAsset(text),
                        ]),
                    ),
                ),
                timeout: 30,
                memorySize: 256,
                environment: { variables: { ...model.handlerSettings } },
                // The function logs to the encrypted group above instead of an unencrypted /aws/lambda/ one.
                // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                tags,
            },
            { parent: this, dependsOn: [policy, logGroup] },
        );
        const rule = new aws.cloudwatch.EventRule(
            `${name}-rule`,
            {
                name: model.ruleName,
                description: `Deployments and failed Deploy stages of ${model.environment}'s pipelines`,
                eventPattern: JSON.stringify(model.eventPattern),
                tags,
            },
            child,
        );
        // EventBridge needs a resource-based permission to invoke the function, for this rule only.
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
        const invoke = new aws.lambda.Permission(
            `${name}-invoke`,
            {
                action: "lambda:InvokeFunction",
                function: fn.name,
                principal: "events.amazonaws.com",
                sourceArn: rule.arn,
            },
            child,
        );
        // An event the function cannot take after EventBridge's retries goes to the dead-letter queue, not away.
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
        new aws.cloudwatch.EventTarget(
            `${name}-target`,
            { rule: rule.name, arn: fn.arn, deadLetterConfig: { arn: args.deadLetterQueueArn } },
            { parent: this, dependsOn: [invoke, ...(args.deadLetterDependsOn ?? [])] },
        );
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            { dashboardName: model.dashboardName, dashboardBody: JSON.stringify(model.dashboardBody) },
            child,
        );
        const alarms = model.alarms.map(
            (alarm) =>
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${alarm.id}`,
                    {
                        name: alarm.name,
                        alarmDescription: alarm.description,
                        namespace: alarm.namespace,
                        metricName: alarm.metricName,
                        dimensions: { ...alarm.dimensions },
                        statistic: alarm.statistic,
                        period: alarm.periodSeconds,
                        evaluationPeriods: alarm.evaluationPeriods,
                        threshold: alarm.threshold,
                        comparisonOperator: alarm.comparisonOperator,
                        treatMissingData: alarm.treatMissingData,
                        alarmActions: [args.alarmTopicArn],
                        tags,
                    },
                    child,
                ),
        );

        this.functionArn = fn.arn;
        this.dashboardName = dashboard.dashboardName;
        this.alarmArns = alarms.map((a) => a.arn);
        this.registerOutputs({
            functionArn: this.functionArn,
            dashboardName: this.dashboardName,
            alarmArns: this.alarmArns,
        });
    }
}
