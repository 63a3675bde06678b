/**
 * Pipelines in the styles real stacks write them, as the engine sends them: V2 Commands actions (the action's
 * `commands` list, or a `Commands` configuration entry), CodeBuild projects created as children of an awsx-style
 * component (auto-named, buildspec inline), pipeline-level variables, and inline buildspecs with `env.variables`.
 * Each class has a failing and a passing case.
 */
import { strict as assert } from "assert";
import { CODEBUILD_PROJECT_TYPE, codebuildNoPlaintextSecrets } from "../../policies/codebuild";
import {
    codepipelineNoPlaintextSecrets,
    codepipelineProductionApproval,
    PIPELINE_TYPE,
} from "../../policies/codepipeline";
import { stackMessages, stackResource, UNKNOWN, validate } from "./helpers";

const PROD = 'stack name "prod" matches /(?<![a-z0-9])(?<!pre[-_.])(?<!non[-_.])prod(uction)?(?![a-z0-9])/i';
const ADD_APPROVAL =
    "Add an action with category 'Approval', owner 'AWS', provider 'Manual' and configuration.NotificationArn set to " +
    "an SNS topic ARN, in an earlier stage or at a lower runOrder in the same stage.";
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:approvals";
const approval = {
    name: "Approve",
    category: "Approval",
    owner: "AWS",
    provider: "Manual",
    version: "1",
    configuration: { NotificationArn: TOPIC },
};
const source = {
    name: "Source",
    actions: [
        {
            name: "Source",
            category: "Source",
            owner: "AWS",
            provider: "CodeStarSourceConnection",
            version: "1",
            outputArtifacts: ["src"],
        },
    ],
};
const commandsAction = (extra: Record<string, unknown>) => ({
    name: "Release",
    category: "Compute",
    owner: "AWS",
    provider: "Commands",
    version: "1",
    inputArtifacts: ["src"],
    ...extra,
});
const pipeline = (stages: unknown[], name = "shop") =>
    stackResource(PIPELINE_TYPE, name, { pipelineType: "V2", stages: [source, ...stages] }, {}, "prod");

describe("realistic pipelines: deploys hidden in Commands actions", () => {
    it("reports a Commands action that deploys with no approval before it, from commands or configuration.Commands", async () => {
        const listed = pipeline([
            {
                name: "Release",
                actions: [commandsAction({ commands: ["npm ci", "npx cdk deploy --all --require-approval never"] })],
            },
        ]);
        const configured = pipeline(
            [
                {
                    name: "Release",
                    actions: [
                        commandsAction({
                            configuration: {
                                Commands: JSON.stringify([
                                    "aws ecs update-service --cluster c --service s --force-new-deployment",
                                ]),
                            },
                        }),
                    ],
                },
            ],
            "api",
        );
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [listed, configured]), [
            `CodePipeline 'shop' in a production stack (${PROD}) runs Commands action 'Release' (stage 'Release'), whose commands deploy ('npx cdk deploy --all --require-approval never': cdk deploy), with no Manual approval before it. ${ADD_APPROVAL}`,
            `CodePipeline 'api' in a production stack (${PROD}) runs Commands action 'Release' (stage 'Release'), whose commands deploy ('aws ecs update-service --cluster c --service s --force-new-deployment': aws ecs update-service), with no Manual approval before it. ${ADD_APPROVAL}`,
        ]);
    });

    it("passes a gated Commands deploy, Commands that only build or test, unknown commands, and non-production stacks", async () => {
        const gated = pipeline([
            { name: "Approve", actions: [approval] },
            { name: "Release", actions: [commandsAction({ commands: ["pulumi up --yes --stack prod"] })] },
        ]);
        const tests = pipeline(
            [{ name: "Test", actions: [commandsAction({ commands: ["npm ci", "npm test"] })] }],
            "t",
        );
        const unknown = pipeline(
            [{ name: "Release", actions: [commandsAction({ commands: UNKNOWN, configuration: UNKNOWN })] }],
            "u",
        );
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [gated, tests, unknown]), []);
        const dev = stackResource(PIPELINE_TYPE, "dev", {
            stages: [{ name: "R", actions: [commandsAction({ commands: ["terraform apply -auto-approve"] })] }],
        });
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [dev]), []);
    });
});

