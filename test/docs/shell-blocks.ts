import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import MarkdownIt from "markdown-it";

/**
 * The fenced shell blocks of the documentation, as the doc-test (`readme-blocks.test.ts`) runs them.
 *
 * Markers, in the Markdown source:
 * - `<!-- needs: aws -->` (or `pulumi`, or `aws, pulumi`) on the line before a block's opening fence: the whole
 *   block needs an AWS account or the Pulumi CLI; it is listed, not run.
 * - `# needs: pulumi` (…) in a line's trailing comment: that line is listed, not run; the rest of the block runs.
 * A line that calls the `pulumi` or `aws` CLI without a marker is an error, so nothing is skipped silently.
 * `npm ci` is treated as already satisfied (the test runs with the installed node_modules; the pack is built, as
 * npm ci's postinstall does, when policy-pack/dist is missing) and `npm test` as the
 * suite this test is part of (running it again would recurse); both are listed.
 */

export const SHELL_LANGUAGES = ["sh", "bash", "shell"] as const;
export const NEEDS = ["aws", "pulumi"] as const;
export type Need = (typeof NEEDS)[number];

export interface ShellLine {
    /** 1-based line in the Markdown file. */
    readonly line: number;
    readonly text: string;
    /** From the line's own `# needs:` marker or the block's. */
    readonly needs: readonly string[];
    /** Why a line that runs does nothing here (`npm ci`, `npm test`). */
    readonly satisfied?: string;
}

export interface ShellBlock {
    /** The Markdown file, relative to the repository root. */
    readonly file: string;
    /** 1-based line of the opening fence. */
    readonly line: number;
    readonly needs: readonly string[];
    readonly lines: readonly ShellLine[];
}

const BLOCK_MARKER = /^\s*<!--\s*needs:\s*(.*?)\s*-->\s*$/;
const LINE_MARKER = /(?:^|\s)#\s*needs:\s*([a-z][a-z-]*(?:\s*,\s*[a-z][a-z-]*)*)/;
/** A command word at the start of a line, after `;`, `&&`, `||`, `|`, `(` or `$(`. */
const commandAt = (word: string) => new RegExp(`(?:^|[;&|(]|\\$\\()\\s*${word}(?=\\s|$|;)`);
const CLI: Record<Need, { pattern: RegExp; what: string }[]> = {
    pulumi: [{ pattern: commandAt("pulumi"), what: "the Pulumi CLI, which the doc-test does not have" }],
    aws: [
        { pattern: commandAt("aws"), what: "the AWS CLI, which needs an AWS account" },
        // The project's tools that read the CodePipeline API with the caller's credentials (tools/dora.ts, status.ts).
        {
            pattern: commandAt("npm run (?:-s |--silent )?(?:dora|status)"),
            what: "a tool that reads AWS with your credentials, which needs an AWS account",
        },
    ],
};
const SATISFIED: readonly [RegExp, string][] = [
    [
        commandAt("npm ci"),
        "`npm ci` treated as already satisfied: the test runs with the installed node_modules (and builds the pack, as its postinstall does, if policy-pack/dist is missing)",
    ],
    [commandAt("npm test"), "`npm test` not re-run: this doc-test is part of it, so running it would recurse"],
];

const splitNeeds = (list: string) =>
    list
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean);

