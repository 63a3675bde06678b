import { strict as assert } from "assert";
import { DeliveryPipeline } from "../../components/delivery-pipeline";
import { environment, planOf, prodEnvironment, service } from "../fixtures/config";
import { find, withMocks } from "../support/mock-runtime";
import { cloudFormationDeploy, ec2BlueGreenDeploy, ec2Deploy } from "./fixtures";
import type { EnvironmentConfig } from "../../stacks/environment-schema";
import type { ServiceConfig } from "../../stacks/service-schema";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function plan(env: EnvironmentConfig, svc: ServiceConfig) {
    const environmentPlan = planOf(env, svc);
    return withMocks(
        env.name,
        () => {
            new DeliveryPipeline(svc.name, {
                pipeline: environmentPlan.pipelines[0],
                artifactStore: { keyArn: KEY, bucketName: "artifacts-bucket" },
                notificationTopicArn: "arn:aws:sns:eu-west-1:111111111111:cicd-dev-pipeline-events",
                // Pipelines fed by releases (production) start through EventBridge, with the environment's role.
                ...(environmentPlan.releaseStore
                    ? {
                          eventsRoleArn: environmentPlan.sourceEvents?.roleArn,
                          deadLetterQueueArn: "arn:aws:sqs:eu-west-1:111111111111:cicd-prod-events-dlq",
                      }
                    : {}),
            });
        },
        env.accountId,
    );
}

describe("deploy kinds' resources (mocks)", () => {
    it("creates an in-place Server deployment group on the ASGs and tagged instances, rolled back on alarm", async () => {
        const resources = await plan(environment(), service({ deploy: ec2Deploy }));
        const app = find(resources, "aws:codedeploy/application:Application", "web-deploy-application").inputs as any;
        assert.equal(app.computePlatform, "Server");
        const group = find(resources, "aws:codedeploy/deploymentGroup:DeploymentGroup", "web-deploy-deployment-group");
        const inputs = group.inputs as any;
        assert.deepEqual(inputs.deploymentStyle, {
            deploymentOption: "WITHOUT_TRAFFIC_CONTROL",
            deploymentType: "IN_PLACE",
        });
        assert.deepEqual(inputs.autoscalingGroups, ["fleet-asg"]);
        assert.deepEqual(inputs.ec2TagFilters, [{ key: "service", value: "fleet", type: "KEY_AND_VALUE" }]);
        assert.equal(inputs.deploymentConfigName, "CodeDeployDefault.OneAtATime");
        assert.deepEqual(inputs.alarmConfiguration, { enabled: true, alarms: ["fleet-5xx"] });
        assert.deepEqual(inputs.autoRollbackConfiguration.events, ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]);
        assert.equal(inputs.ecsService, undefined);
        assert.equal(
            resources.some((r) => r.type === "aws:codedeploy/deploymentConfig:DeploymentConfig"),
            false,
        );
        const reader = find(resources, "aws:iam/policy:Policy", "web-revision-reader").inputs as any;
        assert.equal(reader.name, "web-dev-revision-reader");
        assert.equal(reader.path, "/cicd/dev/");
        assert.deepEqual(JSON.parse(reader.policy).Statement[0].Resource, ["arn:aws:s3:::artifacts-bucket/web-dev/*"]);
    });

    it("creates a blue/green group that copies the Auto Scaling group and terminates the originals after the wait", async () => {
        const resources = await plan(environment(), service({ deploy: ec2BlueGreenDeploy }));
        const inputs = find(resources, "aws:codedeploy/deploymentGroup:DeploymentGroup", "web-deploy-deployment-group")
            .inputs as any;
        assert.deepEqual(inputs.deploymentStyle, {
            deploymentOption: "WITH_TRAFFIC_CONTROL",
            deploymentType: "BLUE_GREEN",
        });
        assert.deepEqual(inputs.autoscalingGroups, ["fleet-asg"]);
        assert.deepEqual(inputs.blueGreenDeploymentConfig, {
            greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" },
            deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
            terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 30 },
        });
        assert.deepEqual(inputs.loadBalancerInfo, { targetGroupInfos: [{ name: "fleet-tg" }] });
    });

    it("creates the custom deployment configuration before the group that uses it", async () => {
        const resources = await plan(
            environment(),
            service({ deploy: { ...ec2Deploy, deploymentConfig: { minimumHealthyHostsPercent: 75 } } }),
        );
        const config = find(resources, "aws:codedeploy/deploymentConfig:DeploymentConfig", "web-deploy-config");
        assert.deepEqual(config.inputs, {
            deploymentConfigName: "web-dev-min-healthy",
            computePlatform: "Server",
            minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
        });
        const group = find(resources, "aws:codedeploy/deploymentGroup:DeploymentGroup", "web-deploy-deployment-group");
        assert.equal((group.inputs as any).deploymentConfigName, "web-dev-min-healthy");
        assert.ok(group.dependencies?.includes(config.urn), "the group waits for its configuration");
    });

    it("creates no CodeDeploy resources or role for CloudFormation, and puts the review between its steps", async () => {
        const resources = await plan(prodEnvironment(), service({ deploy: cloudFormationDeploy }));
        assert.deepEqual(
            resources.filter((r) => r.type.startsWith("aws:codedeploy/") || r.name === "web-deploy-role"),
            [],
        );
        const stages = (find(resources, "aws:codepipeline/pipeline:Pipeline", "web-pipeline").inputs as any).stages;
        const deploy = stages.find((s: any) => s.name === "Deploy");
        assert.deepEqual(
            deploy.actions.map((a: any) => [a.runOrder, a.name, a.category, a.provider, a.owner, a.version]),
            [
                [1, "CreateChangeSet", "Deploy", "CloudFormation", "AWS", "1"],
                [2, "ReviewChangeSet", "Approval", "Manual", "AWS", "1"],
                [3, "ExecuteChangeSet", "Deploy", "CloudFormation", "AWS", "1"],
            ],
        );
    });
});
