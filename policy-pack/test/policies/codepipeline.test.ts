import { strict as assert } from "assert";
import {
    codepipelineArtifactStoreEncryption,
    codepipelineNoPlaintextSecrets,
    codepipelineProductionApproval,
    PIPELINE_TYPE,
} from "../../policies/codepipeline";
import { stackMessages, stackResource, UNKNOWN, validate, validateStack } from "./helpers";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("codepipeline-artifact-store-encryption", () => {
    it("reports an artifact store without encryptionKey, even in preview", async () => {
        const messages = await validate(
            codepipelineArtifactStoreEncryption,
            PIPELINE_TYPE,
            {
                artifactStores: [{ location: UNKNOWN, type: "S3" }],
            },
            { name: "app" },
        );
        assert.deepEqual(messages, [
            "CodePipeline 'app' artifact store 1 has no encryptionKey, so artifacts are encrypted with the AWS-managed aws/s3 key. " +
                'Set artifactStores[0].encryptionKey to { id: <customer-managed KMS key ARN>, type: "KMS" }.',
        ]);
    });

    it("reports each bad store of a cross-region pipeline, naming its location", async () => {
        const messages = await validate(
            codepipelineArtifactStoreEncryption,
            PIPELINE_TYPE,
            {
                artifactStores: [
                    {
                        location: "artifacts-eu",
                        type: "S3",
                        region: "eu-west-1",
                        encryptionKey: { id: KEY, type: "KMS" },
                    },
                    {
                        location: "artifacts-us",
                        type: "S3",
                        region: "us-east-1",
                        encryptionKey: { id: "alias/aws/s3", type: "KMS" },
                    },
                    { location: "artifacts-ap", type: "S3", region: "ap-south-1", encryptionKey: { type: "KMS" } },
                ],
            },
            { name: "app" },
        );
        assert.deepEqual(messages, [
            "CodePipeline 'app' artifact store 2 (location 'artifacts-us') uses the AWS-managed key 'alias/aws/s3'. Set artifactStores[1].encryptionKey to { id: <customer-managed KMS key ARN>, type: \"KMS\" }.",
            "CodePipeline 'app' artifact store 3 (location 'artifacts-ap') has an encryptionKey without an id. Set artifactStores[2].encryptionKey to { id: <customer-managed KMS key ARN>, type: \"KMS\" }.",
        ]);
    });

    it("passes a customer-managed key, including an unknown key id or key object in preview", async () => {
        for (const encryptionKey of [{ id: KEY, type: "KMS" }, { id: UNKNOWN, type: "KMS" }, UNKNOWN]) {
            const messages = await validate(codepipelineArtifactStoreEncryption, PIPELINE_TYPE, {
                artifactStores: [{ location: "b", type: "S3", encryptionKey }],
            });
            assert.deepEqual(messages, []);
        }
    });

    it("does not crash on unknown or malformed artifactStores, nor judge other types", async () => {
        for (const artifactStores of [UNKNOWN, "x", [null, 3, UNKNOWN], undefined]) {
            assert.deepEqual(
                await validate(codepipelineArtifactStoreEncryption, PIPELINE_TYPE, { artifactStores }),
                [],
            );
        }
        assert.deepEqual(
            await validate(codepipelineArtifactStoreEncryption, "aws:codebuild/project:Project", {
                artifactStores: [{}],
            }),
            [],
        );
    });
});

interface ActionSpec {
    name: string;
    category: string;
    provider?: string;
    runOrder?: unknown;
    configuration?: unknown;
}

function action(spec: ActionSpec): object {
    return {
        owner: "AWS",
        version: "1",
        provider: spec.provider ?? (spec.category === "Approval" ? "Manual" : "CodeDeploy"),
        ...spec,
    };
}

function pipeline(name: string, stages: Array<[string, ActionSpec[]]>, extra: object = {}, stack = "prod") {
    const props = {
        pipelineType: "V2",
        stages: stages.map(([stageName, actions]) => ({ name: stageName, actions: actions.map(action) })),
        ...extra,
    };
    return stackResource(PIPELINE_TYPE, name, props, {}, stack);
}