/** The command part of a line: a `#` that starts a word begins a comment (quotes are not needed in our docs). */
const withoutComment = (text: string) => text.replace(/(^|\s)#.*$/, "");

/** Every fenced sh/bash/shell block of one Markdown file, with its markers. */
export function extractShellBlocks(file: string, source: string): ShellBlock[] {
    const sourceLines = source.split("\n");
    const tokens = new MarkdownIt().parse(source, {});
    const blocks: ShellBlock[] = [];
    for (const token of tokens) {
        if (token.type !== "fence" || !token.map) continue;
        const lang = token.info.trim().split(/\s+/)[0];
        if (!(SHELL_LANGUAGES as readonly string[]).includes(lang)) continue;
        const fence = token.map[0]; // 0-based line of the opening fence
        let before = fence - 1;
        while (before >= 0 && sourceLines[before].trim() === "") before--;
        const blockMarker = before >= 0 ? BLOCK_MARKER.exec(sourceLines[before]) : null;
        const blockNeeds = blockMarker ? splitNeeds(blockMarker[1]) : [];
        const content = token.content.replace(/\n$/, "").split("\n");
        blocks.push({
            file,
            line: fence + 1,
            needs: blockNeeds,
            lines: content.map((text, i) => {
                const lineMarker = LINE_MARKER.exec(text);
                const needs = [...new Set([...blockNeeds, ...(lineMarker ? splitNeeds(lineMarker[1]) : [])])];
                const satisfied = SATISFIED.filter(([pattern]) => pattern.test(withoutComment(text))).map(
                    ([, why]) => why,
                );
                return {
                    line: fence + 2 + i,
                    text,
                    needs,
                    ...(satisfied.length > 0 ? { satisfied: satisfied.join("; ") } : {}),
                };
            }),
        });
    }
    return blocks;
}

/** Mistakes in the markers: an unknown need, or a CLI call that is not marked. Each names file:line. */
export function markerProblems(blocks: readonly ShellBlock[]): string[] {
    const problems: string[] = [];
    for (const block of blocks) {
        for (const line of block.lines) {
            const unknown = line.needs.filter((n) => !(NEEDS as readonly string[]).includes(n));
            for (const need of unknown)
                problems.push(
                    `${block.file}:${line.line}: unknown need \`${need}\`; a marker names one or more of ${NEEDS.join(", ")}.`,
                );
            const command = withoutComment(line.text);
            for (const need of NEEDS) {
                const use = CLI[need].find((c) => c.pattern.test(command));
                if (!use || line.needs.includes(need)) continue;
                problems.push(
                    `${block.file}:${line.line}: \`${line.text.trim()}\` runs ${use.what}: mark the line \`# needs: ${need}\` or the block \`<!-- needs: ${need} -->\`.`,
                );
            }
        }
    }
    return problems;
}

/** The lines the doc-test does not run, or runs as a no-op, each with its reason, for the test's listing. */
export function listNotRun(blocks: readonly ShellBlock[]): string[] {
    return blocks.flatMap((block) =>
        block.lines
            .filter((l) => l.needs.length > 0 || l.satisfied)
            .filter((l) => withoutComment(l.text).trim() !== "")
            .map((l) =>
                l.needs.length > 0
                    ? `${block.file}:${l.line}: not run (needs ${l.needs.join(", ")}): ${l.text.trim()}`
                    : `${block.file}:${l.line}: ${l.satisfied}: ${l.text.trim()}`,
            ),
    );
}

/**
 * The script bash runs for a block: line 1 sets up the traps and the `npm ci`/`npm test` stand-ins, then the
 * block's lines one for one (a line that needs AWS or Pulumi becomes `:`), so bash's $LINENO maps to the file.
 */
export function blockScript(block: ShellBlock): string {
    const preamble = [
        // The DEBUG trap keeps the line of the last command of the block (line 1 is this preamble, and the traps'
        // own commands report it); the EXIT trap names it when bash -e (or an `exit`) ends the script with a failure.
        `trap '[ "$LINENO" -gt 1 ] && doc_line=$LINENO' DEBUG`,
        `trap 'rc=$?; if [ $rc -ne 0 ]; then echo "doc-test: failed at script line \${doc_line-1}" >&2; fi' EXIT`,
        // `npm ci`'s postinstall builds the pack (policy-pack/dist), which a checkout without it lacks.
        `doc_root=$PWD`,
        `npm() { case "\${1-}" in ci) echo "doc-test: npm ci treated as satisfied" >&2; [ ! -f "$doc_root/policy-pack/package.json" ] || [ -f "$doc_root/policy-pack/dist/start.js" ] || command npm run --silent build --prefix "$doc_root/policy-pack" ;; test) echo "doc-test: npm test not re-run" >&2 ;; *) command npm "$@" ;; esac; }`,
    ].join("; ");
    return [preamble, ...block.lines.map((l) => (l.needs.length > 0 ? ":" : l.text))].join("\n") + "\n";
}

/** True when some line of the block runs. */
export const runsSomething = (block: ShellBlock) =>
    block.lines.some((l) => l.needs.length === 0 && withoutComment(l.text).trim() !== "");

/**
 * Runs a block under `bash -e` in `cwd`, with no AWS credentials in the environment. Resolves to undefined on
 * success, or a message naming the failing line as file:line, the block, the exit code and the output's tail.
 */
export function runBlock(block: ShellBlock, cwd: string, timeoutMs = 600_000): Promise<string | undefined> {
    const scriptFile = path.join(fs.mkdtempSync(path.join(cwd, ".doc-test-")), "block.sh");
    fs.writeFileSync(scriptFile, blockScript(block));
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: "true" };
    for (const key of Object.keys(env))
        if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(key)) delete env[key];
    return new Promise((resolve) => {
        execFile(
            "bash",
            ["-e", scriptFile],
            { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                fs.rmSync(path.dirname(scriptFile), { recursive: true, force: true });
                if (!error) return resolve(undefined);
                const scriptLine = Number(/doc-test: failed at script line (\d+)/.exec(stderr)?.[1] ?? NaN);
                const failed = block.lines[scriptLine - 2];
                const where = failed
                    ? `${block.file}:${failed.line}: \`${failed.text.trim()}\``
                    : `${block.file}:${block.line}: the block`;
                const code = error.code ?? (error.killed ? "killed (timeout)" : "unknown");
                const output = `${stdout}${stderr}`
                    .split("\n")
                    .filter((l) => !l.startsWith("doc-test: "))
                    .slice(-40)
                    .join("\n");
                resolve(`${where} failed (exit ${code}) in the block at ${block.file}:${block.line}\n${output}`);
            },
        );
    });
}
