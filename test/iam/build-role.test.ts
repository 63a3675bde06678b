import { strict as assert } from "node:assert";
import * as names from "../../model/names";
import { buildOutputArtifacts, buildRolePolicy, CODEBUILD_KEY_ACTIONS } from "../../model/iam/build-role";
import { KEY_USAGE_ACTIONS } from "../../model/iam/key-policy";
import { buildPipelineModel } from "../../model/pipeline";
import { serviceSchema } from "../../stacks/service-schema";
import { ctx, environment, KEY_ARN, model, refs, SECRET_ARN, services, type ServiceId } from "./fixtures";
import { arn, artifact, BUCKET_ARN, dangerousRequests, environmentResourcePolicy } from "./requests";
import { decisions, req, unexpected, type Caller, type Request } from "./sim";

const caller = (id: ServiceId): Caller => ({
    principal: names.roleArn(ctx, model(id).service, "build"),
    identity: [buildRolePolicy(ctx, model(id), services[id], refs)],
});

const logStream = (project: string, stream = "0f6c1c5e"): string =>
    `${names.logGroupArn(ctx, names.logGroupName(ctx, project))}:log-stream:${stream}`;

const testProjects = (id: ServiceId) => model(id).projects.filter((p) => p.roleKind === "test");

/** The build project logs, reads the source artifact and writes its output with the key as CodeBuild documents. */
function commonNeeds(id: ServiceId): Request[] {
    return [
        ...model(id)
            .projects.filter((p) => p.roleKind === "build")
            .flatMap((p) => [
                req("logs:CreateLogStream", logStream(p.name)),
                req("logs:PutLogEvents", logStream(p.name)),
            ]),
        req("s3:GetObject", artifact(id, "SourceOutp/src.zip")),
        req("s3:GetObjectVersion", artifact(id, "SourceOutp/src.zip")),
        req("s3:PutObject", artifact(id, "BuildOutpu/out.zip")),
        req("s3:GetBucketAcl", BUCKET_ARN),
        req("s3:GetBucketLocation", BUCKET_ARN),
        ...CODEBUILD_KEY_ACTIONS.map((a) => req(a, KEY_ARN)),
    ];
}

/** The test projects' logs and reports belong to the test role. */
const testProjectRequests = (id: ServiceId): Request[] =>
    testProjects(id).flatMap((p) => [
        req("logs:PutLogEvents", logStream(p.name)),
        ...reportActions.map((a) => req(`codebuild:${a}`, reportGroup(id, p.id))),
    ]);

const reportGroup = (id: ServiceId, project: string): string =>
    names.reportGroupArn(ctx, names.projectName(ctx, model(id).service, project));
const reportActions = ["CreateReport", "UpdateReport", "BatchPutTestCases", "BatchPutCodeCoverages"];
const repo = (name: string) => arn("ecr", `repository/${name}`);
const pushActions = [
    "BatchCheckLayerAvailability",
    "GetDownloadUrlForLayer",
    "BatchGetImage",
    "InitiateLayerUpload",
    "UploadLayerPart",
    "CompleteLayerUpload",
    "PutImage",
];