describe("realistic pipelines: deploys hidden in CodeBuild actions of component children", () => {
    const project = (buildspec: string) =>
        stackResource(CODEBUILD_PROJECT_TYPE, "shop-release-project", {
            name: "shop-release-project-4f2a1c9",
            source: { type: "CODEPIPELINE", buildspec },
        });
    const build = {
        name: "Release",
        category: "Build",
        owner: "AWS",
        provider: "CodeBuild",
        version: "1",
        configuration: { ProjectName: "shop-release-project-4f2a1c9" },
    };

    it("reports a scalar `commands`, npm/make deploy wrappers and direct AWS CLI roll-outs in the project's buildspec", async () => {
        const cases: [string, string, string][] = [
            [
                "version: 0.2\nphases:\n  build:\n    commands: helm upgrade --install shop ./chart",
                "helm upgrade --install shop ./chart",
                "helm upgrade",
            ],
            [
                "version: 0.2\nphases:\n  build:\n    commands:\n      - npm ci\n      - npm run deploy -- --stage prod",
                "npm run deploy -- --stage prod",
                "npm run deploy",
            ],
            [
                "version: 0.2\nphases:\n  post_build:\n    commands:\n      - aws lambda update-function-code --function-name f --zip-file fileb://f.zip",
                "aws lambda update-function-code --function-name f --zip-file fileb://f.zip",
                "aws lambda update-function-code",
            ],
        ];
        for (const [buildspec, command, label] of cases) {
            assert.deepEqual(
                await stackMessages(codepipelineProductionApproval, [
                    project(buildspec),
                    pipeline([{ name: "Release", actions: [build] }]),
                ]),
                [
                    `CodePipeline 'shop' in a production stack (${PROD}) runs CodeBuild action 'Release' (stage 'Release'), whose buildspec deploys ('${command}': ${label}), with no Manual approval before it. ${ADD_APPROVAL}`,
                ],
            );
        }
    });

    it("passes the same buildspecs behind an approval, and builds that only package", async () => {
        const deploys = project("version: 0.2\nphases:\n  build:\n    commands:\n      - make deploy");
        const gated = pipeline([
            { name: "Approve", actions: [approval] },
            { name: "Release", actions: [build] },
        ]);
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [deploys, gated]), []);
        const packages = project(
            "version: 0.2\nphases:\n  build:\n    commands:\n      - npm run build\n      - make package",
        );
        assert.deepEqual(
            await stackMessages(codepipelineProductionApproval, [
                packages,
                pipeline([{ name: "Release", actions: [build] }]),
            ]),
            [],
        );
    });
});

const GITHUB_PAT = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