const SOURCE: ActionSpec = { name: "Source", category: "Source", provider: "CodeStarSourceConnection" };
const DEPLOY: ActionSpec = { name: "Deploy", category: "Deploy" };
const APPROVE: ActionSpec = {
    name: "Approve",
    category: "Approval",
    configuration: { NotificationArn: "arn:aws:sns:eu-west-1:123456789012:approvals" },
};
const REASON = 'stack name "prod" matches /(?<![a-z0-9])(?<!pre[-_.])(?<!non[-_.])prod(uction)?(?![a-z0-9])/i';
const ADD =
    "Add an action with category 'Approval', owner 'AWS', provider 'Manual' and configuration.NotificationArn set to an SNS topic ARN, " +
    "in an earlier stage or at a lower runOrder in the same stage.";

describe("codepipeline-production-approval", () => {
    it("reports a production deploy with no approval, against the pipeline's URN", async () => {
        const resource = pipeline("app", [
            ["Source", [SOURCE]],
            ["Prod", [DEPLOY]],
        ]);
        const reports = await validateStack(codepipelineProductionApproval, [resource]);
        assert.deepEqual(reports, [
            {
                message: `CodePipeline 'app' in a production stack (${REASON}) runs Deploy action 'Deploy' (stage 'Prod') with no Manual approval before it. ${ADD}`,
                urn: resource.urn,
            },
        ]);
    });

    it("passes an approval in an earlier stage, or at a lower runOrder in the same stage", async () => {
        const earlierStage = pipeline("a", [
            ["Source", [SOURCE]],
            ["Gate", [APPROVE]],
            ["Prod", [DEPLOY]],
        ]);
        const sameStage = pipeline("b", [
            ["Source", [SOURCE]],
            [
                "Prod",
                [
                    { ...APPROVE, runOrder: 1 },
                    { ...DEPLOY, runOrder: 2 },
                ],
            ],
        ]);
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [earlierStage, sameStage]), []);
    });

    it("does not count an approval after the deploy or at the same runOrder", async () => {
        const after = pipeline("after", [
            ["Prod", [DEPLOY]],
            ["Gate", [APPROVE]],
        ]);
        const parallel = pipeline("same", [
            [
                "Prod",
                [
                    { ...APPROVE, runOrder: 2 },
                    { ...DEPLOY, runOrder: 2 },
                ],
            ],
        ]);
        const messages = await stackMessages(codepipelineProductionApproval, [after, parallel]);
        assert.deepEqual(messages, [
            `CodePipeline 'after' in a production stack (${REASON}) runs Deploy action 'Deploy' (stage 'Prod') with no Manual approval before it (Manual approval 'Approve' runs after it or at the same time). ${ADD}`,
            `CodePipeline 'same' in a production stack (${REASON}) runs Deploy action 'Deploy' (stage 'Prod') with no Manual approval before it (Manual approval 'Approve' runs after it or at the same time). ${ADD}`,
        ]);
    });

    it("reports an approval without NotificationArn, and gates every deploy separately", async () => {
        const resource = pipeline("app", [
            ["Gate", [{ name: "Approve", category: "Approval", configuration: { CustomData: "ship it?" } }]],
            ["Eu", [{ ...DEPLOY, name: "DeployEu" }]],
            ["Gate2", [APPROVE]],
            ["Us", [{ ...DEPLOY, name: "DeployUs" }]],
        ]);
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [resource]), [
            `CodePipeline 'app' in a production stack (${REASON}) runs Deploy action 'DeployEu' (stage 'Eu') after Manual approval 'Approve' without configuration.NotificationArn. Set configuration.NotificationArn to an SNS topic ARN so approvers are notified.`,
        ]);
    });

    it("counts an unknown NotificationArn or runOrder as present in preview", async () => {
        const resource = pipeline("app", [
            [
                "Prod",
                [
                    { ...APPROVE, configuration: { NotificationArn: UNKNOWN }, runOrder: UNKNOWN },
                    { ...DEPLOY, runOrder: 2 },
                ],
            ],
        ]);
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [resource]), []);
    });

    it("still reports a missing approval in preview when other fields are unknown", async () => {
        const resource = pipeline("app", [["Prod", [{ ...DEPLOY, configuration: { ApplicationName: UNKNOWN } }]]], {
            roleArn: UNKNOWN,
        });
        const messages = await stackMessages(codepipelineProductionApproval, [resource]);
        assert.equal(messages.length, 1);
        assert.match(messages[0], /with no Manual approval before it/);
    });

    it("reports PARALLEL execution mode in production", async () => {
        const resource = pipeline(
            "app",
            [
                ["Gate", [APPROVE]],
                ["Prod", [DEPLOY]],
            ],
            { executionMode: "PARALLEL" },
        );
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [resource]), [
            `CodePipeline 'app' uses executionMode 'PARALLEL' in a production stack (${REASON}); parallel executions have no stage rollback and can deploy out of order. Set executionMode to 'QUEUED' or 'SUPERSEDED'.`,
        ]);
    });

    it("does not check non-production stacks", async () => {
        const resource = pipeline("app", [["Prod", [DEPLOY]]], { executionMode: "PARALLEL" }, "staging");
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [resource]), []);
    });

    it("uses the configured production pattern and stack tags", async () => {
        const resource = pipeline("app", [["Deploy", [DEPLOY]]], {}, "eu-live");
        const byPattern = await stackMessages(codepipelineProductionApproval, [resource], {
            config: { productionStackPattern: "-live$" },
        });
        assert.equal(byPattern.length, 1);
        assert.match(byPattern[0], /in a production stack \(stack name "eu-live" matches \/-live\$\/i\)/);
        const byTag = await stackMessages(codepipelineProductionApproval, [resource], {
            stackTags: { environment: "production" },
        });
        assert.equal(byTag.length, 1);
        assert.match(byTag[0], /in a production stack \(stack tag environment=production\)/);
    });

    it("does not crash on unknown or malformed stages", async () => {
        for (const stages of [
            UNKNOWN,
            "x",
            [null, { actions: UNKNOWN }, { actions: [null, 3, { category: UNKNOWN }] }],
        ]) {
            const resource = stackResource(PIPELINE_TYPE, "app", { stages }, {}, "prod");
            assert.deepEqual(await stackMessages(codepipelineProductionApproval, [resource]), []);
        }
    });
});

