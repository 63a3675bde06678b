import * as assert from "assert";

import { parseStackTags, runTool } from "../../tools/shared/cli";
import { EXIT, ToolError } from "../../tools/shared/errors";

describe("the CLI shell of plan and audit", () => {
    const run = async (fail: Error) => {
        const err: string[] = [];
        const main = runTool(module, "tool", async () => {
            throw fail;
        });
        const code = await main(
            [],
            () => undefined,
            (line) => err.push(line),
        );
        return { code, err };
    };

    it("prints a ToolError as one line and exits with its code", async () => {
        assert.deepStrictEqual(await run(new ToolError("bad flag", EXIT.config)), {
            code: EXIT.config,
            err: ["tool: bad flag"],
        });
    });

    it("prints any other error as the tool's own bug, with its stack, and exits EXIT.crash", async () => {
        const { code, err } = await run(new TypeError("oops"));
        assert.strictEqual(code, EXIT.crash);
        assert.match(
            err[0],
            /^tool: internal error in the tool tool \(not in your program\):\nTypeError: oops\n {4}at /,
        );
    });

    it("reads --stack-tag key=value flags and names a malformed one", () => {
        assert.deepStrictEqual(parseStackTags(["environment=production", "team=a=b"]), {
            environment: "production",
            team: "a=b",
        });
        assert.throws(() => parseStackTags(["=x"]), {
            message: '--stack-tag "=x" must be key=value, e.g. --stack-tag environment=production',
        });
    });
});
