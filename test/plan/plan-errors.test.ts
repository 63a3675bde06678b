import * as assert from "assert";

import { plan } from "./helpers";

describe("plan errors", function () {
    this.timeout(120_000);

    it("requires --stack and shows the usage", async () => {
        const run = await plan();
        assert.strictEqual(run.code, 2);
        assert.match(
            run.err[0],
            /^plan: --stack is required: name the stack to plan, e.g. --stack dev\nusage: npm run plan/,
        );
    });

    it("rejects an unknown flag naming it", async () => {
        const run = await plan("--stack", "dev", "--stakc", "x");
        assert.strictEqual(run.code, 2);
        assert.match(run.err[0], /--stakc/);
    });

    it("names the available stacks for an unknown stack", async () => {
        const run = await plan("--stack", "qa");
        assert.strictEqual(run.code, 2);
        assert.match(
            run.err[0],
            /^plan: unknown stack "qa": no Pulumi\.qa\.yaml in .* \(available stacks: bad, crash, dev\); pass --stack <name>$/,
        );
    });

    it("prints the program's config error cleanly and exits 3", async () => {
        const run = await plan("--stack", "bad", "--no-policy");
        assert.strictEqual(run.code, 3);
        assert.deepStrictEqual(run.err, [
            'plan: configuration error in stack bad: cicd:services[1].deploy.kind: unknown deploy kind "teleport"; use one of: ecs',
        ]);
        assert.deepStrictEqual(run.out, [""]);
    });

    it("prints a TypeScript stack when the program crashes and exits 4", async () => {
        const run = await plan("--stack", "crash", "--no-policy");
        assert.strictEqual(run.code, 4);
        assert.match(
            run.err[0],
            /^plan: the program crashed while planning stack crash:\nTypeError: Cannot read properties of undefined/,
        );
        assert.match(run.err[0], /at explode \(.*fixtures\/program\/index\.ts:\d+:\d+\)/);
    });
});