describe("codepipeline-production-approval: CloudFormation change sets", () => {
    const cfn = (name: string, mode: unknown, runOrder = 1): ActionSpec => ({
        name,
        category: "Deploy",
        provider: "CloudFormation",
        runOrder,
        configuration: { ActionMode: mode, StackName: "app", ChangeSetName: "app-cs" },
    });

    it("passes AWS's create → approve → execute pattern in one stage", async () => {
        const resource = pipeline("app", [
            ["Source", [SOURCE]],
            [
                "Prod",
                [
                    cfn("CreateChangeSet", "CHANGE_SET_REPLACE", 1),
                    { ...APPROVE, runOrder: 2 },
                    cfn("ExecuteChangeSet", "CHANGE_SET_EXECUTE", 3),
                ],
            ],
        ]);
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [resource]), []);
    });

    for (const mode of ["CHANGE_SET_EXECUTE", "CREATE_UPDATE", "REPLACE_ON_FAILURE", "DELETE_ONLY"]) {
        it(`reports ${mode} with no approval before it`, async () => {
            const resource = pipeline("app", [
                ["Source", [SOURCE]],
                ["Prod", [cfn("Stack", mode)]],
            ]);
            assert.deepEqual(await stackMessages(codepipelineProductionApproval, [resource]), [
                `CodePipeline 'app' in a production stack (${REASON}) runs Deploy action 'Stack' (stage 'Prod') (CloudFormation ActionMode ${mode}) with no Manual approval before it. ${ADD}`,
            ]);
        });
    }

    it("reports an approval that comes only after the execute step, and an ActionMode unknown in preview", async () => {
        const resource = pipeline("app", [
            ["Source", [SOURCE]],
            ["Prod", [cfn("Create", "CHANGE_SET_REPLACE", 1), cfn("Execute", "CHANGE_SET_EXECUTE", 2)]],
            ["Gate", [APPROVE]],
            ["Other", [cfn("Computed", UNKNOWN)]],
        ]);
        const messages = await stackMessages(codepipelineProductionApproval, [resource]);
        assert.deepEqual(messages, [
            `CodePipeline 'app' in a production stack (${REASON}) runs Deploy action 'Execute' (stage 'Prod') (CloudFormation ActionMode CHANGE_SET_EXECUTE) with no Manual approval before it (Manual approval 'Approve' runs after it or at the same time). ${ADD}`,
        ]);
        // 'Computed' follows the approval: an unknown mode is judged as changing, and is gated here.
        const ungated = pipeline("b", [["Prod", [cfn("Computed", UNKNOWN)]]]);
        assert.equal((await stackMessages(codepipelineProductionApproval, [ungated])).length, 1);
    });
});