const cases: Partial<Record<ServiceId, { needs: Request[]; denied: Request[] }>> = {
    web: {
        needs: [
            req("ssm:GetParameters", arn("ssm", "parameter/cicd/prod/web/sonar-token")),
            req("ssm:GetParameters", arn("ssm", "parameter/cicd/prod/web/db-url")),
            req("secretsmanager:GetSecretValue", SECRET_ARN),
            req("s3:GetObject", `${BUCKET_ARN}/cache/web-prod/layers.zip`),
            req("s3:PutObject", `${BUCKET_ARN}/cache/web-prod/layers.zip`),
            req("ecr:GetAuthorizationToken", "*"),
            ...pushActions.map((a) => req(`ecr:${a}`, repo("acme/web"))),
        ],
        denied: [
            ...testProjectRequests("web"),
            req("codebuild:CreateReport", reportGroup("worker", "unit")),
            req("codebuild:CreateReportGroup", reportGroup("web", "evil")),
            req("logs:PutLogEvents", logStream("worker-prod-build")),
            req("logs:CreateLogGroup", names.logGroupArn(ctx, "/cicd/prod/codebuild/evil")),
            req("logs:DeleteLogGroup", names.logGroupArn(ctx, names.logGroupName(ctx, "web-prod-build"))),
            req("ssm:GetParameters", arn("ssm", "parameter/cicd/prod/web/other")),
            req("ssm:PutParameter", arn("ssm", "parameter/cicd/prod/web/db-url")),
            req("secretsmanager:GetSecretValue", arn("secretsmanager", "secret:web/npm-token-ZZZZZZ")),
            req("s3:GetObject", `${BUCKET_ARN}/cache/worker-prod/layers.zip`),
            ...pushActions.map((a) => req(`ecr:${a}`, repo("acme/worker"))),
            req("ecr:DeleteRepository", repo("acme/web")),
            req("ecr:BatchDeleteImage", repo("acme/web")),
            req("ecr:SetRepositoryPolicy", repo("acme/web")),
        ],
    },
    worker: {
        needs: [req("ecr:GetAuthorizationToken", "*"), req("ecr:PutImage", repo("acme/worker"))],
        denied: [
            ...testProjectRequests("worker"),
            req("s3:PutObject", `${BUCKET_ARN}/cache/worker-prod/layers.zip`),
            req("ssm:GetParameters", arn("ssm", "parameter/cicd/prod/web/db-url")),
        ],
    },
    orders: {
        needs: [],
        denied: [
            req("ecr:GetAuthorizationToken", "*"),
            req("ecr:PutImage", repo("acme/web")),
            req("codebuild:CreateReport", reportGroup("orders", "unit")),
        ],
    },
};

