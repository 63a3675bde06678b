import { strict as assert } from "node:assert";
import { DeliveryMetrics } from "../../components/delivery-metrics";
import { HANDLER } from "../../functions/delivery-metrics/bundle";
import { planDeliveryMetrics } from "../../model/metrics";
import { environment, KEY_ARN, model } from "../iam/fixtures";
import { childrenOf, find, withMocks } from "../support/mock-runtime";

const TOPIC = "arn:aws:sns:eu-west-1:111122223333:cicd-prod-pipeline-events";
const DLQ = "arn:aws:sqs:eu-west-1:111122223333:cicd-prod-events-dlq";

describe("DeliveryMetrics component", () => {
    const plan = planDeliveryMetrics(environment, [model("web"), model("orders")]);
    let resources: Awaited<ReturnType<typeof withMocks>>;
    before(async () => {
        resources = await withMocks(
            "prod",
            () => {
                new DeliveryMetrics("metrics", {
                    model: plan,
                    keyArn: KEY_ARN,
                    alarmTopicArn: TOPIC,
                    deadLetterQueueArn: DLQ,
                });
            },
            "111122223333",
        );
    });
    const get = (type: string, name: string) => find(resources, type, name).inputs as Record<string, any>;

    it("creates its rule, handler, log group, role, dashboard and alarms as children", () => {
        const component = find(resources, "cicd:metrics:DeliveryMetrics", "metrics");
        assert.deepEqual(
            childrenOf(resources, component)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [
                "aws:cloudwatch/dashboard:Dashboard metrics-dashboard",
                "aws:cloudwatch/eventRule:EventRule metrics-rule",
                "aws:cloudwatch/eventTarget:EventTarget metrics-target",
                "aws:cloudwatch/logGroup:LogGroup metrics-logs",
                "aws:cloudwatch/metricAlarm:MetricAlarm metrics-failed-deployments",
                "aws:cloudwatch/metricAlarm:MetricAlarm metrics-rolled-back-deployments",
                "aws:iam/role:Role metrics-role",
                "aws:iam/rolePolicy:RolePolicy metrics-policy",
                "aws:lambda/function:Function metrics-function",
                "aws:lambda/permission:Permission metrics-invoke",
            ],
        );
    });

    it("encrypts the handler's log group with the environment key and keeps it for the environment's retention", () => {
        const logs = get("aws:cloudwatch/logGroup:LogGroup", "metrics-logs");
        assert.deepEqual(
            [logs.name, logs.kmsKeyId, logs.retentionInDays],
            [plan.logGroupName, KEY_ARN, environment.logRetentionDays],
        );
        const fn = get("aws:lambda/function:Function", "metrics-function");
        assert.equal(fn.loggingConfig.logGroup, plan.logGroupName);
    });

    it("runs the bundled handler on Node 24 with its pipeline map in the archive, after its policy exists", () => {
        const fn = find(resources, "aws:lambda/function:Function", "metrics-function");
        const inputs = fn.inputs as Record<string, any>;
        // nodejs20.x was deprecated on Apr 30, 2026 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
        assert.deepEqual([inputs.runtime, inputs.handler], ["nodejs24.x", HANDLER]);
        assert.deepEqual(inputs.environment.variables, { ENVIRONMENT: "prod", DEPLOY_STAGE: "Deploy" });
        const assets = inputs.code.assets as Record<string, { text: string }>;
        assert.deepEqual(JSON.parse(assets["functions/delivery-metrics/pipelines.json"].text), plan.pipelineServices);
        assert.equal(Object.keys(plan.pipelineServices).length, 2);
        assert.ok(`${HANDLER.slice(0, HANDLER.lastIndexOf("."))}.js` in assets, "the handler is not in the archive");
        const policy = find(resources, "aws:iam/rolePolicy:RolePolicy", "metrics-policy");
        assert.ok(fn.dependencies.includes(policy.urn));
        assert.deepEqual(JSON.parse(get("aws:iam/rolePolicy:RolePolicy", "metrics-policy").policy), plan.rolePolicy);
    });

    it("lets only its own rule invoke the function, with the plan's pattern", () => {
        const rule = get("aws:cloudwatch/eventRule:EventRule", "metrics-rule");
        assert.deepEqual(JSON.parse(rule.eventPattern), plan.eventPattern);
        const permission = find(resources, "aws:lambda/permission:Permission", "metrics-invoke");
        assert.equal((permission.inputs as any).principal, "events.amazonaws.com");
        assert.ok(
            permission.propertyDependencies.sourceArn.includes(
                find(resources, "aws:cloudwatch/eventRule:EventRule", "metrics-rule").urn,
            ),
        );
    });

    it("sends the events the handler could not take to the environment's dead-letter queue", () => {
        const target = find(resources, "aws:cloudwatch/eventTarget:EventTarget", "metrics-target");
        assert.deepEqual((target.inputs as any).deadLetterConfig, { arn: DLQ });
        assert.ok(
            target.dependencies.includes(find(resources, "aws:lambda/permission:Permission", "metrics-invoke").urn),
        );
    });

    it("notifies the environment's topic from both alarms and publishes the planned dashboard", () => {
        for (const id of ["failed-deployments", "rolled-back-deployments"])
            assert.deepEqual(get("aws:cloudwatch/metricAlarm:MetricAlarm", `metrics-${id}`).alarmActions, [TOPIC]);
        const dashboard = get("aws:cloudwatch/dashboard:Dashboard", "metrics-dashboard");
        assert.deepEqual(JSON.parse(dashboard.dashboardBody), plan.dashboardBody);
        assert.equal(dashboard.dashboardName, "cicd-prod-delivery");
    });
});
