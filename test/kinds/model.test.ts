import { strict as assert } from "assert";
import { ACTIONS, contractProblems } from "../../model/actions";
import { buildPipelineModel, contractViolations, type ActionModel, type PipelineModel } from "../../model/pipeline";
import { approverPolicy } from "../../model/iam/approver-policy";
import { environment, prodEnvironment, service } from "../fixtures/config";
import { cloudFormationDeploy, ec2Deploy, ratingsCheck } from "./fixtures";

const deployActions = (m: PipelineModel): readonly ActionModel[] => m.stages.find((s) => s.id === "deploy")!.actions;
const order = (m: PipelineModel): string[] => deployActions(m).map((a) => `${a.runOrder} ${a.name} ${a.category}`);

describe("deploy kinds: ec2-codedeploy, cloudformation, lambda-check", () => {
    it("plans every action of each kind within its record's contract, in and out of production", () => {
        for (const env of [environment(), prodEnvironment()])
            for (const svc of [
                service({ deploy: ec2Deploy, checks: [ratingsCheck()] }),
                service({ deploy: cloudFormationDeploy, checks: [ratingsCheck("after-deploy")] }),
            ])
                assert.deepEqual(contractViolations(buildPipelineModel(env, svc)), []);
    });

    it("deploys EC2 through the CodeDeploy action with a Server application, group and service role", () => {
        const m = buildPipelineModel(environment(), service({ deploy: ec2Deploy }));
        const [deploy] = deployActions(m);
        assert.deepEqual(
            [deploy.provider, deploy.configuration, deploy.inputArtifacts],
            ["CodeDeploy", { ApplicationName: "web-dev", DeploymentGroupName: "web-dev" }, ["BuildOutput"]],
        );
        assert.deepEqual(m.roles, ["pipeline", "build", "test", "deploy"]);
        assert.equal(m.codeDeploy?.computePlatform, "Server");
        assert.equal(m.codeDeploy?.deploymentConfigName, "CodeDeployDefault.OneAtATime");
        assert.deepEqual(m.codeDeploy?.server, {
            autoScalingGroups: ["fleet-asg"],
            instanceRoleArn: "arn:aws:iam::111111111111:role/fleet-instance",
            ec2TagFilters: [{ key: "service", value: "fleet" }],
        });
    });

    it("names a custom deployment configuration for a minimum-healthy-hosts percentage", () => {
        const m = buildPipelineModel(
            environment(),
            service({ deploy: { ...ec2Deploy, deploymentConfig: { minimumHealthyHostsPercent: 75 } } }),
        );
        assert.equal(m.codeDeploy?.deploymentConfigName, "web-dev-min-healthy");
        assert.equal(m.codeDeploy?.server?.minimumHealthyHostsPercent, 75);
    });

    it("runs change set, review, execute in production, the review before the only step that changes the stack", () => {
        const m = buildPipelineModel(prodEnvironment(), service({ deploy: cloudFormationDeploy }));
        assert.deepEqual(order(m), [
            "1 CreateChangeSet Deploy",
            "2 ReviewChangeSet Approval",
            "3 ExecuteChangeSet Deploy",
        ]);
        const [prepare, review, execute] = deployActions(m);
        assert.equal(prepare.configuration.ActionMode, "CHANGE_SET_REPLACE");
        assert.equal(execute.configuration.ActionMode, "CHANGE_SET_EXECUTE");
        assert.equal(prepare.configuration.ChangeSetName, execute.configuration.ChangeSetName);
        assert.equal(review.configuration.NotificationArn, m.approval!.topicArn);
        assert.match(
            review.configuration.CustomData,
            new RegExp(`${prepare.configuration.ChangeSetName} of stack network`),
        );
        assert.match(
            review.configuration.ExternalEntityLink,
            /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudformation\//,
        );
        assert.deepEqual(m.approval!.reviews, [{ stageName: "Deploy", actionName: "ReviewChangeSet" }]);
    });

    it("executes the change set straight away where no approval is asked for", () => {
        const m = buildPipelineModel(environment(), service({ deploy: cloudFormationDeploy }));
        assert.deepEqual(order(m), ["1 CreateChangeSet Deploy", "2 ExecuteChangeSet Deploy"]);
        assert.equal(m.approval, undefined);
    });

    it("passes template, configuration, capabilities, overrides and the stack role to the change set", () => {
        const [prepare] = deployActions(buildPipelineModel(environment(), service({ deploy: cloudFormationDeploy })));
        assert.deepEqual(prepare.configuration, {
            ActionMode: "CHANGE_SET_REPLACE",
            StackName: "network",
            ChangeSetName: "web-dev-release",
            TemplatePath: "BuildOutput::network.yaml",
            TemplateConfiguration: "BuildOutput::config/dev.json",
            Capabilities: "CAPABILITY_NAMED_IAM",
            ParameterOverrides: '{"Environment":"dev"}',
            RoleArn: cloudFormationDeploy.roleArn,
        });
    });

    it("lets the approvers answer the change-set review as well as the release approval", () => {
        const m = buildPipelineModel(prodEnvironment(), service({ deploy: cloudFormationDeploy }));
        const doc = approverPolicy(
            { environment: "prod", accountId: "333333333333", region: "eu-west-1", partition: "aws" },
            { service: "web", stageName: "Approve", actionName: "Approve", reviews: m.approval!.reviews },
        );
        assert.deepEqual(doc.Statement[0].Resource, [
            "arn:aws:codepipeline:eu-west-1:333333333333:web-prod/Approve/Approve",
            "arn:aws:codepipeline:eu-west-1:333333333333:web-prod/Deploy/ReviewChangeSet",
        ]);
    });

    it("runs a check before the deploy as a gate, or after it so that a failure rolls the stage back", () => {
        const before = buildPipelineModel(environment(), service({ deploy: ec2Deploy, checks: [ratingsCheck()] }));
        assert.deepEqual(order(before), ["1 RatingsHold Invoke", "2 Deploy Deploy"]);
        const [check] = deployActions(before);
        assert.deepEqual(
            [check.provider, check.configuration],
            ["Lambda", { FunctionName: "ratings-check", UserParameters: '{"minimumAverage":4}' }],
        );
        const after = buildPipelineModel(
            prodEnvironment(),
            service({ deploy: cloudFormationDeploy, checks: [ratingsCheck("after-deploy")] }),
        );
        assert.deepEqual(order(after).at(-1), "4 RatingsHold Invoke");
        assert.equal(after.stages.at(-1)!.onFailure?.result, "ROLLBACK");
    });

    it("reports CloudFormation configurations its page rules out", () => {
        const shape = (configuration: Record<string, string>, inputs = 1) => ({
            configuration,
            inputArtifacts: Array.from({ length: inputs }, (_, i) => `In${i}`),
            outputArtifacts: [],
        });
        assert.deepEqual(
            contractProblems(ACTIONS.cloudFormation, shape({ ActionMode: "CHANGE_SET_REPLACE", StackName: "s" }, 0)),
            [
                "lacks `ChangeSetName`, which CHANGE_SET_REPLACE requires",
                "lacks `TemplatePath`, which CHANGE_SET_REPLACE requires",
                "lacks `RoleArn`, which CHANGE_SET_REPLACE requires",
                "needs the input artifact that holds the template",
            ],
        );
        assert.deepEqual(contractProblems(ACTIONS.cloudFormation, shape({ ActionMode: "UPSERT", StackName: "s" })), [
            'sets `ActionMode` to "UPSERT", which is not one of CREATE_UPDATE, DELETE_ONLY, REPLACE_ON_FAILURE, CHANGE_SET_REPLACE, CHANGE_SET_EXECUTE',
        ]);
        assert.deepEqual(contractProblems(ACTIONS.codeDeploy, shape({ ApplicationName: "a" }, 2)), [
            "lacks `DeploymentGroupName`, which the CodeDeploy action requires",
            "has 2 input artifact(s), but the action takes 1",
        ]);
        assert.deepEqual(contractProblems(ACTIONS.lambdaInvoke, shape({ UserParameters: "x" }, 0)), [
            "lacks `FunctionName`, which the Lambda action requires",
        ]);
        assert.deepEqual([ACTIONS.lambdaInvoke.category, ACTIONS.lambdaInvoke.provider], ["Invoke", "Lambda"]);
    });
});
