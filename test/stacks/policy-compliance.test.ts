import { strict as assert } from "assert";
import * as path from "path";
import { evaluateStack } from "../../tools/plan/evaluate";
import { loadStackConfig } from "../../tools/plan/stack-config";
import { PackSession } from "../../tools/shared/pack";
import { computeTotals } from "../../tools/plan/totals";

const ROOT = path.join(__dirname, "..", "..");

/**
 * Our own stacks, planned offline and checked by our own pack over the analyzer protocol, as
 * `pulumi preview --policy-pack policy-pack` would: no mandatory finding, plain or with computed values unknown.
 */
describe("our stacks against our policy pack", function () {
    this.timeout(300_000);
    let pack: PackSession;
    before(async () => {
        pack = await PackSession.open(path.join(ROOT, "policy-pack"));
    });
    after(async () => {
        await pack?.close();
    });

    for (const stack of ["dev", "staging", "prod"]) {
        for (const preview of [false, true]) {
            it(`${stack}${preview ? " (preview: computed values unknown)" : ""}: no mandatory violation, ≤ 3 roles per pipeline, no * action`, async () => {
                const config = loadStackConfig(ROOT, stack);
                const { resources } = await evaluateStack(ROOT, config, preview);
                const violations = await pack.check({
                    stack,
                    project: config.project,
                    dryRun: preview,
                    tags: config.tags,
                    resources,
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
                    [...perPipeline.values()].every((n) => n <= 3),
                    JSON.stringify([...perPipeline]),
                );
            });
        }
    }
});
