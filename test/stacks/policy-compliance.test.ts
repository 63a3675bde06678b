import { configFromStackValues } from "../../stacks/platform-config";
import { strict as assert } from "assert";
import * as path from "path";
import { evaluateStack } from "../../tools/plan/evaluate";
import { listStacks, loadStackConfig } from "../../tools/plan/stack-config";
import { PackSession } from "../../tools/shared/pack";
import type { Resource } from "../../tools/shared/resource";
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

    for (const stack of listStacks(ROOT)) {
        for (const preview of [false, true]) {
            it(`${stack}${preview ? " (preview: computed values unknown)" : ""}: no mandatory violation, ≤ 5 roles per pipeline (pipeline, build, test, deploy, release), no * action`, async () => {
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
                assert.equal(totals.pipelines, configFromStackValues(config.values, stack).services.length);
                assert.equal(totals.wildcardActionStatements, 0);
                const pipelineRoles = resources.filter(
                    (r) => r.type === "aws:iam/role:Role" && r.parent?.includes("cicd:pipeline:DeliveryPipeline"),
                );
                const perPipeline = new Map<string, number>();
                for (const role of pipelineRoles)
                    perPipeline.set(role.parent!, (perPipeline.get(role.parent!) ?? 0) + 1);
                // pipeline, build, test, deploy, and release (publish/promote/provenance): the release role is apart
                // from the build role so that code the build runs cannot publish a release itself.
                assert.ok(
                    [...perPipeline.values()].every((n) => n <= 5),
                    JSON.stringify([...perPipeline]),
                );
            });
        }
    }
});

const PROVIDER = "pulumi:providers:aws";

/**
 * What the program itself guarantees for every stack, whatever its services: one explicit AWS provider that allows
 * only the environment's account and tags everything with the environment and its tier, used by every resource;
 * notification rules created only after the topic policy that lets CodeStar Notifications publish.
 */
describe("the program, for every stack", function () {
    this.timeout(300_000);
    for (const stack of listStacks(ROOT)) {
        describe(stack, () => {
            let resources: Resource[];
            let environment: { accountId: string; name: string; tier: string };
            before(async () => {
                const config = loadStackConfig(ROOT, stack);
                environment = config.values["cicd:environment"] as typeof environment;
                resources = (await evaluateStack(ROOT, config, false)).resources;
            });

            it("creates one AWS provider per region (waves), each for the environment's account, tagging the environment and tier", () => {
                const providers = resources.filter((r) => r.type === PROVIDER);
                // Provider inputs reach the engine as JSON strings for nested values.
                const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
                const regions = providers.map((p) => (p.inputs as Record<string, unknown>).region);
                assert.equal(new Set(regions).size, providers.length, JSON.stringify(regions));
                for (const provider of providers) {
                    const inputs = provider.inputs as Record<string, unknown>;
                    assert.deepEqual(parse(inputs.allowedAccountIds), [environment.accountId]);
                    const tags = parse(inputs.defaultTags).tags;
                    assert.equal(tags["cicd:environment"], environment.name);
                    assert.equal(tags["cicd:tier"], environment.tier);
                }
            });

            it("creates every AWS resource with the environment's provider, and only regional stores with another", () => {
                const home = resources.find((r) => r.type === PROVIDER && r.name === "aws")!;
                const regionalStores = resources
                    .filter((r) => r.type === "cicd:storage:RegionalArtifactStore")
                    .map((r) => r.urn);
                const without = resources
                    .filter((r) => r.custom && r.type.startsWith("aws:"))
                    // A provider reference is the provider's URN, with `::<id>` once the engine knows the id.
                    .filter((r) => r.provider !== home.urn && !r.provider?.startsWith(`${home.urn}::`))
                    .filter((r) => !regionalStores.includes(r.parent ?? ""))
                    .map((r) => r.name);
                assert.deepEqual(without, []);
            });

            it("creates each notification rule after the topic policy that lets it publish", () => {
                const policies = resources
                    .filter((r) => r.type === "aws:sns/topicPolicy:TopicPolicy")
                    .map((r) => r.urn);
                const rules = resources.filter(
                    (r) => r.type === "aws:codestarnotifications/notificationRule:NotificationRule",
                );
                assert.ok(rules.length > 0);
                for (const rule of rules)
                    assert.ok(
                        rule.dependencies.some((d) => policies.includes(d)),
                        `${rule.name} depends on ${rule.dependencies.join(", ")}`,
                    );
            });
        });
    }
});
