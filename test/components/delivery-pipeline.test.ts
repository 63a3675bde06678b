import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DeadLetterQueue } from "../../components/dead-letter-queue";
import { DeliveryPipeline } from "../../components/delivery-pipeline";
import { SourceEvents } from "../../components/source-events";
import type { EnvironmentConfig } from "../../stacks/environment-schema";
import type { ServiceConfig } from "../../stacks/service-schema";
import {
    ecsBlueGreenDeploy,
    environment,
    lambdaDeploy,
    planOf,
    prodEnvironment,
    service,
    smokeTests,
} from "../fixtures/config";
import { childrenOf, find, withMocks } from "../support/mock-runtime";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TOPIC = "arn:aws:sns:eu-west-1:111111111111:cicd-dev-pipeline-events";
const DLQ = "arn:aws:sqs:eu-west-1:111111111111:cicd-dev-events-dlq";

function plan(env: EnvironmentConfig, svc: ServiceConfig, stack = env.name) {
    const environmentPlan = planOf(env, svc);
    return withMocks(
        stack,
        () => {
            new DeliveryPipeline(svc.name, {
                pipeline: environmentPlan.pipelines[0],
                artifactStore: { keyArn: KEY, bucketName: "artifacts-bucket" },
                notificationTopicArn: TOPIC,
                // Pipelines fed by releases start through EventBridge (their events role is the environment's).
                ...(environmentPlan.releaseStore
                    ? { eventsRoleArn: environmentPlan.sourceEvents?.roleArn, deadLetterQueueArn: DLQ }
                    : {}),
            });
        },
        env.accountId,
    );
}

const PIPELINE = "aws:codepipeline/pipeline:Pipeline";

