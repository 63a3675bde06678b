import { ArtifactStore } from "./components/artifact-store";
import { DeliveryMetrics } from "./components/delivery-metrics";
import { DeliveryPipeline } from "./components/delivery-pipeline";
import { EncryptedTopic } from "./components/encrypted-topic";
import { SourceEvents } from "./components/source-events";
import { planDeliveryMetrics } from "./model/metrics";
import { loadPlatformConfig } from "./stacks/load";

// Composition root: read and validate the stack's config (throws before any resource exists), then wire the
// environment's shared pieces to one DeliveryPipeline per service. No AWS resource is created here directly.
const { environment, services } = loadPlatformConfig();

const artifactStore = new ArtifactStore("artifacts", { environment });

const notifications = new EncryptedTopic("notifications", {
    environment,
    purpose: "pipeline-events",
    keyArn: artifactStore.keyArn,
    emails: environment.notifications.emails,
    allowNotifications: true,
});

const eventSourced = services.filter((s) => s.source.kind !== "codestar").map((s) => s.name);
const sourceEvents =
    eventSourced.length > 0 ? new SourceEvents("source-events", { environment, services: eventSourced }) : undefined;

const pipelines = services.map(
    (service) =>
        new DeliveryPipeline(service.name, {
            environment,
            service,
            artifactStore,
            notificationTopicArn: notifications.topicArn,
            eventsRoleArn: sourceEvents?.roleArn,
        }),
);

// DORA metrics: a rule on the pipelines' executions, a handler, a dashboard and alarms on the environment's topic.
const deliveryMetrics = new DeliveryMetrics("delivery-metrics", {
    model: planDeliveryMetrics(
        environment,
        pipelines.map((p) => p.model),
    ),
    keyArn: artifactStore.keyArn,
    alarmTopicArn: notifications.topicArn,
});

export const artifactBucket = artifactStore.bucketName;
export const artifactKeyArn = artifactStore.keyArn;
export const notificationTopicArn = notifications.topicArn;
export const pipelineArns = Object.fromEntries(pipelines.map((p) => [p.model.service, p.pipelineArn]));
export const approverPolicyArns = Object.fromEntries(
    pipelines.flatMap((p) => (p.approverPolicyArn ? [[p.model.service, p.approverPolicyArn]] : [])),
);
export const deliveryDashboardName = deliveryMetrics.dashboardName;
