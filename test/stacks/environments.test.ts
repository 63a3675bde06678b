import { strict as assert } from "assert";
import { readdirSync } from "fs";
import * as path from "path";
import { planEnvironment, type EnvironmentPlan } from "../../model/environment";
import { configFromStackValues } from "../../stacks/platform-config";
import { loadStackConfig } from "../../tools/plan/stack-config";

const ROOT = path.join(__dirname, "..", "..");

/** Every stack file in the repository, whatever users put in it. */
const STACKS = readdirSync(ROOT)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);

function plan(stack: string): EnvironmentPlan {
    // Project-level config (Pulumi.yaml) under the stack's, as the CLI passes them to the program.
    const { layers, ...valid } = configFromStackValues(loadStackConfig(ROOT, stack).values, stack);
    return planEnvironment(valid, { stackFile: `Pulumi.${stack}.yaml`, configSources: layers });
}

/**
 * Invariants of the stacks we ship, over whatever services they list: anyone may edit `Pulumi.*.yaml` without
 * breaking these (they check what the platform guarantees, not what the examples contain).
 */
describe("the stacks we ship", () => {
    it("are found", () => assert.ok(STACKS.length > 0));

    for (const stack of STACKS) {
        describe(stack, () => {
            it("validates and plans, with a pipeline per service", () => {
                const p = plan(stack);
                assert.equal(new Set(p.pipelines.map((x) => x.pipelineName)).size, p.pipelines.length);
            });

            it("puts a manual approval in an earlier stage than every production deploy", () => {
                const p = plan(stack);
                if (p.tier !== "production") return;
                for (const pipeline of p.pipelines) {
                    const approve = pipeline.stages.findIndex((s) =>
                        s.actions.some((a) => a.category === "Approval" && a.provider === "Manual"),
                    );
                    const deploy = pipeline.stages.findIndex((s) => s.actions.some((a) => a.category === "Deploy"));
                    assert.ok(
                        approve >= 0 && approve < deploy,
                        `${pipeline.service}: approve ${approve}, deploy ${deploy}`,
                    );
                }
            });

            it("deploys into another account only through the environment's role for it", () => {
                const p = plan(stack);
                for (const pipeline of p.pipelines)
                    for (const action of pipeline.stages.flatMap((s) => s.actions).filter((a) => a.roleArn))
                        assert.ok(
                            p.artifactStore.crossAccountReaders.some(
                                (r) => r.roleArn === action.roleArn && r.folders.includes(pipeline.artifactFolder),
                            ),
                            `${pipeline.service}: ${action.roleArn}`,
                        );
            });
        });
    }
});