describe("codepipeline-production-approval: CodeBuild actions that deploy", () => {
    const PROJECT = "aws:codebuild/project:Project";
    const buildspec = (...commands: string[]): string =>
        `version: 0.2\nphases:\n  build:\n    commands:\n${commands.map((c) => `      - ${c}`).join("\n")}\n`;
    const project = (name: string, spec: string) =>
        stackResource(PROJECT, name, { name, source: { type: "CODEPIPELINE", buildspec: spec } }, {}, "prod");
    const build = (name: string, projectName: unknown): ActionSpec => ({
        name,
        category: "Build",
        provider: "CodeBuild",
        configuration: { ProjectName: projectName },
    });

    const tools: [string, string][] = [
        ["pulumi up --yes --stack prod", "pulumi up"],
        ["npx cdk deploy --all --require-approval never", "cdk deploy"],
        ["terraform -chdir=infra apply -auto-approve", "terraform apply"],
        ["aws cloudformation deploy --template-file out.yml --stack-name app", "aws cloudformation deploy"],
        ["sam deploy --no-confirm-changeset", "sam deploy"],
        ["kubectl -n prod apply -f k8s/", "kubectl apply"],
        ["helm upgrade --install app ./chart", "helm upgrade"],
        ["serverless deploy --stage prod", "serverless deploy"],
    ];
    for (const [command, label] of tools) {
        it(`reports a CodeBuild action running '${command}' with no approval before it`, async () => {
            const deployer = project("deployer", buildspec("npm ci", command));
            const resource = pipeline("app", [
                ["Source", [SOURCE]],
                ["Release", [build("Ship", "deployer")]],
            ]);
            assert.deepEqual(await stackMessages(codepipelineProductionApproval, [deployer, resource]), [
                `CodePipeline 'app' in a production stack (${REASON}) runs CodeBuild action 'Ship' (stage 'Release'), whose buildspec deploys ('${command}': ${label}), with no Manual approval before it. ${ADD}`,
            ]);
        });
    }

    it("finds a deploy command in a phase's `finally` list, which CodeBuild runs after the phase's commands", async () => {
        const spec =
            "version: 0.2\nphases:\n  build:\n    commands:\n      - npm test\n    finally:\n      - pulumi up --yes\n";
        const resource = pipeline("app", [
            ["Source", [SOURCE]],
            ["Release", [build("Ship", "deployer")]],
        ]);
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [project("deployer", spec), resource]), [
            `CodePipeline 'app' in a production stack (${REASON}) runs CodeBuild action 'Ship' (stage 'Release'), whose buildspec deploys ('pulumi up --yes': pulumi up), with no Manual approval before it. ${ADD}`,
        ]);
    });

    it("passes a deploying CodeBuild action after an approval, and test or plan builds before it", async () => {
        const resources = [
            project("tests", buildspec("npm ci", "npm test", "pulumi preview --stack prod", "terraform plan")),
            project("deployer", buildspec("pulumi up --yes")),
            pipeline("app", [
                ["Source", [SOURCE]],
                ["Test", [build("Test", "tests")]],
                ["Gate", [APPROVE]],
                ["Release", [build("Ship", "deployer")]],
            ]),
        ];
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, resources), []);
    });

    it("in preview, takes an unknown ProjectName to deploy when a project feeding the stages deploys", async () => {
        const deployer = project("deployer", buildspec("cdk deploy"));
        const props = {
            stages: [
                { name: "Source", actions: [action(SOURCE)] },
                { name: "Release", actions: [action(build("Ship", UNKNOWN))] },
            ],
        };
        const resource = stackResource(PIPELINE_TYPE, "app", props, { stages: [deployer] }, "prod");
        const messages = await stackMessages(codepipelineProductionApproval, [deployer, resource]);
        assert.deepEqual(messages, [
            `CodePipeline 'app' in a production stack (${REASON}) runs CodeBuild action 'Ship' (stage 'Release'), whose buildspec deploys ('cdk deploy': cdk deploy), with no Manual approval before it. ${ADD}`,
        ]);
    });
});

