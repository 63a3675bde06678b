import { strict as assert } from "assert";
import { buildPipelineModel, type PipelineModel } from "../../model/pipeline";
import {
    CONNECTION,
    ecsBlueGreenDeploy,
    ecsRollingDeploy,
    environment,
    lambdaDeploy,
    prodEnvironment,
    service,
} from "../fixtures/config";

const stageNames = (m: PipelineModel) => m.stages.map((s) => s.name);
const actions = (m: PipelineModel, stage: string) =>
    m.stages.find((s) => s.name === stage)?.actions.map((a) => `${a.name}@${a.runOrder}`);

describe("pipeline model", () => {
    it("orders the stages source, build, test, approve, deploy", () => {
        const m = buildPipelineModel(
            environment({ approval: { required: true } }),
            service({ tests: { unit: { commands: ["t"] } } }),
        );
        assert.deepEqual(stageNames(m), ["Source", "Build", "Test", "Approve", "Deploy"]);
    });

    it("leaves out the test stage when only post-deploy suites run, and the approval outside production", () => {
        const smokeOnly = service({ tests: { smoke: { commands: ["curl -fsS https://example.com/"] } } });
        assert.deepEqual(stageNames(buildPipelineModel(environment(), smokeOnly)), ["Source", "Build", "Deploy"]);
    });

    it("runs the post-deploy suites in the Deploy stage after its last action, so a failing one rolls the deploy back", () => {
        const tests = { smoke: { commands: ["s"] }, integration: { commands: ["i"] } };
        const m = buildPipelineModel(environment(), service({ tests, checks: [] }));
        const deploy = m.stages.find((s) => s.id === "deploy")!;
        // Where the pipeline builds, integration tests run before the deploy and only smoke tests after it.
        assert.deepEqual(actions(m, "Test"), ["IntegrationTests@2"]);
        assert.deepEqual(actions(m, "Deploy"), ["Deploy@1", "SmokeTests@2"]);
        assert.deepEqual(deploy.onFailure, { result: "ROLLBACK" });
    });

    it("runs unit tests and the security scan side by side, integration tests after them", () => {
        const tests = { unit: { commands: ["u"] }, integration: { commands: ["i"] }, security: { commands: ["s"] } };
        const m = buildPipelineModel(environment(), service({ tests }));
        assert.deepEqual(actions(m, "Test"), ["UnitTests@1", "SecurityScan@1", "IntegrationTests@2"]);
    });

    it("gates every production deploy with a manual approval, even when the service does not ask", () => {
        const m = buildPipelineModel(prodEnvironment(), service({ deploy: ecsRollingDeploy }));
        const approve = m.stages.find((s) => s.id === "approve");
        // Production reads the release's provenance first (model/release.ts), then asks.
        assert.equal(approve?.actions[1].provider, "Manual");
        assert.equal(approve?.actions[1].timeoutInMinutes, 10080);
        assert.ok(m.stages.indexOf(approve!) < m.stages.findIndex((s) => s.id === "deploy"));
    });

    it("takes the service's approval settings over the environment's", () => {
        const m = buildPipelineModel(
            environment({ approval: { required: true, timeoutMinutes: 60 } }),
            service({ approval: { timeoutMinutes: 30, customData: "Check it", reviewUrl: "https://x.example.com" } }),
        );
        assert.deepEqual(m.approval, {
            timeoutMinutes: 30,
            customData: "Check it",
            reviewUrl: "https://x.example.com",
            topicName: "cicd-dev-web-approval",
            topicArn: "arn:aws:sns:eu-west-1:111111111111:cicd-dev-web-approval",
            stageName: "Approve",
            actionName: "Approve",
        });
        // The whole approval action configuration is planned: the topic's ARN needs no resource to exist.
        assert.deepEqual(m.stages.find((s) => s.id === "approve")!.actions[0].configuration, {
            NotificationArn: "arn:aws:sns:eu-west-1:111111111111:cicd-dev-web-approval",
            CustomData: "Check it",
            ExternalEntityLink: "https://x.example.com",
        });
    });

    it("lets a non-production service opt out of an environment-wide approval", () => {
        const m = buildPipelineModel(
            environment({ approval: { required: true } }),
            service({ approval: { required: false } }),
        );
        assert.equal(m.approval, undefined);
    });

    it("rolls a failed deploy back and retries failed test actions once", () => {
        const m = buildPipelineModel(environment(), service({ tests: { unit: { commands: ["u"] } } }));
        assert.deepEqual(m.stages.find((s) => s.id === "deploy")?.onFailure, { result: "ROLLBACK" });
        assert.deepEqual(m.stages.find((s) => s.id === "test")?.onFailure, {
            result: "RETRY",
            retryMode: "FAILED_ACTIONS",
        });
    });

    it("has no rollback condition in PARALLEL mode, which cannot roll back", () => {
        const m = buildPipelineModel(environment({ executionMode: "PARALLEL" }), service());
        assert.equal(m.stages.find((s) => s.id === "deploy")?.onFailure, undefined);
    });

    it("names the pipeline, its folder and its projects after service and environment", () => {
        const m = buildPipelineModel(
            environment(),
            service({ name: "payments-reconciler", tests: { unit: { commands: ["u"] } } }),
        );
        assert.equal(m.pipelineName, "payments-reconciler-dev");
        assert.equal(m.artifactFolder, "payments-reconciler-");
        assert.deepEqual(
            m.projects.map((p) => p.name),
            ["payments-reconciler-dev-build", "payments-reconciler-dev-unit"],
        );
    });

    it("needs a deploy role only for CodeDeploy kinds", () => {
        assert.deepEqual(buildPipelineModel(environment(), service({ deploy: ecsBlueGreenDeploy })).roles, [
            "pipeline",
            "build",
            "test",
            "deploy",
        ]);
        assert.deepEqual(buildPipelineModel(environment(), service({ deploy: lambdaDeploy })).roles, [
            "pipeline",
            "build",
            "test",
        ]);
        assert.deepEqual(buildPipelineModel(environment(), service({ deploy: ecsRollingDeploy })).roles, [
            "pipeline",
            "build",
            "test",
        ]);
        assert.deepEqual(buildPipelineModel(environment(), service()).roles, ["pipeline", "build", "test"]);
    });

    it("maps each deploy kind to its CodePipeline provider and configuration", () => {
        const deploy = (d: Record<string, unknown>) =>
            buildPipelineModel(environment(), service({ deploy: d })).stages.at(-1)!.actions[0];
        assert.equal(deploy(ecsBlueGreenDeploy).provider, "CodeDeployToECS");
        assert.equal(deploy(ecsBlueGreenDeploy).configuration.DeploymentGroupName, "web-dev");
        assert.deepEqual(deploy(ecsRollingDeploy).configuration, {
            ClusterName: "apps",
            ServiceName: "worker",
            FileName: "imagedefinitions.json",
            DeploymentTimeout: "30",
        });
        assert.deepEqual(
            [deploy(lambdaDeploy).provider, deploy(lambdaDeploy).configuration],
            [
                "Lambda",
                {
                    FunctionName: "orders-api",
                    FunctionAlias: "live",
                    DeployStrategy: "AllAtOnce",
                    Alarms: lambdaDeploy.alarms.join(","),
                },
            ],
        );
        assert.deepEqual(deploy({ kind: "s3-site", bucket: "www-example-com" }).configuration, {
            BucketName: "www-example-com",
            Extract: "true",
            CacheControl: "max-age=300",
        });
    });

    it("deploys cross-account through the environment's role for that account", () => {
        const env = environment({ deployRoleArns: { "444444444444": "arn:aws:iam::444444444444:role/deployer" } });
        const m = buildPipelineModel(
            env,
            service({ deploy: { kind: "s3-site", bucket: "www-example-com", accountId: "444444444444" } }),
        );
        assert.equal(m.stages.at(-1)!.actions[0].roleArn, "arn:aws:iam::444444444444:role/deployer");
    });

    it("triggers on the source branch by default and keeps filters as given", () => {
        assert.deepEqual(buildPipelineModel(environment(), service()).trigger, { branches: { includes: ["main"] } });
        const m = buildPipelineModel(
            environment(),
            service({ triggers: { branches: { includes: ["release/*"] }, filePaths: { excludes: ["docs/**"] } } }),
        );
        assert.deepEqual(m.trigger, { branches: { includes: ["release/*"] }, filePaths: { excludes: ["docs/**"] } });
    });

    it("has no V2 trigger for a CodeCommit source (EventBridge starts it)", () => {
        const m = buildPipelineModel(environment(), service({ source: { kind: "codecommit", repository: "web" } }));
        assert.equal(m.trigger, undefined);
        assert.equal(m.stages[0].actions[0].configuration.PollForSourceChanges, "false");
    });

    it("uses the connection, repository and branch in the source action", () => {
        const m = buildPipelineModel(
            environment(),
            service({
                source: { kind: "codestar", connectionArn: CONNECTION, repository: "acme/web", branch: "trunk" },
            }),
        );
        assert.deepEqual(m.stages[0].actions[0].configuration, {
            ConnectionArn: CONNECTION,
            FullRepositoryId: "acme/web",
            BranchName: "trunk",
            OutputArtifactFormat: "CODE_ZIP",
            DetectChanges: "true",
        });
    });

    it("writes an inline buildspec from the commands, or points at the repository's file", () => {
        const inline = buildPipelineModel(
            environment(),
            service({
                build: { commands: { install: ["npm ci"], build: ["npm run build"] }, artifactBaseDirectory: "dist" },
            }),
        );
        assert.deepEqual(inline.projects[0].buildspec, {
            inline: 'version: 0.2\nenv:\n  shell: bash\nphases:\n  install:\n    commands:\n      - npm ci\n  build:\n    commands:\n      - npm run build\nartifacts:\n  files:\n    - "**/*"\n  base-directory: dist\n',
        });
        const file = buildPipelineModel(environment(), service({ build: { buildspecFile: "ci/buildspec.yml" } }));
        assert.deepEqual(file.projects[0].buildspec, { file: "ci/buildspec.yml" });
    });

    it("sends test reports to the project's own report group by ARN", () => {
        const m = buildPipelineModel(
            environment(),
            service({ tests: { unit: { commands: ["npm test"], reports: ["junit.xml"] } } }),
        );
        const unit = m.projects.find((p) => p.id === "unit")!;
        assert.equal(unit.reports, true);
        assert.match(
            (unit.buildspec as { inline: string }).inline,
            /arn:aws:codebuild:eu-west-1:111111111111:report-group\/web-dev-unit-reports:\n\s+files:\n\s+- junit.xml/,
        );
    });
});
