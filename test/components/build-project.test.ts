import { strict as assert } from "assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { BuildProject } from "../../components/build-project";
import type { ProjectModel } from "../../model/projects";
import { find, withMocks } from "../support/mock-runtime";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const model: ProjectModel = {
    id: "unit",
    name: "web-dev-unit",
    description: "unit tests for web-dev",
    roleKind: "test",
    image: "aws/codebuild/standard:7.0",
    computeType: "BUILD_GENERAL1_LARGE",
    privileged: false,
    environmentVariables: [
        { name: "CI", value: "true", type: "PLAINTEXT" },
        { name: "SONAR", value: "/dev/web/sonar", type: "PARAMETER_STORE" },
    ],
    cache: { type: "S3", prefix: "cache/web-dev" },
    logGroupName: "/cicd/dev/codebuild/web-dev-unit",
    logRetentionDays: 14,
    reports: true,
    reportGroup: {
        name: "web-dev-unit-reports",
        arn: "arn:aws:codebuild:eu-west-1:111111111111:report-group/web-dev-unit-reports",
    },
    buildspec: { inline: "version: 0.2\n" },
    timeoutMinutes: 20,
};

const plan = (project: ProjectModel) =>
    withMocks("dev", () => {
        new BuildProject("web-unit", {
            project,
            roleArn: "arn:aws:iam::111111111111:role/cicd/dev/web-dev-test",
            keyArn: KEY,
            bucketName: "artifacts-bucket",
        });
    });

describe("BuildProject", () => {
    it("translates the project model into the CodeBuild project, as is", async () => {
        const resources = await plan(model);
        const project = find(resources, "aws:codebuild/project:Project", "web-unit-project").inputs as any;
        assert.equal(project.name, "web-dev-unit");
        assert.equal(project.serviceRole, "arn:aws:iam::111111111111:role/cicd/dev/web-dev-test");
        assert.equal(project.buildTimeout, 20);
        assert.deepEqual(project.source, { type: "CODEPIPELINE", buildspec: "version: 0.2\n" });
        assert.equal(project.environment.image, "aws/codebuild/standard:7.0");
        assert.equal(project.environment.computeType, "BUILD_GENERAL1_LARGE");
        assert.equal(project.environment.privilegedMode, false);
        assert.deepEqual(project.environment.environmentVariables, model.environmentVariables);
        assert.deepEqual(project.cache, { type: "S3", location: "artifacts-bucket/cache/web-dev" });
        const logs = find(resources, "aws:cloudwatch/logGroup:LogGroup", "web-unit-logs").inputs as any;
        assert.deepEqual(
            [logs.name, logs.retentionInDays, logs.kmsKeyId],
            ["/cicd/dev/codebuild/web-dev-unit", 14, KEY],
        );
        assert.equal(
            find(resources, "aws:codebuild/reportGroup:ReportGroup", "web-unit-reports").inputs.name,
            "web-dev-unit-reports",
        );
    });

    it("creates no report group without one in the model, and passes local cache modes through", async () => {
        const resources = await plan({
            ...model,
            reports: false,
            reportGroup: undefined,
            cache: { type: "LOCAL", modes: ["LOCAL_CUSTOM_CACHE"] },
        });
        assert.equal(resources.filter((r) => r.type === "aws:codebuild/reportGroup:ReportGroup").length, 0);
        const project = find(resources, "aws:codebuild/project:Project", "web-unit-project").inputs as any;
        assert.deepEqual(project.cache, { type: "LOCAL", modes: ["LOCAL_CUSTOM_CACHE"] });
    });

    it("takes only model values: it imports nothing from stacks/", () => {
        const source = readFileSync(path.join(__dirname, "../../components/build-project.ts"), "utf8");
        assert.deepEqual(source.match(/from "\.\.\/stacks\/[^"]*"/g) ?? [], []);
    });
});