describe("codepipeline-production-approval: what counts as production", () => {
    const ungated = (stack: string, extra: object = {}) =>
        pipeline(
            "app",
            [
                ["Source", [SOURCE]],
                ["Prod", [DEPLOY]],
            ],
            extra,
            stack,
        );

    it("reads cicd:tier from the pipeline's provider defaultTags", async () => {
        const resource = ungated("main");
        resource.provider = {
            type: "pulumi:providers:aws",
            name: "aws",
            urn: "urn:pulumi:main::app::pulumi:providers:aws::aws",
            props: { defaultTags: JSON.stringify({ tags: { "cicd:tier": "production", "cicd:environment": "main" } }) },
        };
        const [message] = await stackMessages(codepipelineProductionApproval, [resource]);
        assert.match(
            message,
            /^CodePipeline 'app' in a production stack \(provider defaultTags tag cicd:tier=production\) runs/,
        );
    });

    it("reads cicd:tier from an AWS provider resource of the stack", async () => {
        const provider = stackResource(
            "pulumi:providers:aws",
            "prod-aws",
            { defaultTags: { tags: { "cicd:tier": "production" } } },
            {},
            "main",
        );
        const [message] = await stackMessages(codepipelineProductionApproval, [provider, ungated("main")]);
        assert.match(message, /\(provider defaultTags tag cicd:tier=production of provider prod-aws\)/);
        const staging = stackResource("pulumi:providers:aws", "aws", {
            defaultTags: { tags: { "cicd:tier": "staging" } },
        });
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [staging, ungated("main")]), []);
    });

    it("treats a tooling-account pipeline deploying into a production account as production", async () => {
        const crossAccount: ActionSpec = { ...DEPLOY, configuration: {} };
        const resource = pipeline(
            "app",
            [
                ["Source", [SOURCE]],
                ["Prod", [{ ...crossAccount, roleArn: "arn:aws:iam::111111111111:role/deploy" } as ActionSpec]],
            ],
            {},
            "tooling",
        );
        const config = { productionAccountIds: ["111111111111"] };
        const [message] = await stackMessages(codepipelineProductionApproval, [resource], { config });
        assert.match(message, /\(account 111111111111 is in productionAccountIds\)/);
        assert.deepEqual(await stackMessages(codepipelineProductionApproval, [resource]), []);
    });

    it("counts the prd and live stack names", async () => {
        for (const stack of ["prd", "live"]) {
            const [message] = await stackMessages(codepipelineProductionApproval, [ungated(stack)]);
            assert.match(message, new RegExp(`\\(stack name "${stack}" matches "${stack}"\\)`));
        }
    });
});

describe("codepipeline-no-plaintext-secrets", () => {
    const withVariables = (EnvironmentVariables: unknown) => ({
        stages: [
            { name: "Source", actions: [action(SOURCE)] },
            {
                name: "Build",
                actions: [
                    action({
                        name: "Package",
                        category: "Build",
                        provider: "CodeBuild",
                        configuration: { ProjectName: "app", EnvironmentVariables },
                    }),
                ],
            },
        ],
    });

    it("reports a secret in a CodeBuild action's PLAINTEXT EnvironmentVariables (JSON string), by value and by name", async () => {
        const variables = JSON.stringify([
            { name: "GITHUB_PAT", value: "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", type: "PLAINTEXT" },
            { name: "DEPLOY_PASSWORD", value: "hunter2" },
            { name: "STAGE", value: "prod", type: "PLAINTEXT" },
        ]);
        const messages = await validate(codepipelineNoPlaintextSecrets, PIPELINE_TYPE, withVariables(variables), {
            name: "app",
        });
        const fix =
            "Store it in Secrets Manager or Parameter Store and set its type to 'SECRETS_MANAGER' or 'PARAMETER_STORE' with the secret's name or ARN as value.";
        assert.deepEqual(messages, [
            `CodePipeline 'app' action 'Package' (stage 'Build') passes EnvironmentVariables entry 'GITHUB_PAT' as PLAINTEXT and its value looks like a credential (secretlint @secretlint/secretlint-rule-github: GITHUB_TOKEN). ${fix}`,
            `CodePipeline 'app' action 'Package' (stage 'Build') passes EnvironmentVariables entry 'DEPLOY_PASSWORD' as PLAINTEXT and its name looks like a secret. ${fix}`,
        ]);
    });

    it("accepts references, other types, and variables unknown in preview", async () => {
        for (const variables of [
            JSON.stringify([
                { name: "GITHUB_PAT", value: "github/pat", type: "SECRETS_MANAGER" },
                { name: "DB_PASSWORD", value: "/app/prod/db", type: "PARAMETER_STORE" },
                { name: "DB_SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" },
            ]),
            UNKNOWN,
            "not json",
            [{ name: "STAGE", value: UNKNOWN }],
        ]) {
            assert.deepEqual(
                await validate(codepipelineNoPlaintextSecrets, PIPELINE_TYPE, withVariables(variables)),
                [],
            );
        }
        assert.deepEqual(await validate(codepipelineNoPlaintextSecrets, PIPELINE_TYPE, { stages: UNKNOWN }), []);
    });
});
