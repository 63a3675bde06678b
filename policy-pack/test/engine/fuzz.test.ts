/**
 * Property tests: no policy of the pack crashes on hostile input. A crash is a policy that throws
 * something other than the SDK's UnknownValueError: the served pack then fails the whole RPC
 * ("Error validating resource with policy ..."), which aborts `pulumi preview`. Unknown reads are
 * allowed: they become advisory "can't run during preview" notes.
 */
import * as assert from "assert";
import fc from "fast-check";
import { packPolicies } from "../../pack-policies";
import { hostileResource, hostileStack } from "./arbitraries";
import { InProcessPack } from "./in-process";

const asRemediate = packPolicies.map((p) => ({ ...p, enforcementLevel: "remediate" as const }));

describe("every policy survives hostile input (in-process, fast-check)", () => {
    const pack = new InProcessPack(packPolicies);
    const remediating = new InProcessPack(asRemediate);

    it("analyze never fails on a random resource", async () => {
        await fc.assert(
            fc.asyncProperty(hostileResource, async (resource) => {
                const { diagnostics } = await pack.analyze(resource);
                for (const d of diagnostics) {
                    assert.ok(d.message.length > 0, `${d.policyName} reported an empty message`);
                }
            }),
            { numRuns: 600 },
        );
    });

    it("analyzeStack never fails on a random stack with parents and property dependencies", async () => {
        await fc.assert(
            fc.asyncProperty(hostileStack, async (stack) => void (await pack.analyzeStack(stack))),
            {
                numRuns: 150,
            },
        );
    });

    it("remediate never fails, with every policy set to remediate", async () => {
        await fc.assert(
            fc.asyncProperty(hostileResource, async (r) => void (await remediating.remediate(r))),
            {
                numRuns: 300,
            },
        );
    });

    it("counts a thrown error as a crash (the check above would catch one)", async () => {
        const crashing = new InProcessPack([
            {
                name: "x-crash",
                description: "d",
                enforcementLevel: "mandatory",
                validateResource: () => {
                    throw new Error("boom");
                },
            },
        ]);
        const sample = fc.sample(hostileResource, { numRuns: 1, seed: 1 })[0];
        await assert.rejects(crashing.analyze(sample), /Error validating resource with policy 'x-crash'/);
    });
});
