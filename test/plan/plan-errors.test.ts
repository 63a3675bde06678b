import * as assert from "assert";

import { HELP } from "../../tools/plan/args";
import { plan } from "./helpers";

describe("plan errors", function () {
    this.timeout(120_000);

    it("requires --stack or --all and shows the usage", async () => {
        const run = await plan();
        assert.strictEqual(run.code, 2);
        assert.match(
            run.err[0],
            /^plan: --stack is required: name the stack to plan, e.g. --stack dev \(or --all\)\nusage: npm run plan/,
        );
    });

    it("prints the help on --help and exits 0", async () => {
        const run = await plan("--help");
        assert.strictEqual(run.code, 0);
        assert.strictEqual(run.out.join("\n"), HELP);
        assert.match(HELP, /--base <plan\.json\|git ref>/);
    });

    it("rejects an unknown flag naming it", async () => {
        const run = await plan("--stack", "dev", "--stakc", "x");
        assert.strictEqual(run.code, 2);
        assert.match(run.err[0], /--stakc/);
    });

    it("names the available stacks for an unknown stack, before evaluating any", async () => {
        const run = await plan("--stack", "dev,qa", "--no-policy");
        assert.strictEqual(run.code, 2);
        assert.match(
            run.err[0],
            /^plan: unknown stack "qa": no Pulumi\.qa\.yaml in .* \(available stacks: apply-crash, bad, crash, dev, staging\); pass --stack <name>$/,
        );
        assert.deepStrictEqual(run.out, [""]);
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

    it("prints an error thrown inside an apply, with its stack, and exits 4 without waiting on RPCs", async () => {
        const run = await plan("--stack", "apply-crash", "--no-policy");
        assert.strictEqual(run.code, 4);
        assert.match(
            run.err[0],
            /^plan: the program crashed while planning stack apply-crash:\nRangeError: no deploy kind handles bucket fx-web-artifacts-[0-9a-f]{7}\n/,
        );
        assert.match(run.err[0], /at failInApply \(.*fixtures\/program\/index\.ts:\d+:\d+\)/);
        assert.doesNotMatch(run.err[0], /no stack captured|promises were still active/);
    });
});
