/**
 * The real pack over the analyzer gRPC protocol: compiled (as the plan and audit run it), and from
 * its TypeScript entry as `pulumi preview --policy-pack policy-pack` starts it (type-checked by ts-node).
 */
import * as assert from "assert";
import * as path from "path";
import fc from "fast-check";
import { AnalyzerResource, PolicyPackClient, secret, startPolicyPack, UNKNOWN } from "../../harness";
import { hostileResource, hostileStack } from "./arbitraries";

const PACK_DIR = path.join(__dirname, "..", "..");
const KEY = "aws:kms/key:Key";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";

function res(type: string, name: string, properties: Record<string, unknown>): AnalyzerResource {
    return { type, name, urn: `urn:pulumi:prod::cicd::${type}::${name}`, properties };
}

// Changing a name or a default level is a breaking change for every team's policy config:
// update this list, the README table and the release notes together.
const PINNED = [
    "codepipeline-artifact-store-encryption:mandatory",
    "codepipeline-production-approval:mandatory",
    "codepipeline-no-plaintext-secrets:mandatory",
    "codepipeline-no-github-v1-source:mandatory",
    "codepipeline-v2-no-polling:mandatory",
    "codepipeline-approval-timeout-notification:mandatory",
    "codepipeline-region-fanout:mandatory",
    "codepipeline-deployment-count:mandatory",
    "codebuild-project-cmk-encryption:mandatory",
    "codebuild-no-plaintext-secrets:mandatory",
    "codebuild-privileged-mode:advisory",
    "codebuild-source-no-credentials:mandatory",
    "codebuild-s3-logs-encrypted:mandatory",
    "codebuild-logging-enabled:mandatory",
    "codebuild-report-group-export-encrypted:mandatory",
    "codebuild-artifact-encryption:mandatory",
    "codebuild-managed-image:advisory",
    "codebuild-private-image-service-role:mandatory",
    "codedeploy-auto-rollback-monitor:mandatory",
    "codedeploy-lambda-gradual-traffic-shift:mandatory",
    "codedeploy-minimum-healthy-hosts:mandatory",
    "s3-bucket-kms-encryption:mandatory",
    "s3-bucket-public-access-block:mandatory",
    "s3-public-access-block-flags:mandatory",
    "s3-bucket-tls-only:mandatory",
    "s3-artifact-bucket-versioning:mandatory",
    "s3-bucket-policy-no-public-principal:mandatory",
    "kms-key-rotation:mandatory",
    "kms-key-policy-no-public-principal:mandatory",
    "sns-topic-encryption:mandatory",
    "sns-topic-policy-no-public-principal:mandatory",
    "sns-topic-tls-publish:mandatory",
    "cloudwatch-log-group-kms-encryption:advisory",
    "eventbridge-target-dead-letter-queue:advisory",
    "ecr-repository-kms-encryption:mandatory",
    "ecr-scan-on-push:mandatory",
    "ecr-immutable-tags:mandatory",
    "iam-no-wildcard-actions:mandatory",
    "iam-no-wildcard-resources:mandatory",
    "iam-no-passrole-wildcard:mandatory",
    "iam-no-privilege-escalation:mandatory",
    "iam-no-self-escalation:mandatory",
    "iam-no-admin-managed-policies:mandatory",
    "iam-trust-no-wildcard-principal:mandatory",
    "iam-trust-account-root-condition:mandatory",
    "iam-github-oidc-pinned-subject:mandatory",
    "exemption-valid:mandatory",
];

