import * as assert from "assert";

import { type Finding, PackSession } from "../../tools/shared/pack";
import { NO_OPTIONS, type Resource } from "../../tools/shared/resource";
import { ECHO_PACK, packCopy } from "../plan/helpers";

const key = (stack: string): Resource => ({
    type: "aws:kms/key:Key",
    name: "key",
    urn: `urn:pulumi:${stack}::proj::aws:kms/key:Key::key`,
    custom: true,
    inputs: { enableKeyRotation: true },
    dependencies: [],
    propertyDependencies: {},
    options: NO_OPTIONS,
});

const summary = (findings: Finding[]) =>
    findings.map((f) => `${f.phase} ${f.policyName} ${f.urn || "(stack)"} ${f.message.split("\n").pop()}`).sort();

describe("pack session: stacks judged as their resources register", function () {
    this.timeout(120_000);
    let session: PackSession | undefined;
    after(async () => {
        await session?.close();
    });

    it("judges each stack in its own context when the next stack's resources arrive before the first is finished", async () => {
        session = await PackSession.open(packCopy(ECHO_PACK, true));
        const context = (stack: string) => ({ project: "proj", stack, dryRun: false, tags: { env: stack } });
        const first = session.begin(context("first"));
        const second = session.begin(context("second"));
        // The second stack's resource is registered before the first stack's, and before the first stack finishes:
        // the pack holds one stack context at a time, so it must still be judged under "second".
        second.analyze(key("second"));
        first.analyze(key("first"));
        const [a, b] = await Promise.all([first.finish([key("first")]), second.finish([key("second")])]);
        for (const [stack, findings] of [
            ["first", a],
            ["second", b],
        ] as const) {
            assert.deepStrictEqual(summary(findings), [
                `analyze echo-mandatory urn:pulumi:${stack}::proj::aws:kms/key:Key::key keys fail here`,
                `analyzeStack echo-context (stack) tags=[env=${stack}] marker=undefined aws=1 withProvider=0`,
            ]);
        }
    });
});
