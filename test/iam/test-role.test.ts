import { strict as assert } from "node:assert";
import * as names from "../../model/names";
import { testRolePolicy } from "../../model/iam/test-role";
import { buildPipelineModel } from "../../model/pipeline";
import { serviceSchema } from "../../stacks/service-schema";
import { ctx, environment, KEY_ARN, refs, SECRET_ARN, services } from "./fixtures";
import { arn, artifact, BUCKET_ARN, dangerousRequests, environmentResourcePolicy } from "./requests";
import { decisions, req, unexpected, type Caller } from "./sim";

/** The web fixture (image build with secrets of both kinds) with suites that declare a secret of their own. */
const web = serviceSchema.parse({
    ...services.web,
    tests: {
        unit: {
            commands: ["npm test"],
            reports: ["reports/junit.xml"],
            secrets: { SONAR: { parameter: "/cicd/prod/web/sonar-token" } },
        },
        security: { commands: ["npm audit"] },
    },
});
const model = buildPipelineModel(environment, web);
const caller: Caller = {
    principal: names.roleArn(ctx, model.service, "test"),
    identity: [testRolePolicy(ctx, model, refs)],
};
const stream = (project: string) =>
    `${names.logGroupArn(ctx, names.logGroupName(ctx, names.projectName(ctx, "web", project)))}:log-stream:0f6c1c5e`;
const reportGroup = (project: string) => names.reportGroupArn(ctx, names.projectName(ctx, "web", project));
const reportActions = ["CreateReport", "UpdateReport", "BatchPutTestCases", "BatchPutCodeCoverages"];

describe("test role policy (simulated)", () => {
    it("allows reading the input artifacts and writing the suites' logs and reports", async () => {
        const got = await decisions(
            caller,
            [
                ...["unit", "security"].flatMap((p) => [
                    req("logs:CreateLogStream", stream(p)),
                    req("logs:PutLogEvents", stream(p)),
                ]),
                ...reportActions.map((a) => req(`codebuild:${a}`, reportGroup("unit"))),
                req("s3:GetObject", artifact("web", "SourceOutp/src.zip")),
                req("s3:GetObjectVersion", artifact("web", "SourceOutp/src.zip")),
                req("s3:GetBucketAcl", BUCKET_ARN),
                req("s3:GetBucketLocation", BUCKET_ARN),
                req("kms:Decrypt", KEY_ARN),
                req("ssm:GetParameters", arn("ssm", "parameter/cicd/prod/web/sonar-token")),
            ],
            environmentResourcePolicy,
        );
        assert.deepEqual(unexpected(got, "Allowed"), {});
    });

    it("denies writing the artifact folder or the cache, pushing images, the build's secrets and logs", async () => {
        const got = await decisions(
            caller,
            [
                ...dangerousRequests("web"),
                req("s3:PutObject", artifact("web", "BuildOutpu/out.zip")),
                req("s3:PutObject", artifact("web", "SourceOutp/src.zip")),
                req("s3:DeleteObject", artifact("web", "BuildOutpu/out.zip")),
                req("s3:PutObject", `${BUCKET_ARN}/cache/web-prod/layers.zip`),
                req("kms:GenerateDataKey", KEY_ARN),
                req("kms:Encrypt", KEY_ARN),
                req("ecr:GetAuthorizationToken", "*"),
                req("ecr:InitiateLayerUpload", arn("ecr", "repository/acme/web")),
                req("ecr:PutImage", arn("ecr", "repository/acme/web")),
                req("secretsmanager:GetSecretValue", SECRET_ARN),
                req("ssm:GetParameters", arn("ssm", "parameter/cicd/prod/web/db-url")),
                req("logs:PutLogEvents", stream("build")),
                req("codebuild:CreateReport", reportGroup("security")),
            ],
            environmentResourcePolicy,
        );
        assert.deepEqual(
            unexpected(got, (d) => d !== "Allowed"),
            {},
        );
    });

    it("reads the build's secrets only for a suite that runs the build's install step", async () => {
        const installing = serviceSchema.parse({
            ...web,
            build: { ...web.build, commands: { install: ["npm ci"], build: ["npm run build"] } },
            tests: {
                unit: { commands: ["npm test"] },
                security: { install: ["pip install bandit"], commands: ["bandit -r ."] },
            },
        });
        const m = buildPipelineModel(environment, installing);
        const unit = m.projects.find((p) => p.id === "unit")!;
        const security = m.projects.find((p) => p.id === "security")!;
        assert.deepEqual(security.environmentVariables, []);
        assert.ok(unit.environmentVariables.some((v) => v.type === "SECRETS_MANAGER" && v.value === SECRET_ARN));
        const got = await decisions(
            { principal: names.roleArn(ctx, m.service, "test"), identity: [testRolePolicy(ctx, m, refs)] },
            [req("secretsmanager:GetSecretValue", SECRET_ARN)],
            environmentResourcePolicy,
        );
        assert.deepEqual(unexpected(got, "Allowed"), {});
    });
});
