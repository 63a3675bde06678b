/**
 * `npm run audit`: reading stack exports and plans, and the end-to-end run over the protocol.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../tools/audit";
import { parseAuditInput, readAuditInput } from "../../../tools/audit/input";
import { secret, UNKNOWN } from "../../harness";

const EXPORTS = path.join(__dirname, "fixtures", "exports");
const TEAM_X = path.join(EXPORTS, "team-x.json");

describe("audit input", () => {
    it("reads a stack export: inputs for analyze, outputs for analyzeStack, no pending deletes", () => {
        const input = readAuditInput(TEAM_X);
        assert.deepStrictEqual([input.format, input.project, input.stack], ["stack-export", "team-x", "prod"]);
        assert.deepStrictEqual(
            input.resources.map((r) => r.inputs.name),
            ["team-x-prod", "default_7_10_0", "artifacts", "deploy-inline", "legacy"],
        );
        const key = input.resources[2];
        assert.deepStrictEqual(key.inputs.properties, {
            description: "artifacts",
            deletionWindowInDays: 30,
            __defaults: [],
        });
        assert.strictEqual(key.outputs.properties["enableKeyRotation"], false);
        assert.strictEqual(key.inputs.parent, "urn:pulumi:prod::team-x::pulumi:pulumi:Stack::team-x-prod");
        assert.deepStrictEqual(key.inputs.provider, {
            type: "pulumi:providers:aws",
            name: "default_7_10_0",
            urn: "urn:pulumi:prod::team-x::pulumi:providers:aws::default_7_10_0",
            properties: { region: "eu-west-1", version: "7.10.0" },
        });
    });

    it("turns an encrypted secret into a secret unknown value, and a plaintext one into its value", () => {
        const legacy = readAuditInput(TEAM_X).resources[4];
        assert.deepStrictEqual(legacy.inputs.properties["description"], secret(UNKNOWN));
        const sig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
        const doc = {
            deployment: {
                resources: [
                    {
                        urn: "urn:pulumi:s::p::t:m:R::r",
                        type: "t:m:R",
                        inputs: { a: { ...sig, plaintext: '{"x":1}' } },
                    },
                ],
            },
        };
        assert.deepStrictEqual(parseAuditInput(doc, "x").resources[0].inputs.properties, { a: secret({ x: 1 }) });
    });

    it("reads a plan file from npm run plan", () => {
        const input = readAuditInput(path.join(EXPORTS, "plan.json"));
        assert.deepStrictEqual([input.format, input.project, input.stack], ["plan", "cicd-platform", "staging"]);
        assert.strictEqual(input.resources[0].inputs.properties["arn"], UNKNOWN);
    });

    it("names the file and both accepted formats for anything else", () => {
        assert.throws(
            () => parseAuditInput({ resources: [] }, "odd.json"),
            new Error(
                "odd.json is neither a `pulumi stack export` file (with deployment.resources) nor a plan file " +
                    "from `npm run plan` (with stack, project and resources).",
            ),
        );
    });

    it("says when the file is missing or not JSON", () => {
        assert.throws(
            () => readAuditInput("/nonexistent/export.json"),
            new Error("Cannot read /nonexistent/export.json: ENOENT."),
        );
        const bad = path.join(os.tmpdir(), `audit-bad-${process.pid}.json`);
        fs.writeFileSync(bad, "{ not json");
        assert.throws(() => readAuditInput(bad), /is not JSON \(.*\): pass a `pulumi stack export` or plan file\.$/);
    });
});

describe("npm run audit (end to end over gRPC)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-"));

    it("exits 1 on mandatory findings and writes a Markdown report grouped by policy", async () => {
        const out = path.join(dir, "team-x.md");
        const lines: string[] = [];
        const code = await main([TEAM_X, "--out", out], (line) => lines.push(line));
        assert.strictEqual(code, 1);
        // The count of IAM findings belongs to the IAM policies' tests; here only the shape matters.
        assert.match(lines[1], /^5 resources, (\d+) findings, \1 mandatory\. Report: .*team-x\.md$/);
        const report = fs.readFileSync(out, "utf8");
        assert.ok(report.startsWith("# Policy audit: team-x/prod\n"));
        assert.match(report, /\n## kms-key-rotation \(2\)\n/);
        assert.match(
            report,
            /\| mandatory \| `urn:pulumi:prod::team-x::aws:kms\/key:Key::legacy` \| Tag "policy-exemption:kms-key-rotation" expired on 2020-01-31/,
        );
        assert.match(report, /\n## iam-no-wildcard-actions \(1\)\n/);
    });

    it("exits 0 on a compliant stack and writes the report beside the input by default", async () => {
        const input = path.join(dir, "clean.json");
        fs.copyFileSync(path.join(EXPORTS, "clean.json"), input);
        const lines: string[] = [];
        assert.strictEqual(await main([input], (line) => lines.push(line)), 0);
        assert.deepStrictEqual(lines, [
            "No findings.",
            `2 resources, 0 findings, 0 mandatory. Report: ${path.join(dir, "clean.audit.md")}`,
        ]);
        assert.match(
            fs.readFileSync(path.join(dir, "clean.audit.md"), "utf8"),
            /0 findings, 0 mandatory\.\n\nNo findings\.\n$/,
        );
    });

    it("rejects a usage error before starting the pack", async () => {
        await assert.rejects(main([]), /^Error: expected exactly one input file, got 0\.\nusage: npm run audit -- /);
    });
});
