import { environmentSchema, type EnvironmentConfig } from "../../stacks/environment-schema";
import { planEnvironment } from "../../model/environment";
import { serviceSchema, type ServiceConfig } from "../../stacks/service-schema";
import { buildPipelineModel, nameContext, type PipelineModel } from "../../model/pipeline";
import * as names from "../../model/names";
import type { NameContext } from "../../model/names";
import type { EnvironmentRefs } from "../../model/iam/document";

export const ACCOUNT = "111122223333";
export const OTHER_ACCOUNT = "444455556666";
export const REGION = "eu-west-1";
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e`;
export const FOREIGN_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-6b7a-4a8e-9d0a-2f4a9b1c3d5e`;
export const CONNECTION_ARN = `arn:aws:codeconnections:${REGION}:${ACCOUNT}:connection/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e`;
export const CROSS_ACCOUNT_DEPLOY_ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/cicd-deployer`;
export const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/web-task`;
export const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/web-task-execution`;
export const LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const TEST_LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/web/50dc6c495c0c9188/aaaadc8efc522ab2`;
export const SOURCE_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/5a5a5a5a-6b7a-4a8e-9d0a-2f4a9b1c3d5e`;
export const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:web/npm-token-AbCdEf`;

export const environment: EnvironmentConfig = environmentSchema.parse({
    name: "prod",
    // The build link of the release chain: these tests cover a pipeline that builds from git (production never does;
    // test/iam/release-chain.test.ts covers the release links).
    tier: "development",
    accountId: ACCOUNT,
    region: REGION,
    executionMode: "QUEUED",
    approval: { required: true },
    deployRoleArns: { [OTHER_ACCOUNT]: CROSS_ACCOUNT_DEPLOY_ROLE },
});

export const ctx: NameContext = nameContext(environment);
export const BUCKET = names.artifactBucketName(ctx);
export const refs: EnvironmentRefs = { keyArn: KEY_ARN, bucketName: BUCKET };
/** The approval topic of a service's pipeline, as the plan names it. */
export const approvalTopic = (service: string): string => names.topicArn(ctx, names.approvalTopicName(ctx, service));

const codestar = { kind: "codestar", connectionArn: CONNECTION_ARN, repository: "acme/web", branch: "main" };
const unit = { commands: ["npm test"], reports: ["reports/junit.xml"] };

/** A service in every shape the IAM documents branch on: deploy kinds, sources, container builds, cross-account. */
export const services = {
    /** The largest case: container build, every test suite, secrets of both kinds, S3 cache, blue/green. */
    web: serviceSchema.parse({
        name: "web",
        source: codestar,
        build: {
            commands: { build: ["docker build -t web ."] },
            containerImage: true,
            imageRepository: "acme/web",
            cache: "s3",
            secrets: {
                NPM_TOKEN: { secretArn: SECRET_ARN },
                SONAR_TOKEN: { parameter: "/cicd/prod/web/sonar-token" },
                DB_URL: { parameter: "/cicd/prod/web/db-url" },
            },
        },
        tests: {
            unit,
            integration: { commands: ["npm run it"], reports: ["reports/it.xml"] },
            security: { commands: ["npm audit"] },
        },
        deploy: {
            kind: "ecs-blue-green",
            cluster: "web-cluster",
            service: "web",
            passRoleArns: [TASK_ROLE, EXECUTION_ROLE],
            listenerArn: LISTENER_ARN,
            testListenerArn: TEST_LISTENER_ARN,
            targetGroups: ["web-blue", "web-green"],
            alarms: ["web-5xx", "web-latency"],
        },
    }),
    worker: serviceSchema.parse({
        name: "worker",
        source: { kind: "codecommit", repository: "worker" },
        build: { commands: { build: ["docker build ."] }, containerImage: true, imageRepository: "acme/worker" },
        tests: { unit },
        deploy: {
            kind: "ecs-rolling",
            cluster: "jobs",
            service: "worker",
            passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/worker-task`],
        },
    }),
    orders: serviceSchema.parse({
        name: "orders-api",
        source: {
            kind: "s3",
            bucket: "acme-source",
            objectKey: "orders/source.zip",
            eventBridgeEnabled: true,
            kmsKeyArn: SOURCE_KEY_ARN,
        },
        build: { commands: { build: ["npm ci", "npm run package"] }, cache: "none" },
        deploy: { kind: "lambda", functionName: "orders-api", alarms: ["orders-errors"] },
    }),
    site: serviceSchema.parse({
        name: "site",
        source: codestar,
        build: { commands: { build: ["npm run build"] } },
        deploy: { kind: "s3-site", bucket: "www-acme-com" },
    }),
    /** Deploys into another account through the environment's deploy role. */
    remoteSite: serviceSchema.parse({
        name: "partner-site",
        source: codestar,
        build: { commands: { build: ["npm run build"] } },
        deploy: { kind: "s3-site", bucket: "partner-acme-com", accountId: OTHER_ACCOUNT },
    }),
    remoteWorker: serviceSchema.parse({
        name: "remote-worker",
        source: { kind: "codecommit", repository: "remote-worker" },
        build: { commands: { build: ["make"] } },
        deploy: {
            kind: "ecs-rolling",
            cluster: "jobs",
            service: "remote-worker",
            passRoleArns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/remote-task`],
            accountId: OTHER_ACCOUNT,
        },
    }),
} satisfies Record<string, ServiceConfig>;

export type ServiceId = keyof typeof services;

export const model = (id: ServiceId): PipelineModel => buildPipelineModel(environment, services[id]);

/** The whole environment's plan for the fixture services (what the key and bucket policies are made from). */
export const environmentPlan = planEnvironment(
    { environment, services: Object.values(services) },
    { stackFile: "Pulumi.test.yaml" },
);
export const crossAccountReaders = environmentPlan.artifactStore.crossAccountReaders;
