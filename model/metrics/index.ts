import type { EnvironmentConfig } from "../../stacks/environment-schema";
import type { PolicyDocument } from "../iam/document";
import * as names from "../names";
import { nameContext, type PipelineModel } from "../pipeline";
import { deliveryAlarms, type AlarmModel } from "./alarms";
import { deliveryDashboardBody, type DashboardPipeline } from "./dashboard";
import { deliveryEventPattern } from "./event-pattern";
import { deliveryMetricsRolePolicy, deliveryMetricsTrustPolicy } from "./iam";

export * from "./alarms";
export * from "./catalogue";
export * from "./dashboard";
export * from "./event-pattern";
export * from "./iam";

/**
 * Settings the handler reads from its environment variables (see `functions/delivery-metrics/handler.ts`). Their
 * size does not grow with the service count: the pipeline → service map travels in the code bundle instead.
 */
export interface HandlerSettings {
    readonly ENVIRONMENT: string;
    readonly DEPLOY_STAGE: string;
}

/** Everything the DeliveryMetrics component creates, as plain values. */
export interface DeliveryMetricsModel {
    readonly environment: string;
    readonly functionName: string;
    readonly roleName: string;
    readonly rolePath: string;
    readonly logGroupName: string;
    readonly logRetentionDays: number;
    readonly ruleName: string;
    readonly eventPattern: Record<string, unknown>;
    readonly dashboardName: string;
    readonly dashboardBody: Record<string, unknown>;
    readonly alarms: readonly AlarmModel[];
    readonly rolePolicy: PolicyDocument;
    readonly trustPolicy: PolicyDocument;
    readonly handlerSettings: HandlerSettings;
    /**
     * Pipeline name → service, shipped as `pipelines.json` in the handler's code bundle rather than as an environment
     * variable: Lambda caps all environment variables at 4 KB together, while a deployment package may be 50 MB
     * zipped (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), room for any environment.
     */
    readonly pipelineServices: Readonly<Record<string, string>>;
}

/** The name of a pipeline's deploy stage, which decides what a deployment is. */
export function deployStageName(pipeline: PipelineModel): string {
    const stage = pipeline.stages.find((s) => s.id === "deploy");
    if (!stage) throw new Error(`pipeline \`${pipeline.pipelineName}\` has no deploy stage to measure deployments by.`);
    return stage.name;
}

/** The delivery-metrics plan of one environment, from its pipelines' models. Pure. */
export function planDeliveryMetrics(env: EnvironmentConfig, pipelines: readonly PipelineModel[]): DeliveryMetricsModel {
    if (pipelines.length === 0) throw new Error("`pipelines` is empty: there is nothing to measure.");
    const ctx = nameContext(env);
    const stages = [...new Set(pipelines.map(deployStageName))];
    if (stages.length !== 1)
        throw new Error(`\`pipelines\` name their deploy stage differently (${stages.join(", ")}): use one name.`);
    const dashboardPipelines: DashboardPipeline[] = pipelines.map((p) => ({
        service: p.service,
        pipelineName: p.pipelineName,
        projectNames: p.projects.map((project) => project.name),
    }));
    const alarms = deliveryAlarms(ctx);
    const handlerSettings: HandlerSettings = { ENVIRONMENT: env.name, DEPLOY_STAGE: stages[0] };
    return {
        environment: env.name,
        functionName: names.deliveryMetricsName(ctx),
        roleName: names.deliveryMetricsName(ctx),
        rolePath: names.rolePath(ctx),
        logGroupName: names.deliveryMetricsLogGroupName(ctx),
        logRetentionDays: env.logRetentionDays,
        ruleName: names.deliveryEventsRuleName(ctx),
        eventPattern: deliveryEventPattern(names.pipelineNameSuffix(ctx), stages[0]),
        dashboardName: names.deliveryDashboardName(ctx),
        dashboardBody: deliveryDashboardBody(ctx, dashboardPipelines, alarms),
        alarms,
        rolePolicy: deliveryMetricsRolePolicy(
            ctx,
            pipelines.map((p) => p.service),
        ),
        trustPolicy: deliveryMetricsTrustPolicy(),
        handlerSettings,
        pipelineServices: Object.fromEntries(pipelines.map((p) => [p.pipelineName, p.service])),
    };
}
