import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { blockScript, extractShellBlocks, listNotRun, markerProblems, runBlock, runsSomething } from "./shell-blocks";

const md = (...lines: string[]) => lines.join("\n") + "\n";

describe("docs: the doc-test's extractor and markers", () => {
    it("finds sh, bash and shell blocks, indented ones in lists included, with their source lines; ignores others", () => {
        const blocks = extractShellBlocks(
            "GUIDE.md",
            md(
                "# Guide", //              1
                "", //                     2
                "```sh", //                3
                "echo one", //             4
                "```", //                  5
                "```yaml", //              6
                "a: 1", //                 7
                "```", //                  8
                "1. a step:", //           9
                "   ```bash", //          10
                "   echo two", //         11
                "   echo three", //       12
                "   ```", //              13
                "```shell", //            14
                "echo four", //           15
                "```", //                 16
                "```text", //             17
                "echo not a shell block", // 18
                "```", //                 19
            ),
        );
        assert.deepEqual(
            blocks.map((b) => [b.line, b.lines.map((l) => [l.line, l.text])]),
            [
                [3, [[4, "echo one"]]],
                [
                    10,
                    [
                        [11, "echo two"],
                        [12, "echo three"],
                    ],
                ],
                [14, [[15, "echo four"]]],
            ],
        );
    });

    it("reads a block marker on the line before the fence and a line marker in a trailing comment", () => {
        const blocks = extractShellBlocks(
            "GUIDE.md",
            md(
                "<!-- needs: aws, pulumi -->",
                "```sh",
                "pulumi up",
                "```",
                "",
                "```sh",
                "cd bootstrap",
                "pulumi up      # needs: pulumi, aws; refuses other accounts",
                "aws s3 ls      # needs: aws",
                "```",
            ),
        );
        assert.deepEqual(blocks[0].needs, ["aws", "pulumi"]);
        assert.deepEqual(blocks[0].lines[0].needs, ["aws", "pulumi"]);
        assert.equal(runsSomething(blocks[0]), false);
        assert.deepEqual(
            blocks[1].lines.map((l) => l.needs),
            [[], ["pulumi", "aws"], ["aws"]],
        );
        assert.equal(runsSomething(blocks[1]), true);
        assert.deepEqual(markerProblems(blocks), []);
        assert.deepEqual(listNotRun(blocks), [
            "GUIDE.md:3: not run (needs aws, pulumi): pulumi up",
            "GUIDE.md:8: not run (needs pulumi, aws): pulumi up      # needs: pulumi, aws; refuses other accounts",
            "GUIDE.md:9: not run (needs aws): aws s3 ls      # needs: aws",
        ]);
    });

    it("fails an unmarked line that runs the Pulumi or AWS CLI or a tool that reads AWS, and an unknown need, naming file:line", () => {
        const blocks = extractShellBlocks(
            "README.md",
            md(
                "```bash",
                "pulumi stack select prod",
                "cd deploy-target && pulumi up",
                "VALUE=$(aws sts get-caller-identity)",
                "echo pulumi is mentioned, not run",
                "npm run plan   # needs: clouds",
                "npm run -s dora -- --stack prod",
                "```",
            ),
        );
        assert.deepEqual(markerProblems(blocks), [
            "README.md:2: `pulumi stack select prod` runs the Pulumi CLI, which the doc-test does not have: mark the line `# needs: pulumi` or the block `<!-- needs: pulumi -->`.",
            "README.md:3: `cd deploy-target && pulumi up` runs the Pulumi CLI, which the doc-test does not have: mark the line `# needs: pulumi` or the block `<!-- needs: pulumi -->`.",
            "README.md:4: `VALUE=$(aws sts get-caller-identity)` runs the AWS CLI, which needs an AWS account: mark the line `# needs: aws` or the block `<!-- needs: aws -->`.",
            "README.md:6: unknown need `clouds`; a marker names one or more of aws, pulumi.",
            "README.md:7: `npm run -s dora -- --stack prod` runs a tool that reads AWS with your credentials, which needs an AWS account: mark the line `# needs: aws` or the block `<!-- needs: aws -->`.",
        ]);
    });

    it("lists `npm ci` as already satisfied and `npm test` as not re-run", () => {
        const blocks = extractShellBlocks(
            "README.md",
            md("```sh", "npm ci && npm run plan -- --stack prod", "npm test", "```"),
        );
        assert.deepEqual(listNotRun(blocks), [
            "README.md:2: `npm ci` treated as already satisfied: the test runs with the installed node_modules (and builds the pack, as its postinstall does, if policy-pack/dist is missing): npm ci && npm run plan -- --stack prod",
            "README.md:3: `npm test` not re-run: this doc-test is part of it, so running it would recurse: npm test",
        ]);
    });

    describe("running a block", () => {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "shell-blocks-"));
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("fails with the failing line as file:line, the block, the exit code and the output", async () => {
            const [block] = extractShellBlocks(
                "README.md",
                md(
                    "# Title",
                    "",
                    "```sh",
                    "echo before > out.txt",
                    "echo to stderr >&2; exit 3",
                    "echo after >> out.txt",
                    "```",
                ),
            );
            assert.equal(
                await runBlock(block, dir),
                "README.md:5: `echo to stderr >&2; exit 3` failed (exit 3) in the block at README.md:3\nto stderr\n",
            );
            assert.equal(
                fs.readFileSync(path.join(dir, "out.txt"), "utf8"),
                "before\n",
                "bash -e stops at the failure",
            );
        });

        it("names the line of a failing command in a block after marked lines (line numbers stay aligned)", async () => {
            const [block] = extractShellBlocks(
                "README.md",
                md("```sh", "pulumi up   # needs: pulumi", "true", "false", "```"),
            );
            assert.equal(
                await runBlock(block, dir),
                "README.md:4: `false` failed (exit 1) in the block at README.md:1\n",
            );
        });

        it("runs the unmarked lines in order, turns marked lines into no-ops and stands in for `npm ci`", async () => {
            const [block] = extractShellBlocks(
                "README.md",
                md(
                    "```sh",
                    "npm ci",
                    "echo one > out.txt",
                    "pulumi up   # needs: pulumi",
                    "echo two >> out.txt",
                    "```",
                ),
            );
            assert.equal(
                blockScript(block).split("\n").slice(1).join("\n"),
                "npm ci\necho one > out.txt\n:\necho two >> out.txt\n",
            );
            assert.equal(await runBlock(block, dir), undefined);
            assert.equal(fs.readFileSync(path.join(dir, "out.txt"), "utf8"), "one\ntwo\n");
        });
    });
});
