/**
 * The harness against a fixture pack, over the analyzer gRPC protocol: what the engine sends is
 * what the policies see, and what they report comes back intact.
 */
import * as assert from "assert";
import * as path from "path";
import { AnalyzerResource, PolicyPackClient, secret, startPolicyPack, UNKNOWN } from "../../harness";

const FIXTURE = path.join(__dirname, "fixtures", "tiny-pack");
const urn = (type: string, name: string): string => `urn:pulumi:dev::fixture::${type}::${name}`;

function resource(type: string, name: string, properties: Record<string, unknown>): AnalyzerResource {
    return { type, name, urn: urn(type, name), properties };
}

describe("harness over gRPC (fixture pack)", () => {
    let pack: PolicyPackClient;

    before(async () => {
        pack = await startPolicyPack(FIXTURE, { entry: "typescript" });
    });
    after(async () => {
        await pack?.close();
    });
    afterEach(async () => {
        await pack.configure({});
    });

    it("reports the pack's name, version and policies with levels and config schema", async () => {
        const info = await pack.info();
        assert.strictEqual(info.name, "tiny-pack");
        assert.strictEqual(info.version, "0.0.1");
        assert.deepStrictEqual(
            info.policies.map((p) => `${p.name}:${p.enforcementLevel}`),
            [
                "fixture-bucket-key:mandatory",
                "fixture-echo:advisory",
                "fixture-crash:mandatory",
                "fixture-rotation:remediate",
                "fixture-bucket-has-policy:mandatory",
                "exemption-valid:mandatory",
            ],
        );
        assert.deepStrictEqual(info.policies[0].configSchema?.properties, {
            requiredPrefix: { type: "string", default: "" },
        });
    });

    it("reports a missing property as a mandatory violation with description and message", async () => {
        const { diagnostics } = await pack.analyze(resource("fixture:index:Bucket", "b", {}));
        assert.deepStrictEqual(
            diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.message]),
            [["fixture-bucket-key", "mandatory", "Buckets name a KMS key.\nkmsKeyId is missing."]],
        );
    });

    it("applies configure() to later calls, and replaces earlier config", async () => {
        const bucket = resource("fixture:index:Bucket", "b", { kmsKeyId: "alias/aws/s3" });
        await pack.configure({ "fixture-bucket-key": { requiredPrefix: "arn:aws:kms:" } });
        const configured = await pack.analyze(bucket);
        assert.deepStrictEqual(
            configured.diagnostics.map((d) => d.message),
            ['Buckets name a KMS key.\nkmsKeyId must start with "arn:aws:kms:".'],
        );
        // Settings without a level keep the policy's own (mandatory) level.
        assert.deepStrictEqual(
            configured.diagnostics.map((d) => d.enforcementLevel),
            ["mandatory"],
        );
        await pack.configure({ "fixture-bucket-key": "disabled" });
        assert.deepStrictEqual((await pack.analyze(bucket)).diagnostics, []);
    });

    it("turns a read of an unknown value into an advisory preview note", async () => {
        const { diagnostics } = await pack.analyze(resource("fixture:index:Bucket", "b", { kmsKeyId: UNKNOWN }));
        assert.strictEqual(diagnostics.length, 1);
        assert.strictEqual(diagnostics[0].enforcementLevel, "advisory");
        assert.strictEqual(
            diagnostics[0].message,
            "can't run policy 'fixture-bucket-key' from policy pack 'tiny-pack@v0.0.1' during preview: " +
                "string value at .kmsKeyId can't be known during preview",
        );
    });

    it("delivers stack tags, parent and unwrapped secrets to the policy", async () => {
        await pack.configureStack({
            stack: "prod",
            project: "fixture",
            dryRun: true,
            tags: { environment: "production" },
        });
        const echo = { ...resource("fixture:index:Echo", "e", { password: secret("hunter2") }), parent: "urn:parent" };
        const { diagnostics } = await pack.analyze(echo);
        assert.deepStrictEqual(
            diagnostics.map((d) => d.message),
            ["Echoes what the pack received.\ntags=[environment=production] parent=urn:parent password=hunter2"],
        );
    });

    it("surfaces a policy that throws as a rejected call naming the policy", async () => {
        await assert.rejects(
            pack.analyze(resource("fixture:index:Crash", "c", {})),
            /^Error: Error validating resource with policy 'fixture-crash' from policy pack 'tiny-pack@v0.0.1':\nError: boom/,
        );
    });

    it("joins resources in analyzeStack through propertyDependencies and resolves parents", async () => {
        const component = resource("fixture:index:Pipeline", "pipe", {});
        const covered = { ...resource("fixture:index:Bucket", "covered", {}), parent: component.urn };
        const bare = { ...resource("fixture:index:Bucket", "bare", {}), parent: component.urn };
        const policy = {
            ...resource("fixture:index:BucketPolicy", "p", { bucket: UNKNOWN }),
            dependencies: [covered.urn],
            propertyDependencies: { bucket: [covered.urn] },
        };
        const { diagnostics } = await pack.analyzeStack([component, covered, bare, policy]);
        assert.deepStrictEqual(
            diagnostics.map((d) => [d.policyName, d.urn, d.message]),
            [
                [
                    "fixture-bucket-has-policy",
                    bare.urn,
                    "Every bucket has a policy resource whose `bucket` input comes from it.\nbare (child of pipe) has no bucket policy.",
                ],
            ],
        );
    });

    it("remediates through the remediate RPC and keeps secrets secret", async () => {
        const key = resource("fixture:index:Key", "k", { enableKeyRotation: false, description: secret("s3cr3t") });
        const { remediations } = await pack.remediate(key);
        assert.deepStrictEqual(
            remediations.map((r) => [r.policyName, r.diagnostic]),
            [["fixture-rotation", ""]],
        );
        assert.deepStrictEqual(remediations[0].properties, { enableKeyRotation: true, description: secret("s3cr3t") });
    });

    it("does not remediate a compliant resource, nor when the policy is configured advisory", async () => {
        const compliant = resource("fixture:index:Key", "k", { enableKeyRotation: true });
        assert.deepStrictEqual((await pack.remediate(compliant)).remediations, []);
        await pack.configure({ "fixture-rotation": "advisory" });
        const rotating = resource("fixture:index:Key", "k", { enableKeyRotation: false });
        assert.deepStrictEqual((await pack.remediate(rotating)).remediations, []);
    });

    it("serves many concurrent analyze calls from one process", async () => {
        const calls = Array.from({ length: 50 }, (_, i) =>
            pack.analyze(resource("fixture:index:Bucket", `b${i}`, i % 2 ? {} : { kmsKeyId: "k" })),
        );
        const counts = (await Promise.all(calls)).map((r) => r.diagnostics.length);
        assert.deepStrictEqual(
            counts,
            Array.from({ length: 50 }, (_, i) => (i % 2 ? 1 : 0)),
        );
    });
});
