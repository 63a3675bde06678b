import { strict as assert } from "node:assert";
import {
    AWS_METRICS,
    deliveryEventPattern,
    deployStageName,
    DIMENSION_ENVIRONMENT,
    DIMENSION_SERVICE,
    METRICS,
    METRICS_NAMESPACE,
    planDeliveryMetrics,
} from "../../model/metrics";
import { buildPipelineModel } from "../../model/pipeline";
import { serviceSchema } from "../../stacks/service-schema";
import { environment, model, services } from "../iam/fixtures";

const pipelines = [model("web"), model("orders")];
const plan = planDeliveryMetrics(environment, pipelines);

type Row = (string | Record<string, unknown>)[];
const widgets = plan.dashboardBody.widgets as {
    type: string;
    properties: { title?: string; metrics?: Row[]; alarms?: string[] };
}[];
const metricRows = widgets.flatMap((w) => w.properties.metrics ?? []).filter((r) => typeof r[0] === "string");

describe("delivery metrics plan", () => {
    it("watches succeeded executions and failed Deploy stages of the environment's pipelines only", () => {
        assert.deepEqual(plan.eventPattern, {
            source: ["aws.codepipeline"],
            "detail-type": [
                "CodePipeline Pipeline Execution State Change",
                "CodePipeline Stage Execution State Change",
            ],
            detail: {
                pipeline: [{ suffix: `-${environment.name}` }],
                $or: [
                    { stage: [{ exists: false }], state: ["SUCCEEDED"] },
                    { stage: ["Deploy"], state: ["FAILED"] },
                ],
            },
        });
    });

    it("matches every pipeline name of the environment by its suffix", () => {
        const suffix = ((plan.eventPattern.detail as { pipeline: { suffix: string }[] }).pipeline[0] ?? {}).suffix;
        for (const p of pipelines)
            assert.ok(p.pipelineName.endsWith(suffix), `${p.pipelineName} does not end in ${suffix}`);
    });

    it("gives the handler its pipeline-to-service map for the bundle, and two fixed-size settings", () => {
        assert.deepEqual(plan.pipelineServices, Object.fromEntries(pipelines.map((p) => [p.pipelineName, p.service])));
        assert.deepEqual(plan.handlerSettings, {
            ENVIRONMENT: environment.name,
            DEPLOY_STAGE: deployStageName(pipelines[0]),
        });
    });

    it("keeps the handler's log group under the environment's prefix, with the environment's retention", () => {
        assert.ok(plan.logGroupName.startsWith(`/cicd/${environment.name}/`));
        assert.equal(plan.logRetentionDays, environment.logRetentionDays);
    });

    it("dashboard reads only the handler's metrics (with its dimensions) and the AWS metrics listed with their pages", () => {
        const own = new Set<string>(Object.values(METRICS).map((m) => m.name));
        const aws = Object.values(AWS_METRICS);
        for (const row of metricRows) {
            const [namespace, name, ...rest] = row as string[];
            if (namespace === METRICS_NAMESPACE) {
                assert.ok(own.has(name), `dashboard reads ${name}, which the handler never emits`);
                assert.deepEqual(rest.slice(0, 4), [
                    DIMENSION_SERVICE,
                    rest[1],
                    DIMENSION_ENVIRONMENT,
                    environment.name,
                ]);
            } else {
                const known = aws.find((m) => m.namespace === namespace && m.name === name);
                assert.ok(known, `dashboard reads ${namespace} ${name}, which no cited AWS page lists`);
                assert.equal(rest[0], known.dimension);
            }
        }
    });

    it("dashboard shows the four measures per service and every pipeline and build project", () => {
        const titles = widgets.map((w) => w.properties.title);
        for (const t of [
            "Deployment frequency",
            "Lead time",
            "Change failure rate",
            "Time to restore",
            "Failed pipeline executions",
        ])
            assert.ok(
                titles.some((x) => x?.startsWith(t)),
                `no widget titled ${t}`,
            );
        const values = new Set(metricRows.map((r) => r[3]));
        for (const p of pipelines) {
            assert.ok(values.has(p.service) && values.has(p.pipelineName));
            for (const project of p.projects) assert.ok(values.has(project.name), `no widget for ${project.name}`);
        }
        const cfr = widgets.find((w) => w.properties.title?.startsWith("Change failure rate"))!;
        const expressions = cfr.properties
            .metrics!.filter((r) => typeof r[0] !== "string")
            .map((r) => (r[0] as { expression: string }).expression);
        assert.deepEqual(expressions, [
            "100 * FILL(c0, 0) / (FILL(d0, 0) + FILL(f0, 0))",
            "100 * FILL(c1, 0) / (FILL(d1, 0) + FILL(f1, 0))",
        ]);
    });

    it("alarms on failed and rolled-back deployments per environment, and the dashboard shows both", () => {
        assert.deepEqual(
            plan.alarms.map((a) => [a.name, a.metricName, a.dimensions, a.threshold, a.treatMissingData]),
            [
                [
                    "cicd-prod-failed-deployments",
                    METRICS.failedDeployments.name,
                    { environment: "prod" },
                    1,
                    "notBreaching",
                ],
                [
                    "cicd-prod-rolled-back-deployments",
                    METRICS.rollbacks.name,
                    { environment: "prod" },
                    1,
                    "notBreaching",
                ],
            ],
        );
        const alarmWidget = widgets.find((w) => w.type === "alarm")!;
        assert.deepEqual(
            alarmWidget.properties.alarms,
            plan.alarms.map((a) => `arn:aws:cloudwatch:eu-west-1:${environment.accountId}:alarm:${a.name}`),
        );
    });

    it("rejects no pipelines, and deploy stages named differently, naming the argument", () => {
        assert.throws(() => planDeliveryMetrics(environment, []), {
            message: "`pipelines` is empty: there is nothing to measure.",
        });
        const renamed = {
            ...pipelines[1],
            stages: pipelines[1].stages.map((s) => (s.id === "deploy" ? { ...s, name: "Release" } : s)),
        };
        assert.throws(() => planDeliveryMetrics(environment, [pipelines[0], renamed]), {
            message: "`pipelines` name their deploy stage differently (Deploy, Release): use one name.",
        });
        const stageless = { ...pipelines[0], stages: pipelines[0].stages.filter((s) => s.id !== "deploy") };
        assert.throws(() => deployStageName(stageless), {
            message: `pipeline \`${stageless.pipelineName}\` has no deploy stage to measure deployments by.`,
        });
        assert.throws(() => deliveryEventPattern("", "Deploy"), {
            message: "`pipelineNameSuffix` is empty: it would match every pipeline in the account; pass `-<env>`.",
        });
    });

    it("plans 1,000 services (the config's limit), with settings and a rule pattern that do not grow with them", () => {
        const many = (n: number) =>
            Array.from({ length: n }, (_, i) =>
                buildPipelineModel(
                    environment,
                    serviceSchema.parse({ ...services.orders, name: `service-number-${i}` }),
                ),
            );
        const small = planDeliveryMetrics(environment, many(1));
        const large = planDeliveryMetrics(environment, many(1000));
        assert.equal(Object.keys(large.pipelineServices).length, 1000);
        assert.equal(large.pipelineServices["service-number-999-prod"], "service-number-999");
        assert.deepEqual(large.eventPattern, small.eventPattern);
        assert.deepEqual(large.handlerSettings, small.handlerSettings);
    });
});
