/**
 * Exemption tags as the engine delivers them: the wrapped policy's finding comes back advisory
 * with the reason, and a broken exemption is a mandatory `exemption-valid` violation.
 */
import * as assert from "assert";
import * as path from "path";
import { AnalyzerResource, Diagnostic, PolicyPackClient, startPolicyPack, UNKNOWN } from "../../harness";

const FIXTURE = path.join(__dirname, "fixtures", "tiny-pack");
const BUCKET = "fixture:index:Bucket";

function inDays(days: number): string {
    return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function bucket(name: string, tags: unknown): AnalyzerResource {
    return { type: BUCKET, name, urn: `urn:pulumi:dev::fixture::${BUCKET}::${name}`, properties: { tags } };
}

const summary = (ds: Diagnostic[]): string[][] => ds.map((d) => [d.policyName, d.enforcementLevel, d.message]);

describe("exemptions over gRPC (fixture pack)", () => {
    let pack: PolicyPackClient;
    const until = inDays(30);
    const exempt = { "policy-exemption:fixture-bucket-key": `until=${until} reason=SEC-42 legacy bucket` };
    const note = `Exempted until ${until} by tag "policy-exemption:fixture-bucket-key": SEC-42 legacy bucket`;

    before(async () => {
        pack = await startPolicyPack(FIXTURE, { entry: "typescript" });
    });
    after(async () => {
        await pack?.close();
    });

    it("reports an exempted resource policy finding as advisory, with the reason", async () => {
        const { diagnostics } = await pack.analyze(bucket("legacy", exempt));
        assert.deepStrictEqual(summary(diagnostics), [
            ["fixture-bucket-key", "advisory", `${note}\nBuckets name a KMS key.\nkmsKeyId is missing.`],
        ]);
    });

    it("reports an exempted stack policy finding as advisory, for that resource only", async () => {
        const tags = { "policy-exemption:fixture-bucket-has-policy": `until=${until} reason=OPS-7 shared bucket` };
        const { diagnostics } = await pack.analyzeStack([bucket("legacy", tags), bucket("other", {})]);
        const description = "Every bucket has a policy resource whose `bucket` input comes from it.";
        const stackNote = `Exempted until ${until} by tag "policy-exemption:fixture-bucket-has-policy": OPS-7 shared bucket`;
        assert.deepStrictEqual(summary(diagnostics), [
            ["fixture-bucket-has-policy", "advisory", `${stackNote}\n${description}\nlegacy has no bucket policy.`],
            ["fixture-bucket-has-policy", "mandatory", `${description}\nother has no bucket policy.`],
        ]);
    });

    it("keeps the finding mandatory and flags the tag when the exemption expired", async () => {
        const expired = { "policy-exemption:fixture-bucket-key": "until=2020-01-31 reason=SEC-1" };
        const { diagnostics } = await pack.analyze(bucket("old", expired));
        assert.deepStrictEqual(summary(diagnostics), [
            ["fixture-bucket-key", "mandatory", "Buckets name a KMS key.\nkmsKeyId is missing."],
            [
                "exemption-valid",
                "mandatory",
                'Exemption tags (policy-exemption:<policy> = "until=YYYY-MM-DD reason=<why>") name a policy of this ' +
                    'pack, give a reason, and have not expired.\nTag "policy-exemption:fixture-bucket-key" expired on ' +
                    "2020-01-31: fix the finding, or renew the exemption with a new date and reason.",
            ],
        ]);
    });

    it("flags a reasonless exemption and an unknown policy name", async () => {
        const tags = {
            "policy-exemption:fixture-bucket-key": `until=${until}`,
            "policy-exemption:no-such-policy": `until=${until} reason=x`,
        };
        const { diagnostics } = await pack.analyze(bucket("b", tags));
        assert.deepStrictEqual(
            diagnostics.filter((d) => d.policyName === "exemption-valid").map((d) => d.message.split("\n")[1]),
            [
                'Tag "policy-exemption:fixture-bucket-key" gives no reason: add "reason=<ticket and why>" after the date.',
                'Tag "policy-exemption:no-such-policy" names no policy of this pack: check the policy name in the pack\'s README.',
            ],
        );
        assert.deepStrictEqual(
            diagnostics.map((d) => d.enforcementLevel),
            ["mandatory", "mandatory", "mandatory"],
        );
    });

    it("honours the configured maximum exemption length", async () => {
        const far = { "policy-exemption:fixture-bucket-key": `until=${inDays(500)} reason=SEC-9` };
        const flagged = await pack.analyze(bucket("b", far));
        assert.deepStrictEqual(
            flagged.diagnostics.map((d) => d.policyName),
            ["fixture-bucket-key", "exemption-valid"],
        );
        await pack.configure({ "exemption-valid": { enforcementLevel: "mandatory", maxDays: 730 } });
        const allowed = await pack.analyze(bucket("b", far));
        await pack.configure({});
        assert.deepStrictEqual(
            summary(allowed.diagnostics).map((d) => d.slice(0, 2)),
            [["fixture-bucket-key", "advisory"]],
        );
    });

    it("neither exempts nor fails when tags are unknown during preview", async () => {
        const { diagnostics } = await pack.analyze(bucket("b", UNKNOWN));
        assert.deepStrictEqual(summary(diagnostics), [
            ["fixture-bucket-key", "mandatory", "Buckets name a KMS key.\nkmsKeyId is missing."],
        ]);
    });
});