describe("realistic pipelines: secrets by value in pipeline variables and inline buildspecs", () => {
    it("reports a secret in a pipeline variable's defaultValue and in a Commands action's command, never echoing it", async () => {
        const messages = await validate(
            codepipelineNoPlaintextSecrets,
            PIPELINE_TYPE,
            {
                pipelineType: "V2",
                variables: [
                    { name: "REGISTRY_LOGIN", defaultValue: GITHUB_PAT, description: "login" },
                    { name: "DB_PASSWORD", defaultValue: "hunter2-but-longer" },
                ],
                stages: [
                    source,
                    {
                        name: "Release",
                        actions: [
                            commandsAction({
                                commands: [`curl -H "Authorization: token ${GITHUB_PAT}" https://api.github.com`],
                            }),
                        ],
                    },
                ],
            },
            { name: "shop" },
        );
        assert.equal(messages.length, 3);
        assert.match(
            messages[0],
            /^CodePipeline 'shop' variable 'REGISTRY_LOGIN' has a defaultValue in plain text and its value looks like a credential \(secretlint @secretlint\/secretlint-rule-github/,
        );
        assert.equal(
            messages[1],
            "CodePipeline 'shop' variable 'DB_PASSWORD' has a defaultValue in plain text and its name looks like a secret. Pipeline variables are readable by anyone who can read the pipeline: pass a Secrets Manager secret's name or ARN instead and resolve it in the build (a SECRETS_MANAGER environment variable).",
        );
        assert.match(
            messages[2],
            /^CodePipeline 'shop' action 'Release' \(stage 'Release'\) command 1 contains what looks like a credential/,
        );
        assert.ok(messages.every((m) => !m.includes(GITHUB_PAT)));
    });

    it("passes variables without a known default, references, allowed names, and commands that use variables", async () => {
        const messages = await validate(
            codepipelineNoPlaintextSecrets,
            PIPELINE_TYPE,
            {
                variables: [
                    { name: "DEPLOY_TOKEN" },
                    { name: "API_TOKEN", defaultValue: UNKNOWN },
                    {
                        name: "DB_PASSWORD_ARN",
                        defaultValue: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
                    },
                    { name: "S3_KEY", defaultValue: "releases/latest.zip" },
                    { name: "ENVIRONMENT", defaultValue: "production" },
                ],
                stages: [
                    {
                        name: "R",
                        actions: [
                            commandsAction({
                                commands: [
                                    "git clone https://x-access-token:${GITHUB_TOKEN}@github.com/o/r",
                                    "echo #{SourceVariables.CommitId}",
                                ],
                            }),
                        ],
                    },
                ],
            },
            { config: { allowedVariableNames: ["S3_KEY"] } },
        );
        assert.deepEqual(messages, []);
    });

    it("reports plaintext env.variables and literal credentials in a project's inline buildspec", async () => {
        const buildspec = [
            "version: 0.2",
            "env:",
            "  variables:",
            `    NPM_TOKEN: npm_${"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}`,
            "    SLACK_WEBHOOK_SECRET: not-so-secret",
            "    STAGE: prod",
            "  secrets-manager:",
            "    DB_PASSWORD: prod/db:password",
            "phases:",
            "  build:",
            "    commands:",
            "      - npm publish",
            "      - curl https://deploy:s3cr3t-Passw0rd@hooks.example.com/release",
        ].join("\n");
        const messages = await validate(
            codebuildNoPlaintextSecrets,
            CODEBUILD_PROJECT_TYPE,
            { source: { type: "CODEPIPELINE", buildspec } },
            { name: "publish" },
        );
        assert.equal(messages.length, 3);
        assert.match(
            messages[0],
            /^CodeBuild project 'publish' inline buildspec sets env.variables 'NPM_TOKEN' in plain text and its value looks like a credential/,
        );
        assert.equal(
            messages[1],
            "CodeBuild project 'publish' inline buildspec sets env.variables 'SLACK_WEBHOOK_SECRET' in plain text and its name looks like a secret. Move it to env.secrets-manager or env.parameter-store (or a SECRETS_MANAGER / PARAMETER_STORE project variable).",
        );
        assert.match(messages[2], /^CodeBuild project 'publish' inline buildspec command 2 contains what looks like /);
        assert.ok(messages.every((m) => !m.includes("s3cr3t-Passw0rd") && !m.includes("a1B2c3D4")));
    });

    it("passes buildspecs with references only, a buildspec file name, and an unknown buildspec", async () => {
        const clean =
            "version: 0.2\nenv:\n  variables:\n    STAGE: prod\n  parameter-store:\n    API_TOKEN: /shop/prod/api-token\nphases:\n  build:\n    commands:\n      - npm run build\n      - echo $API_TOKEN | docker login -u x --password-stdin";
        for (const buildspec of [clean, "ci/buildspec.yml", UNKNOWN, "version: 0.2\nenv: [1, 2]\nphases: x"]) {
            assert.deepEqual(
                await validate(codebuildNoPlaintextSecrets, CODEBUILD_PROJECT_TYPE, { source: { buildspec } }),
                [],
            );
        }
    });
});