describe("DeliveryPipeline", () => {
    it("registers its children under itself, named after the service by role", async () => {
        const resources = await plan(
            environment(),
            service({
                deploy: ecsBlueGreenDeploy,
                tests: { unit: { commands: ["npm test"], reports: ["junit.xml"] } },
            }),
        );
        const component = find(resources, "cicd:pipeline:DeliveryPipeline", "web");
        assert.deepEqual(
            childrenOf(resources, component)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [
                "aws:codedeploy/application:Application web-deploy-application",
                "aws:codedeploy/deploymentGroup:DeploymentGroup web-deploy-deployment-group",
                "aws:codepipeline/pipeline:Pipeline web-pipeline",
                "aws:codestarnotifications/notificationRule:NotificationRule web-notifications",
                "aws:iam/role:Role web-build-role",
                "aws:iam/role:Role web-deploy-role",
                "aws:iam/role:Role web-pipeline-role",
                "aws:iam/role:Role web-test-role",
                "aws:iam/rolePolicy:RolePolicy web-build-policy",
                "aws:iam/rolePolicy:RolePolicy web-deploy-policy",
                "aws:iam/rolePolicy:RolePolicy web-pipeline-policy",
                "aws:iam/rolePolicy:RolePolicy web-test-policy",
                "cicd:build:BuildProject web-build",
                "cicd:build:BuildProject web-unit",
            ],
        );
        const unit = find(resources, "cicd:build:BuildProject", "web-unit");
        assert.deepEqual(
            childrenOf(resources, unit)
                .map((r) => r.name)
                .sort(),
            ["web-unit-logs", "web-unit-project", "web-unit-reports"],
        );
        assert.equal(
            unit.urn,
            "urn:pulumi:dev::cicd-platform::cicd:pipeline:DeliveryPipeline$cicd:build:BuildProject::web-unit",
        );
    });

    it("creates a V2 pipeline with the environment's execution mode and encrypted artifact store", async () => {
        const resources = await plan(prodEnvironment(), service());
        const pipeline = find(resources, PIPELINE, "web-pipeline").inputs as any;
        assert.equal(pipeline.pipelineType, "V2");
        assert.equal(pipeline.executionMode, "QUEUED");
        assert.equal(pipeline.name, "web-prod");
        assert.deepEqual(pipeline.artifactStores, [
            { location: "artifacts-bucket", type: "S3", encryptionKey: { id: KEY, type: "KMS" } },
        ]);
    });

    it("puts an approval that notifies its encrypted topic before the production deploy", async () => {
        const resources = await plan(
            prodEnvironment(),
            service({ approval: { reviewUrl: "https://release.example.com" }, tests: smokeTests }),
        );
        const stages = (find(resources, PIPELINE, "web-pipeline").inputs as any).stages;
        assert.deepEqual(
            stages.map((s: any) => s.name),
            ["Source", "Approve", "Deploy"],
        );
        // The provenance action runs first and exports the variables the approval's CustomData shows.
        assert.deepEqual(
            stages[1].actions.map((a: any) => [a.name, a.runOrder, a.namespace]),
            [
                ["ReadProvenance", 1, "Release"],
                ["Approve", 2, undefined],
            ],
        );
        const approve = stages[1].actions[1];
        assert.equal(approve.provider, "Manual");
        assert.match(
            approve.configuration.NotificationArn,
            /^arn:aws:sns:eu-west-1:333333333333:cicd-prod-web-approval/,
        );
        assert.equal(approve.configuration.ExternalEntityLink, "https://release.example.com");
        const topic = find(resources, "aws:sns/topic:Topic", "web-approval-topic");
        assert.equal(topic.inputs.kmsMasterKeyId, KEY);
        const approver = JSON.parse(
            String(find(resources, "aws:iam/policy:Policy", "web-approval-approver").inputs.policy),
        );
        const put = approver.Statement.find((s: any) => s.Action.includes("codepipeline:PutApprovalResult"));
        assert.deepEqual(put.Resource, ["arn:aws:codepipeline:eu-west-1:333333333333:web-prod/Approve/Approve"]);
    });

    it("deploys Lambda with the V2 Lambda deploy action and alarm rollback, without CodeDeploy", async () => {
        const resources = await plan(
            environment(),
            service({ deploy: { ...lambdaDeploy, strategy: "Canary10Percent5Minutes" } }),
        );
        const deploy = (find(resources, PIPELINE, "web-pipeline").inputs as any).stages.at(-1);
        assert.deepEqual(
            [deploy.actions[0].category, deploy.actions[0].provider, deploy.actions[0].version],
            ["Deploy", "Lambda", "1"],
        );
        assert.deepEqual(deploy.actions[0].configuration, {
            FunctionName: "orders-api",
            FunctionAlias: "live",
            DeployStrategy: "Canary10Percent5Minutes",
            Alarms: "orders-errors",
        });
        assert.deepEqual(deploy.actions[0].inputArtifacts, ["BuildOutput"]);
        assert.deepEqual(deploy.onSuccess, {
            condition: {
                result: "ROLLBACK",
                rules: [
                    {
                        name: "Alarm1",
                        ruleTypeId: { category: "Rule", owner: "AWS", provider: "CloudWatchAlarm", version: "1" },
                        configuration: { AlarmName: "orders-errors", AlarmStates: "ALARM", WaitTime: "10" },
                    },
                ],
            },
        });
        assert.deepEqual(
            resources.filter((r) => r.type.startsWith("aws:codedeploy/") || r.name.endsWith("-deploy-role")),
            [],
        );
    });

    it("routes blue/green test traffic to green and continues on its own (nothing calls ContinueDeployment)", async () => {
        const listener = ecsBlueGreenDeploy.listenerArn.replace(/[0-9a-f]+$/, "9c8b7a6f5e4d3c2b");
        const resources = await plan(
            environment(),
            service({ deploy: { ...ecsBlueGreenDeploy, testListenerArn: listener } }),
        );
        const group = find(resources, "aws:codedeploy/deploymentGroup:DeploymentGroup", "web-deploy-deployment-group")
            .inputs as any;
        // STOP_DEPLOYMENT would stop and roll back every deployment; a wait is valid only with STOP_DEPLOYMENT.
        assert.deepEqual(group.blueGreenDeploymentConfig.deploymentReadyOption, {
            actionOnTimeout: "CONTINUE_DEPLOYMENT",
        });
        assert.deepEqual(group.loadBalancerInfo.targetGroupPairInfo.testTrafficRoute, { listenerArns: [listener] });
    });

    it("has at most four roles (pipeline, build, test, deploy), none with a wildcard action", async () => {
        const resources = await plan(
            environment(),
            service({
                deploy: ecsBlueGreenDeploy,
                tests: { unit: { commands: ["u"] }, integration: { commands: ["i"] } },
            }),
        );
        const roles = resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.name);
        assert.deepEqual(roles.sort(), ["web-build-role", "web-deploy-role", "web-pipeline-role", "web-test-role"]);
        for (const rp of resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")) {
            const actions = JSON.parse(String(rp.inputs.policy)).Statement.flatMap((s: any) => s.Action);
            assert.deepEqual(
                actions.filter((a: string) => a.includes("*")),
                [],
                rp.name,
            );
        }
    });

    it("runs the build under the build role and every test project under the test role", async () => {
        const resources = await plan(
            environment(),
            service({ tests: { unit: { commands: ["u"] }, security: { commands: ["s"] } } }),
        );
        const roleOf = (name: string) =>
            String((find(resources, "aws:codebuild/project:Project", name).inputs as any).serviceRole);
        assert.match(roleOf("web-build-project"), /:role\/cicd\/dev\/web-dev-build$/);
        assert.match(roleOf("web-unit-project"), /:role\/cicd\/dev\/web-dev-test$/);
        assert.match(roleOf("web-security-project"), /:role\/cicd\/dev\/web-dev-test$/);
    });

    it("turns on privileged mode only for the image build", async () => {
        const svc = service({
            build: { buildspecFile: "buildspec.yml", containerImage: true, imageRepository: "acme/web" },
            tests: { unit: { commands: ["u"] } },
        });
        const resources = await plan(environment(), svc);
        const privileged = (name: string) =>
            (find(resources, "aws:codebuild/project:Project", name).inputs as any).environment.privilegedMode;
        assert.equal(privileged("web-build-project"), true);
        assert.equal(privileged("web-unit-project"), false);
    });

    it("passes secrets by reference, never by value", async () => {
        const svc = service({
            build: { commands: { build: ["make"] }, secrets: { NPM_TOKEN: { parameter: "/dev/npm-token" } } },
        });
        const resources = await plan(environment(), svc);
        const vars = (find(resources, "aws:codebuild/project:Project", "web-build-project").inputs as any).environment
            .environmentVariables;
        assert.deepEqual(vars, [{ name: "NPM_TOKEN", value: "/dev/npm-token", type: "PARAMETER_STORE" }]);
    });

    it("encrypts build logs with the environment key and keeps them for the configured days", async () => {
        const resources = await plan(environment({ logRetentionDays: 30 }), service());
        const logs = find(resources, "aws:cloudwatch/logGroup:LogGroup", "web-build-logs").inputs;
        assert.deepEqual(
            [logs.name, logs.kmsKeyId, logs.retentionInDays],
            ["/cicd/dev/codebuild/web-dev-build", KEY, 30],
        );
    });

    it("configures blue/green with alarm rollback on the deployment group", async () => {
        const resources = await plan(environment(), service({ deploy: ecsBlueGreenDeploy }));
        const group = find(resources, "aws:codedeploy/deploymentGroup:DeploymentGroup", "web-deploy-deployment-group")
            .inputs as any;
        assert.deepEqual(group.autoRollbackConfiguration, {
            enabled: true,
            events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
        });
        assert.deepEqual(group.alarmConfiguration, { enabled: true, alarms: ["web-5xx"] });
        assert.deepEqual(group.deploymentStyle, {
            deploymentOption: "WITH_TRAFFIC_CONTROL",
            deploymentType: "BLUE_GREEN",
        });
        assert.match(group.serviceRoleArn, /:role\/cicd\/dev\/web-dev-deploy$/);
    });

    it("notifies the environment topic of failures, successes and pending approvals", async () => {
        const resources = await plan(environment(), service());
        const rule = find(resources, "aws:codestarnotifications/notificationRule:NotificationRule", "web-notifications")
            .inputs as any;
        assert.deepEqual(rule.targets, [{ address: TOPIC, type: "SNS" }]);
        assert.equal(rule.eventTypeIds.length, 3);
    });

    it("tags its resources with the service and pipeline", async () => {
        const resources = await plan(environment(), service());
        assert.deepEqual(find(resources, PIPELINE, "web-pipeline").inputs.tags, {
            service: "web",
            pipeline: "web-dev",
        });
    });

    it("starts a CodeCommit-sourced pipeline from EventBridge on a push to its branch", async () => {
        const env = environment();
        const svc = service({ source: { kind: "codecommit", repository: "web", branch: "trunk" } });
        const environmentPlan = planOf(env, svc);
        const resources = await withMocks("dev", () => {
            const events = new SourceEvents("source-events", { plan: environmentPlan.sourceEvents! });
            const dlq = new DeadLetterQueue("events-dlq", { plan: environmentPlan.eventsDeadLetterQueue, keyArn: KEY });
            new DeliveryPipeline(svc.name, {
                pipeline: environmentPlan.pipelines[0],
                artifactStore: { keyArn: KEY, bucketName: "artifacts-bucket" },
                notificationTopicArn: TOPIC,
                eventsRoleArn: events.roleArn,
                eventsDependsOn: [events.rolePolicy],
                deadLetterQueueArn: dlq.queueArn,
                deadLetterDependsOn: [dlq.policy],
            });
        });
        const rule = JSON.parse(
            String(find(resources, "aws:cloudwatch/eventRule:EventRule", "web-source-change").inputs.eventPattern),
        );
        assert.deepEqual(rule.resources, ["arn:aws:codecommit:eu-west-1:111111111111:web"]);
        assert.deepEqual(rule.detail.referenceName, ["trunk"]);
        const target = find(resources, "aws:cloudwatch/eventTarget:EventTarget", "web-source-change-target").inputs;
        assert.match(String(target.arn), /^arn:aws:codepipeline:eu-west-1:111111111111:web-dev/);
        assert.match(String(target.roleArn), /:role\/cicd\/dev\/cicd-dev-source-events$/);
        // Named from the catalogue, so the dead-letter queue's policy can match this environment's rules.
        assert.equal(
            find(resources, "aws:cloudwatch/eventRule:EventRule", "web-source-change").inputs.name,
            "web-dev-source-change",
        );
        // Undeliverable changes go to the environment's queue, once its policy lets EventBridge send there.
        assert.deepEqual(target.deadLetterConfig, { arn: "arn:aws:sqs:eu-west-1:111111111111:cicd-dev-events-dlq" });
        const targetResource = find(resources, "aws:cloudwatch/eventTarget:EventTarget", "web-source-change-target");
        const queuePolicy = find(resources, "aws:sqs/queuePolicy:QueuePolicy", "events-dlq-policy");
        assert.ok(
            targetResource.dependencies.includes(queuePolicy.urn),
            "the target does not wait for the queue policy",
        );
        const policy = JSON.parse(
            String(find(resources, "aws:iam/rolePolicy:RolePolicy", "source-events-policy").inputs.policy),
        );
        assert.deepEqual(policy.Statement, [
            {
                Sid: "StartPipelines",
                Effect: "Allow",
                Action: ["codepipeline:StartPipelineExecution"],
                Resource: ["arn:aws:codepipeline:eu-west-1:111111111111:web-dev"],
            },
        ]);
    });

    it("refuses a CodeCommit source without the environment's events role, before creating any child", async () => {
        await assert.rejects(
            plan(environment(), service({ source: { kind: "codecommit", repository: "web" } })),
            (err: Error) => {
                assert.ok(err instanceof pulumi.ResourceError);
                assert.match(
                    err.message,
                    /^`eventsRoleArn` is required: web's source starts the pipeline through EventBridge\. Pass the environment's SourceEvents role\./,
                );
                return true;
            },
        );
    });

    it("refuses an EventBridge-started pipeline without the environment's dead-letter queue", async () => {
        const env = environment();
        const svc = service({ source: { kind: "codecommit", repository: "web" } });
        const environmentPlan = planOf(env, svc);
        await assert.rejects(
            withMocks("dev", () => {
                new DeliveryPipeline(svc.name, {
                    pipeline: environmentPlan.pipelines[0],
                    artifactStore: { keyArn: KEY, bucketName: "artifacts-bucket" },
                    notificationTopicArn: TOPIC,
                    eventsRoleArn: environmentPlan.sourceEvents!.roleArn,
                });
            }),
            (err: Error) => {
                assert.ok(err instanceof pulumi.ResourceError);
                assert.match(
                    err.message,
                    /^`deadLetterQueueArn` is required: web's source starts the pipeline through EventBridge, whose target must keep the events it cannot deliver\. Pass the environment's DeadLetterQueue\./,
                );
                return true;
            },
        );
    });
});
