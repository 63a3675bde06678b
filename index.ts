import * as aws from "@pulumi/aws";
import { ArtifactStore } from "./components/artifact-store";
import { DeliveryMetrics } from "./components/delivery-metrics";
import { DeliveryPipeline } from "./components/delivery-pipeline";
import { DeadLetterQueue } from "./components/dead-letter-queue";
import { EncryptedTopic } from "./components/encrypted-topic";
import { RegionalArtifactStore } from "./components/regional-artifact-store";
import { ReleaseStore } from "./components/release-store";
import { SourceEvents } from "./components/source-events";
import { planEnvironment } from "./model/environment";
import { loadPlatformConfig } from "./stacks/load";

// Composition root: load and validate the stack's config, plan the environment (both throw before any resource
// exists), then create the components from the plan. No AWS resource is created here except the provider.
const { stackFile, stackDefaultTags, configSources, ...config } = loadPlatformConfig();
const plan = planEnvironment(config, { stackFile, stackDefaultTags, configSources });

// One explicit provider for everything: it allows only the environment's account (`pulumi up` with other
// credentials refuses to run) and tags every taggable resource with the environment and its tier, which the
// policy pack reads to tell production apart.
// https://www.pulumi.com/registry/packages/aws/api-docs/provider/
const provider = new aws.Provider("aws", {
    region: plan.provider.region as aws.Region,
    allowedAccountIds: [...plan.provider.allowedAccountIds],
    defaultTags: { tags: { ...plan.provider.defaultTags } },
});
const providers = { providers: { aws: provider } };

const artifactStore = new ArtifactStore("artifacts", { plan: plan.artifactStore }, providers);
// Waves: an artifact store (bucket and key) in each other region a pipeline deploys to, with that region's provider.
const regionalStores = plan.artifactStore.regions.map((regional) => {
    const regionProvider = new aws.Provider(`aws-${regional.region}`, {
        region: regional.region as aws.Region,
        allowedAccountIds: [...plan.provider.allowedAccountIds],
        defaultTags: { tags: { ...plan.provider.defaultTags } },
    });
    return new RegionalArtifactStore(
        `artifacts-${regional.region}`,
        { plan: regional, protect: plan.artifactStore.protect, retentionDays: plan.artifactStore.retentionDays },
        { providers: { aws: regionProvider } },
    );
});
// Release chain: where this environment's pipelines start from (verify and release environments only).
const releaseStore = plan.releaseStore
    ? new ReleaseStore("releases", { plan: plan.releaseStore, keyArn: artifactStore.keyArn }, providers)
    : undefined;
const notifications = new EncryptedTopic(
    "notifications",
    { topic: plan.notifications, keyArn: artifactStore.keyArn },
    providers,
);
const sourceEvents = plan.sourceEvents
    ? new SourceEvents("source-events", { plan: plan.sourceEvents }, providers)
    : undefined;

// Where every EventBridge target of the environment sends the events it could not deliver.
const eventsDeadLetterQueue = new DeadLetterQueue(
    "events-dlq",
    { plan: plan.eventsDeadLetterQueue, keyArn: artifactStore.keyArn },
    providers,
);
const deadLetter = {
    deadLetterQueueArn: eventsDeadLetterQueue.queueArn,
    deadLetterDependsOn: [eventsDeadLetterQueue.policy],
};

const pipelines = plan.pipelines.map(
    (pipeline) =>
        new DeliveryPipeline(
            pipeline.service,
            {
                pipeline,
                artifactStore,
                regionalStores,
                notificationTopicArn: notifications.topicArn,
                notificationDependsOn: [notifications.policy],
                eventsRoleArn: sourceEvents?.roleArn,
                eventsDependsOn: sourceEvents ? [sourceEvents.rolePolicy] : [],
                ...deadLetter,
            },
            providers,
        ),
);

// DORA metrics: a rule on the pipelines' executions, a handler, a dashboard and alarms on the environment's topic.
const deliveryMetrics = new DeliveryMetrics(
    "delivery-metrics",
    { model: plan.metrics, keyArn: artifactStore.keyArn, alarmTopicArn: notifications.topicArn, ...deadLetter },
    providers,
);

export const artifactBucket = artifactStore.bucketName;
export const releaseBucket = releaseStore?.bucketName;
export const artifactKeyArn = artifactStore.keyArn;
export const notificationTopicArn = notifications.topicArn;
export const pipelineArns = Object.fromEntries(pipelines.map((p) => [p.plan.service, p.pipelineArn]));
export const approverPolicyArns = Object.fromEntries(
    pipelines.flatMap((p) => (p.approverPolicyArn ? [[p.plan.service, p.approverPolicyArn]] : [])),
);
export const deliveryDashboardName = deliveryMetrics.dashboardName;
/** Policies to attach to the instance roles of EC2 deploys (CodeDeploy's agent downloads revisions with them). */
export const revisionReaderPolicyArns = Object.fromEntries(
    pipelines.flatMap((p) => (p.revisionReaderPolicyArn ? [[p.plan.service, p.revisionReaderPolicyArn]] : [])),
);