describe("build role policy (simulated)", () => {
    for (const id of Object.keys(cases) as ServiceId[]) {
        const c = cases[id]!;
        describe(`${id} (cache ${services[id].build.cache}, container ${services[id].build.containerImage})`, () => {
            it("allows every request its build and test projects make", async () => {
                const got = await decisions(caller(id), [...commonNeeds(id), ...c.needs], environmentResourcePolicy);
                assert.deepEqual(unexpected(got, "Allowed"), {});
            });

            it("denies other pipelines' resources and dangerous requests", async () => {
                const got = await decisions(
                    caller(id),
                    [...dangerousRequests(id), ...c.denied],
                    environmentResourcePolicy,
                );
                assert.deepEqual(
                    unexpected(got, (d) => d !== "Allowed"),
                    {},
                );
            });
        });
    }

    describe("artifact folder", () => {
        for (const id of Object.keys(services) as ServiceId[]) {
            it(`${id}: reads the source artifact and writes only its own outputs, never SourceOutput`, async () => {
                const outputs = buildOutputArtifacts(model(id));
                assert.ok(outputs.includes("BuildOutput"), `${id} builds BuildOutput`);
                const writes = outputs.map((o) => req("s3:PutObject", artifact(id, `${o.slice(0, 10)}/Xy12AbC`)));
                const got = await decisions(
                    caller(id),
                    [
                        ...writes,
                        req("s3:GetObject", artifact(id, "SourceOutp/Ab3dE9x")),
                        req("s3:PutObject", artifact(id, "SourceOutp/Ab3dE9x")),
                        req("s3:PutObject", artifact(id, "SourceOutp/BuildOutpu/Ab3dE9x")),
                        req("s3:PutObject", artifact(id, "Ab3dE9x")),
                    ],
                    environmentResourcePolicy,
                );
                assert.deepEqual(got, {
                    ...Object.fromEntries(writes.map((w) => [`s3:PutObject ${w.resource}`, "Allowed"])),
                    [`s3:GetObject ${artifact(id, "SourceOutp/Ab3dE9x")}`]: "Allowed",
                    [`s3:PutObject ${artifact(id, "SourceOutp/Ab3dE9x")}`]: "ImplicitlyDenied",
                    [`s3:PutObject ${artifact(id, "SourceOutp/BuildOutpu/Ab3dE9x")}`]: "ImplicitlyDenied",
                    [`s3:PutObject ${artifact(id, "Ab3dE9x")}`]: "ImplicitlyDenied",
                });
            });
        }

        it("refuses a build output stored in the source artifact's folder", () => {
            const m = model("web");
            const stages = m.stages.map((s) => ({
                ...s,
                actions: s.actions.map((a) => (a.id === "build" ? { ...a, outputArtifacts: ["SourceOutputCopy"] } : a)),
            }));
            assert.ok(
                stages.some((s) => s.actions.some((a) => a.outputArtifacts.includes("SourceOutputCopy"))),
                "the build action was found",
            );
            assert.throws(
                () => buildRolePolicy(ctx, { ...m, stages }, services.web, refs),
                new Error(
                    "build output artifact `SourceOutputCopy` is stored in the same folder as `SourceOutput` (the first 10 characters of the name): rename it.",
                ),
            );
        });
    });

    it("grants every key action CodeBuild documents that the environment key's policy allows", () => {
        // setting-up-kms.html lists Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey.
        const documented = [
            /^kms:Encrypt$/,
            /^kms:Decrypt$/,
            /^kms:ReEncrypt/,
            /^kms:GenerateDataKey/,
            /^kms:DescribeKey$/,
        ];
        for (const action of CODEBUILD_KEY_ACTIONS)
            assert.ok(
                documented.some((d) => d.test(action)),
                action,
            );
        assert.deepEqual(
            CODEBUILD_KEY_ACTIONS.filter((a) => !KEY_USAGE_ACTIONS.includes(a)),
            [],
        );
    });

    describe("Secrets Manager references", () => {
        const PARTIAL = arn("secretsmanager", "secret:web/db");
        const withSecret = (secretArn: string) =>
            serviceSchema.parse({
                ...services.site,
                build: { commands: { build: ["make"] }, secrets: { DB: { secretArn } } },
            });
        const callerWith = (secretArn: string): Caller => {
            const svc = withSecret(secretArn);
            const m = buildPipelineModel(environment, svc);
            return {
                principal: names.roleArn(ctx, m.service, "build"),
                identity: [buildRolePolicy(ctx, m, svc, refs)],
            };
        };

        it("grants a partial ARN as <arn>-?????? so it matches the secret's full ARN and no other secret", async () => {
            const got = await decisions(callerWith(PARTIAL), [
                req("secretsmanager:GetSecretValue", `${PARTIAL}-AbCdEf`),
                req("secretsmanager:GetSecretValue", `${PARTIAL}-admin-AbCdEf`),
                req("secretsmanager:GetSecretValue", `${PARTIAL}x-AbCdEf`),
            ]);
            assert.deepEqual(got, {
                [`secretsmanager:GetSecretValue ${PARTIAL}-AbCdEf`]: "Allowed",
                [`secretsmanager:GetSecretValue ${PARTIAL}-admin-AbCdEf`]: "ImplicitlyDenied",
                [`secretsmanager:GetSecretValue ${PARTIAL}x-AbCdEf`]: "ImplicitlyDenied",
            });
        });

        it("grants a full ARN exactly", async () => {
            const got = await decisions(callerWith(`${PARTIAL}-AbCdEf`), [
                req("secretsmanager:GetSecretValue", `${PARTIAL}-AbCdEf`),
                req("secretsmanager:GetSecretValue", `${PARTIAL}-ZyXwVu`),
            ]);
            assert.deepEqual(got, {
                [`secretsmanager:GetSecretValue ${PARTIAL}-AbCdEf`]: "Allowed",
                [`secretsmanager:GetSecretValue ${PARTIAL}-ZyXwVu`]: "ImplicitlyDenied",
            });
        });
    });

    it("the key refuses roles of another environment even when their own policy grants it", async () => {
        const stagingRole = names.roleArn({ ...ctx, environment: "staging" }, "web", "build");
        const got = await decisions(
            { principal: stagingRole, identity: [buildRolePolicy(ctx, model("web"), services.web, refs)] },
            [req("kms:Decrypt", KEY_ARN)],
            environmentResourcePolicy,
        );
        assert.deepEqual(
            unexpected(got, (d) => d !== "Allowed"),
            {},
        );
    });
});
