import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { main, USAGE } from "../../tools/deployer-policy";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

describe("deployer-policy: --help", function () {
    // One ts-node start of the tool.
    this.timeout(120_000);

    it("prints the usage on stdout and exits 0, as `npm run -s deployer-policy -- --help`", async () => {
        const { stdout, stderr } = await promisify(execFile)("npm", ["run", "-s", "deployer-policy", "--", "--help"], {
            cwd: REPO_ROOT,
        });
        assert.equal(stdout, `${USAGE}\n`);
        assert.equal(stderr, "");
        assert.match(USAGE, /^usage: npm run -s deployer-policy -- --stack <env> /);
        for (const flag of ["--stack", "--dir", "--stack-file", "--out", "--help"])
            assert.match(USAGE, new RegExp(`\\n  ${flag} `), `the usage explains ${flag}`);
    });

    it("takes -h and --help anywhere, before checking the other arguments", async () => {
        for (const argv of [["-h"], ["--stack", "prod", "--help"], ["--unknown", "--help"]]) {
            const out: string[] = [];
            const err: string[] = [];
            assert.equal(
                await main(
                    argv,
                    (l) => out.push(l),
                    (l) => err.push(l),
                ),
                0,
                argv.join(" "),
            );
            assert.deepEqual([out, err], [[USAGE], []]);
        }
    });
});