describe("cicd-guardrails over gRPC", () => {
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPolicyPack(PACK_DIR);
        await pack.configureStack({ stack: "prod", project: "cicd", dryRun: true, tags: {} });
    });
    after(async () => {
        await pack?.close();
    });
    afterEach(async () => {
        await pack.configure({});
    });

    it("pins every policy name and default enforcement level", async () => {
        const info = await pack.info();
        assert.strictEqual(info.name, "cicd-guardrails");
        assert.strictEqual(info.version, "0.1.0");
        assert.deepStrictEqual(
            info.policies.map((p) => `${p.name}:${p.enforcementLevel}`),
            PINNED,
        );
    });

    it("serves the same policies from the TypeScript entry the CLI runs", async function () {
        this.timeout(180_000); // ts-node type-checks the whole pack first
        const typescript = await startPolicyPack(PACK_DIR, { entry: "typescript" });
        try {
            assert.deepStrictEqual(await typescript.info(), await pack.info());
        } finally {
            await typescript.close();
        }
    });

    it("publishes JSON-schema config for the configurable policies", async () => {
        const schemas = Object.fromEntries((await pack.info()).policies.map((p) => [p.name, p.configSchema]));
        // Struct keys come back sorted.
        assert.deepStrictEqual(Object.keys(schemas["codepipeline-production-approval"]?.properties ?? {}), [
            "productionAccountIds",
            "productionStackNames",
            "productionStackPattern",
            "productionTagKey",
            "productionTagValues",
        ]);
        assert.deepStrictEqual(Object.keys(schemas["exemption-valid"]?.properties ?? {}), ["maxDays"]);
    });

    it("blocks a missing key in preview while the rest of the resource is unknown", async () => {
        const key = res(KEY, "artifacts", { arn: UNKNOWN, description: UNKNOWN });
        const { diagnostics } = await pack.analyze(key);
        assert.deepStrictEqual(
            diagnostics.map((d) => [d.policyName, d.enforcementLevel]),
            [["kms-key-rotation", "mandatory"]],
        );
    });

    it("downgrades an exempted real finding to advisory with its reason", async () => {
        const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
        const tags = { "policy-exemption:kms-key-rotation": `until=${until} reason=SEC-9 imported key` };
        const { diagnostics } = await pack.analyze(res(KEY, "imported", { tags }));
        assert.deepStrictEqual(
            diagnostics.map((d) => [d.policyName, d.enforcementLevel]),
            [["kms-key-rotation", "advisory"]],
        );
        assert.ok(
            diagnostics[0].message.startsWith(
                `Exempted until ${until} by tag "policy-exemption:kms-key-rotation": SEC-9 imported key\n`,
            ),
        );
    });

    it("remediates key rotation and public-access-block flags only when opted in", async () => {
        const key = res(KEY, "k", { description: secret("payments key") });
        const pab = res(PAB, "p", { bucket: UNKNOWN, blockPublicAcls: true });
        assert.deepStrictEqual((await pack.remediate(key)).remediations, []);
        await pack.configure({ "kms-key-rotation": "remediate", "s3-public-access-block-flags": "remediate" });
        const [keyFix, pabFix] = await Promise.all([pack.remediate(key), pack.remediate(pab)]);
        assert.deepStrictEqual(
            keyFix.remediations.map((r) => [r.policyName, r.properties]),
            [["kms-key-rotation", { description: secret("payments key"), enableKeyRotation: true }]],
        );
        assert.deepStrictEqual(
            pabFix.remediations.map((r) => [r.policyName, r.properties]),
            [
                [
                    "s3-public-access-block-flags",
                    {
                        bucket: UNKNOWN,
                        blockPublicAcls: true,
                        blockPublicPolicy: true,
                        ignorePublicAcls: true,
                        restrictPublicBuckets: true,
                    },
                ],
            ],
        );
    });

    it("refuses a config naming an unknown policy or breaking a schema before it reaches the pack", async () => {
        await assert.rejects(
            pack.configure({
                "kms-rotation": "mandatory",
                "codepipeline-production-approval": { productionAccountIds: ["prod"] },
            }),
            {
                name: "PolicyPackConfigError",
                message:
                    "Invalid policy pack config:\n" +
                    `- \`kms-rotation\` is not a policy of cicd-guardrails: use one of ${PINNED.map((p) => p.split(":")[0]).join(", ")}.\n` +
                    '- `codepipeline-production-approval.productionAccountIds.0` must match pattern "^[0-9]{12}$": fix the value in the policy pack config.',
            },
        );
    });

    it("reads production from the provider the engine sends with a resource (analyze, preview)", async () => {
        const urn = "urn:pulumi:main::cicd::aws:iam/role:Role::gha";
        const trust = {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: UNKNOWN },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } },
                },
            ],
        };
        const role = (tier: string): AnalyzerResource => ({
            type: "aws:iam/role:Role",
            name: "gha",
            urn,
            properties: { arn: UNKNOWN, assumeRolePolicy: JSON.stringify(trust) },
            provider: {
                type: "pulumi:providers:aws",
                name: "default",
                urn: "urn:pulumi:main::cicd::pulumi:providers:aws::default",
                properties: { region: "eu-west-1", defaultTags: JSON.stringify({ tags: { "cicd:tier": tier } }) },
            },
        });
        const prod = await pack.analyze(role("production"));
        assert.deepStrictEqual(
            prod.diagnostics.map((d) => [d.policyName, d.enforcementLevel]),
            [["iam-github-oidc-pinned-subject", "mandatory"]],
        );
        assert.match(prod.diagnostics[0].message, /provider defaultTags tag cicd:tier=production/);
        assert.deepStrictEqual((await pack.analyze(role("staging"))).diagnostics, []);
    });

    it("gates a CodeBuild deploy in a stack whose AWS provider is tagged production (analyzeStack)", async () => {
        const urn = (type: string, name: string): string => `urn:pulumi:main::cicd::${type}::${name}`;
        const buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - pulumi up --yes\n";
        const stack: AnalyzerResource[] = [
            {
                type: "pulumi:providers:aws",
                name: "prod",
                urn: urn("pulumi:providers:aws", "prod"),
                properties: { defaultTags: JSON.stringify({ tags: { "cicd:tier": "production" } }) },
            },
            {
                type: "aws:codebuild/project:Project",
                name: "deployer",
                urn: urn("aws:codebuild/project:Project", "deployer"),
                properties: { name: "deployer", source: { type: "CODEPIPELINE", buildspec } },
            },
            {
                type: "aws:codepipeline/pipeline:Pipeline",
                name: "app",
                urn: urn("aws:codepipeline/pipeline:Pipeline", "app"),
                properties: {
                    stages: [
                        { name: "Source", actions: [{ name: "Src", category: "Source", provider: "S3" }] },
                        {
                            name: "Ship",
                            actions: [
                                {
                                    name: "Up",
                                    category: "Build",
                                    provider: "CodeBuild",
                                    configuration: { ProjectName: "deployer" },
                                },
                            ],
                        },
                    ],
                },
            },
        ];
        const { diagnostics } = await pack.analyzeStack(stack);
        const gate = diagnostics.filter((d) => d.policyName === "codepipeline-production-approval");
        assert.strictEqual(gate.length, 1);
        assert.match(
            gate[0].message,
            /production stack \(provider defaultTags tag cicd:tier=production of provider prod\) runs CodeBuild action 'Up'/,
        );
    });

    it("answers every RPC for a sample of hostile resources and stacks", async () => {
        const resources = fc.sample(hostileResource, { numRuns: 60, seed: 42 });
        await Promise.all(resources.map((r) => pack.analyze(r)));
        await Promise.all(resources.slice(0, 20).map((r) => pack.remediate(r)));
        for (const stack of fc.sample(hostileStack, { numRuns: 10, seed: 7 })) {
            await pack.analyzeStack(stack);
        }
    });
});
