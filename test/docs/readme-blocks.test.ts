import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { copyRepo, REPO_ROOT } from "../support/repo-copy";
import {
    extractShellBlocks,
    listNotRun,
    markerProblems,
    runBlock,
    runsSomething,
    type ShellBlock,
} from "./shell-blocks";

/**
 * The doc-test: every fenced sh/bash/shell block of README.md and docs/**\/*.md, in document order, under
 * `bash -e`, in a throwaway copy of the working tree (so `bootstrap/policies/`, `deployer-policy.json` and the
 * like land there, not in the checkout). Blocks and lines that need AWS or the Pulumi CLI carry a marker (see
 * shell-blocks.ts) and are listed here, never skipped silently; `npm ci` is treated as already satisfied.
 */
const docFiles = [
    "README.md",
    ...fs
        .readdirSync(path.join(REPO_ROOT, "docs"), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => path.posix.join("docs", f.split(path.sep).join("/"))),
];
const blocks: ShellBlock[] = docFiles.flatMap((file) =>
    extractShellBlocks(file, fs.readFileSync(path.join(REPO_ROOT, file), "utf8")),
);

describe("docs: the shell blocks of README.md and docs/, run as a reader would", function () {
    // Each block evaluates stacks offline (plan, deployer-policy): seconds each, more on a loaded machine.
    this.timeout(600_000);
    let copy: string;
    before(() => {
        copy = copyRepo("doc-test-");
    });
    after(() => fs.rmSync(copy, { recursive: true, force: true }));

    it("finds the README's shell blocks", () => {
        assert.ok(blocks.filter((b) => b.file === "README.md").length > 0, "no shell block found in README.md");
    });

    it("marks every block or line that needs AWS or the Pulumi CLI, and lists what it does not run", () => {
        assert.deepEqual(markerProblems(blocks), []);
        // The listing is the point: what a reader must do by hand with an AWS account or the Pulumi CLI.
        console.log(
            listNotRun(blocks)
                .map((l) => `      ${l}`)
                .join("\n"),
        );
    });

    for (const block of blocks) {
        const where = `${block.file}:${block.line}`;
        if (!runsSomething(block)) {
            it(`${where} is not run: every line needs ${[...new Set(block.lines.flatMap((l) => l.needs))].join(", ") || "nothing (empty)"}`, () => {
                assert.ok(
                    block.lines.every(
                        (l) => l.needs.length > 0 || l.text.trim() === "" || l.text.trim().startsWith("#"),
                    ),
                );
            });
            continue;
        }
        it(`${where} runs under bash -e`, async () => {
            const failure = await runBlock(block, copy);
            assert.equal(failure, undefined, failure);
        });
    }
});
