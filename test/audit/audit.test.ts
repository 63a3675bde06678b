/**
 * `npm run audit`: reading stack exports and plans, the formats, and the end-to-end run over the
 * analyzer protocol with the product's own pack.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { main } from "../../tools/audit";
import { type AuditReport, render } from "../../tools/audit/formats";
import { parseAuditInput, readAuditInput } from "../../tools/audit/input";
import { PackSession } from "../../tools/shared/pack";
import { UNKNOWN } from "../../tools/shared/resource";
import { ECHO_PACK, packCopy } from "../plan/helpers";

const EXPORTS = path.join(__dirname, "fixtures", "exports");
const TEAM_X = path.join(EXPORTS, "team-x.json");
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

async function audit(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
        argv,
        (line) => out.push(line),
        (line) => err.push(line),
    );
    return { code, out, err };
}

describe("audit input", () => {
    it("reads a stack export: inputs for analyze, outputs for analyzeStack, providers, no pending deletes", () => {
        const input = readAuditInput(TEAM_X);
        assert.deepStrictEqual([input.format, input.project, input.stack], ["stack-export", "team-x", "prod"]);
        assert.deepStrictEqual(
            input.resources.map((r) => r.name),
            ["team-x-prod", "default_7_10_0", "artifacts", "deploy-inline", "legacy"],
        );
        const key = input.resources[2];
        assert.deepStrictEqual(key.inputs, { description: "artifacts", deletionWindowInDays: 30, __defaults: [] });
        assert.strictEqual(key.outputs?.enableKeyRotation, false);
        assert.strictEqual(key.parent, "urn:pulumi:prod::team-x::pulumi:pulumi:Stack::team-x-prod");
        assert.strictEqual(key.provider, "urn:pulumi:prod::team-x::pulumi:providers:aws::default_7_10_0");
        assert.strictEqual(input.resources[0].custom, false);
    });

    it("turns an encrypted secret into a secret unknown value, and a plaintext one into its value", () => {
        const legacy = readAuditInput(TEAM_X).resources[4];
        assert.deepStrictEqual(legacy.inputs.description, { ...SECRET, value: UNKNOWN });
        const doc = {
            deployment: {
                resources: [
                    {
                        urn: "urn:pulumi:s::p::t:m:R::r",
                        type: "t:m:R",
                        inputs: { a: { ...SECRET, plaintext: '{"x":1}' } },
                    },
                ],
            },
        };
        assert.deepStrictEqual(parseAuditInput(doc, "x").resources[0].inputs, { a: { ...SECRET, value: { x: 1 } } });
    });

    it("reads a plan file from npm run plan, as a preview when it was one", () => {
        const input = readAuditInput(path.join(EXPORTS, "plan.json"));
        assert.deepStrictEqual(
            [input.format, input.project, input.stack, input.preview],
            ["plan", "cicd-platform", "staging", true],
        );
        assert.strictEqual(input.resources[0].inputs.arn, UNKNOWN);
    });

    it("names the file and both accepted formats for anything else", () => {
        assert.throws(
            () => parseAuditInput({ resources: [] }, "odd.json"),
            new RegExp(
                "^ToolError: odd\\.json is neither a `pulumi stack export` file \\(with deployment\\.resources\\) nor a plan " +
                    "file from `npm run plan` \\(\\.plan/<stack>/resources\\.json\\)\\.$",
            ),
        );
    });

    it("says when the file is missing or not JSON", () => {
        assert.throws(
            () => readAuditInput("/nonexistent/export.json"),
            /^ToolError: cannot read \/nonexistent\/export\.json: ENOENT\.$/,
        );
        const bad = path.join(os.tmpdir(), `audit-bad-${process.pid}.json`);
        fs.writeFileSync(bad, "{ not json");
        assert.throws(() => readAuditInput(bad), /is not JSON \(.*\): pass a `pulumi stack export` or plan file\.$/);
    });
});

describe("npm run audit (end to end over gRPC)", function () {
    this.timeout(240_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-"));

    it("exits 1 on mandatory findings and prints them grouped by policy with a summary", async () => {
        const run = await audit(TEAM_X);
        assert.strictEqual(run.code, 1, run.err.join("\n"));
        assert.match(run.out[1], /^5 resources, (\d+) findings, \1 mandatory\.$/);
        assert.match(run.out[0], /kms-key-rotation \(2\)/);
    });

    it("writes Markdown grouped by policy with --format markdown --out", async () => {
        const out = path.join(dir, "team-x.md");
        const run = await audit(TEAM_X, "--format", "markdown", "--out", out);
        assert.strictEqual(run.code, 1);
        assert.match(run.out[0], /^5 resources, \d+ findings, \d+ mandatory\. Report: .*team-x\.md$/);
        const report = fs.readFileSync(out, "utf8");
        assert.ok(report.startsWith("# Policy audit: team-x/prod\n"));
        assert.match(report, /\n## kms-key-rotation \(2\)\n/);
        assert.match(
            report,
            /\| mandatory \| `urn:pulumi:prod::team-x::aws:kms\/key:Key::legacy` \| Tag "policy-exemption:kms-key-rotation" expired on 2020-01-31/,
        );
        assert.match(report, /\n## iam-no-wildcard-actions \(1\)\n/);
    });

    it("exits 0 on a compliant stack", async () => {
        const run = await audit(path.join(EXPORTS, "clean.json"));
        assert.strictEqual(run.code, 0, run.err.join("\n"));
        assert.deepStrictEqual(run.out, ["No findings.", "2 resources, 0 findings, 0 mandatory."]);
    });

    it("rejects a setting of the wrong type with the policy, the key and the rule", async () => {
        const config = path.join(dir, "bad-config.json");
        fs.writeFileSync(config, JSON.stringify({ "echo-context": { marker: 7 } }));
        const run = await audit(TEAM_X, "--policy-pack", packCopy(ECHO_PACK, true), "--policy-pack-config", config);
        assert.strictEqual(run.code, 2);
        assert.deepStrictEqual(run.err, [
            "audit: --policy-pack-config: `echo-context.marker` must be string: fix the value in the policy pack config.",
        ]);
    });

    it("fails closed when the pack cannot run", async () => {
        const run = await audit(TEAM_X, "--policy-pack", packCopy(ECHO_PACK, false));
        assert.strictEqual(run.code, 5);
        assert.match(
            run.err[0],
            /^audit: the policy pack's dependencies are not installed in .*, so nothing was checked/,
        );
    });

    it("rejects a usage error and an unknown format before starting the pack", async () => {
        const none = await audit();
        assert.strictEqual(none.code, 2);
        assert.match(none.err[0], /^audit: expected exactly one input file, got 0\.\nusage: npm run audit -- /);
        const format = await audit(TEAM_X, "--format", "html");
        assert.deepStrictEqual(
            [format.code, format.err],
            [2, ["audit: --format html is not one of table, json, sarif, markdown."]],
        );
    });
});

describe("audit formats", function () {
    this.timeout(240_000);
    let session: PackSession | undefined;
    let checked: AuditReport | undefined;
    /** One pack process for the format tests: what differs between them is rendering only. */
    const report = async (): Promise<AuditReport> => {
        if (!checked) {
            session = await PackSession.open(path.join(__dirname, "..", "..", "policy-pack"));
            const input = readAuditInput(TEAM_X);
            const findings = await session.check({ ...input, dryRun: false, tags: {} });
            checked = { input, source: TEAM_X, pack: session.info, findings };
        }
        return checked;
    };
    after(async () => {
        await session?.close();
    });

    it("prints SARIF 2.1.0 that code scanning accepts: rules, levels, locations, fingerprints", async () => {
        const log = JSON.parse(render("sarif", await report()));
        assert.strictEqual(log.version, "2.1.0");
        assert.strictEqual(log.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
        assert.strictEqual(log.runs.length, 1);
        const { driver } = log.runs[0].tool;
        assert.strictEqual(driver.name, "cicd-guardrails");
        const ruleIds = driver.rules.map((r: { id: string }) => r.id);
        assert.ok(ruleIds.includes("kms-key-rotation"));
        const results = log.runs[0].results as Array<Record<string, any>>;
        assert.ok(results.length > 0);
        for (const result of results) {
            assert.strictEqual(driver.rules[result.ruleIndex].id, result.ruleId);
            assert.ok(["error", "warning", "note", "none"].includes(result.level));
            assert.strictEqual(typeof result.message.text, "string");
            assert.strictEqual(result.locations[0].physicalLocation.artifactLocation.uri, TEAM_X);
            assert.strictEqual(result.locations[0].physicalLocation.region.startLine, 1);
            assert.match(result.partialFingerprints["policyFinding/v1"], /^[0-9a-f]{64}$/);
        }
        const legacy = results.find(
            (r) =>
                r.ruleId === "kms-key-rotation" &&
                r.locations[0].logicalLocations[0].fullyQualifiedName.endsWith("::legacy"),
        )!;
        assert.strictEqual(legacy.level, "error");
        assert.strictEqual(legacy.locations[0].logicalLocations[0].kind, "resource");
    });

    it("prints JSON with the pack, the counts and every finding", async () => {
        const doc = JSON.parse(render("json", await report()));
        assert.deepStrictEqual(
            [doc.kind, doc.project, doc.stack, doc.resources],
            ["policy-audit", "team-x", "prod", 5],
        );
        assert.strictEqual(doc.pack.name, "cicd-guardrails");
        assert.strictEqual(
            doc.mandatory,
            doc.findings.filter((f: { enforcementLevel: string }) => f.enforcementLevel === "mandatory").length,
        );
    });
});
