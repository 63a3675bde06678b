import { strict as assert } from "assert";
import * as path from "path";
import { startPolicyPack, type PolicyPackClient } from "../../policy-pack/harness";
import { toAnalyzerResource } from "../../tools/plan/analyzer-resources";
import { evaluateStack } from "../../tools/plan/evaluate-stack";
import { analyzeWithPack } from "../../tools/plan/policy-check";
import { loadStackConfig } from "../../tools/plan/stack-config";
import { computeTotals } from "../../tools/plan/totals";

const ROOT = path.join(__dirname, "..", "..");

/**
 * Our own stacks, planned offline and checked by our own pack over the analyzer protocol, as
 * `pulumi preview --policy-pack policy-pack` would: no mandatory finding, plain or with computed values unknown.
 */
describe("our stacks against our policy pack", function () {
    this.timeout(300_000);
    let pack: PolicyPackClient;
    before(async () => {
        pack = await startPolicyPack(path.join(ROOT, "policy-pack"));
    });
    after(async () => {
        await pack?.close();
    });

    for (const stack of ["dev", "staging", "prod"]) {
        for (const preview of [false, true]) {
            it(`${stack}${preview ? " (preview: computed values unknown)" : ""}: no mandatory violation, ≤ 4 roles per pipeline (pipeline, build, test, deploy), no * action`, async () => {
                const config = loadStackConfig(ROOT, stack);
                const { resources } = evaluateStack(ROOT, config, preview);
                const violations = await analyzeWithPack(pack, resources.map(toAnalyzerResource), {
                    stack,
                    project: config.project,
                    dryRun: preview,
                });
                const mandatory = violations
                    .filter((v) => v.enforcementLevel === "mandatory")
                    .map((v) => `${v.policyName}: ${v.message}`);
                assert.deepEqual(mandatory, []);
                const totals = computeTotals(resources);
                assert.equal(totals.pipelines, 4);
                assert.equal(totals.wildcardActionStatements, 0);
                const pipelineRoles = resources.filter(
                    (r) => r.type === "aws:iam/role:Role" && r.parent?.includes("cicd:pipeline:DeliveryPipeline"),
                );
                const perPipeline = new Map<string, number>();
                for (const role of pipelineRoles)
                    perPipeline.set(role.parent!, (perPipeline.get(role.parent!) ?? 0) + 1);
                assert.ok(
                    [...perPipeline.values()].every((n) => n <= 4),
                    JSON.stringify([...perPipeline]),
                );
            });
        }
    }
});
