import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import { stringify } from "yaml";
import { parseBuildspec, runBuildspec, type RunOptions } from "../support/codebuild-runner";

/** The runner itself, on small buildspecs: each case is a rule of the buildspec reference it must keep. */
const spec = (phases: Record<string, unknown>, env: Record<string, unknown> = { shell: "bash" }) =>
    parseBuildspec(stringify({ version: 0.2, env, phases }));
const options = (over: Partial<RunOptions> = {}): RunOptions => ({
    inputs: [{ name: "SourceOutput", files: { "a.txt": "a" } }],
    codebuild: { CODEBUILD_BUILD_ID: "p:1" },
    ...over,
});
const echo = (word: string) => `echo ${word}`;
const lines = (stdout: string) => stdout.split("\n").filter(Boolean);

describe("the CodeBuild runner", () => {
    it("runs every phase in one shell: a variable or directory set in one phase is there in the next", () => {
        const run = runBuildspec(
            spec({
                install: { commands: ["export A=1", "mkdir -p sub && cd sub"] },
                pre_build: { commands: ["B=2"] },
                build: { commands: ['echo "$A$B $(basename "$PWD")"'] },
            }),
            options(),
        );
        assert.equal(run.status, "SUCCEEDED", run.stderr);
        assert.deepEqual(lines(run.stdout), ["12 sub"]);
    });

    it("skips the rest of a phase after a failing command, runs its finally block, and fails the phase", () => {
        const run = runBuildspec(
            spec({ build: { commands: [echo("one"), "false", echo("two")], finally: [echo("cleanup")] } }),
            options(),
        );
        assert.equal(run.status, "FAILED");
        assert.deepEqual(run.phases, { build: "FAILED" });
        assert.deepEqual(lines(run.stdout), ["one", "cleanup"]);
    });

    it("fails a phase whose finally block fails, even when its commands passed", () => {
        const run = runBuildspec(
            spec({ build: { commands: [echo("ok")], finally: ["false", echo("not run")] } }),
            options(),
        );
        assert.deepEqual(run.phases, { build: "FAILED" });
        assert.deepEqual(lines(run.stdout), ["ok"]);
    });

    it("ends the build after a failed install or pre_build; post_build still runs after a failed build", () => {
        const phases = (failing: string) =>
            Object.fromEntries(
                ["install", "pre_build", "build", "post_build"].map((p) => [
                    p,
                    { commands: [p === failing ? "false" : echo(p)] },
                ]),
            );
        assert.deepEqual(runBuildspec(spec(phases("install")), options()).phases, {
            install: "FAILED",
            pre_build: "SKIPPED",
            build: "SKIPPED",
            post_build: "SKIPPED",
        });
        assert.deepEqual(runBuildspec(spec(phases("pre_build")), options()).phases, {
            install: "SUCCEEDED",
            pre_build: "FAILED",
            build: "SKIPPED",
            post_build: "SKIPPED",
        });
        const build = runBuildspec(
            spec({ build: { commands: ["false"] }, post_build: { commands: ['echo "$CODEBUILD_BUILD_SUCCEEDING"'] } }),
            options(),
        );
        assert.deepEqual(build.phases, { build: "FAILED", post_build: "SUCCEEDED" });
        assert.equal(build.status, "FAILED");
        assert.deepEqual(lines(build.stdout), ["0"]);
    });

    it("follows on-failure: ABORT stops after the phase, CONTINUE goes on to the next", () => {
        const abort = runBuildspec(
            spec({ build: { "on-failure": "ABORT", commands: ["false"] }, post_build: { commands: [echo("post")] } }),
            options(),
        );
        assert.deepEqual(abort.phases, { build: "FAILED", post_build: "SKIPPED" });
        const go = runBuildspec(
            spec({ install: { "on-failure": "CONTINUE", commands: ["false"] }, build: { commands: [echo("built")] } }),
            options(),
        );
        assert.deepEqual(go.phases, { install: "FAILED", build: "SUCCEEDED" });
        assert.equal(go.status, "FAILED");
    });

    it("keeps `set -e` from an earlier command: a failure inside a later compound command ends the shell", () => {
        const run = runBuildspec(
            spec({
                build: { commands: ["set -euo pipefail", "false; echo after-false"] },
                post_build: { commands: [echo("post")] },
            }),
            options(),
        );
        assert.equal(run.status, "FAILED");
        assert.equal(run.phases.build, "FAILED");
        assert.doesNotMatch(run.stdout, /after-false/);
        // The shell instance is gone: AWS does not say what runs next, so nothing does (see the runner's notes).
        assert.equal(run.phases.post_build, "SKIPPED");
    });

    it("gives the action's variables precedence over the project's, and the project's over the buildspec's", () => {
        const run = runBuildspec(
            spec(
                { build: { commands: ['echo "$A $B $C"'] } },
                { shell: "bash", variables: { A: "spec", B: "spec", C: "spec" } },
            ),
            options({ project: { B: "project", C: "project" }, action: { C: "action" } }),
        );
        assert.deepEqual(lines(run.stdout), ["spec project action"]);
    });

    it("unpacks the primary input in CODEBUILD_SRC_DIR, starts there, and each other in CODEBUILD_SRC_DIR_<name>", () => {
        const run = runBuildspec(
            spec({
                build: {
                    commands: [
                        'test "$PWD" = "$CODEBUILD_SRC_DIR"',
                        'cat a.txt "$CODEBUILD_SRC_DIR_BuildOutput/b.txt"',
                    ],
                },
            }),
            options({
                inputs: [
                    { name: "SourceOutput", files: { "a.txt": "a" } },
                    { name: "BuildOutput", files: { "b.txt": "b" } },
                ],
            }),
        );
        assert.equal(run.status, "SUCCEEDED", run.stderr);
        assert.equal(run.stdout, "ab");
    });

    it("reads exported-variables at the end of the build", () => {
        const run = runBuildspec(
            spec(
                { build: { commands: ["X='a b'", "export Y=2"] } },
                { shell: "bash", "exported-variables": ["X", "Y", "Z"] },
            ),
            options(),
        );
        assert.deepEqual(run.exported, { X: "a b", Y: "2", Z: "" });
    });

    it("passes nothing of the test process's environment (only PATH, locale, and a HOME and TMPDIR of its own)", () => {
        process.env.LEAKED_TO_BUILD = "yes";
        try {
            const run = runBuildspec(spec({ build: { commands: ['echo "[${LEAKED_TO_BUILD-}]"'] } }), options());
            assert.deepEqual(lines(run.stdout), ["[]"]);
        } finally {
            delete process.env.LEAKED_TO_BUILD;
        }
    });

    it("runs the commands under the shell the buildspec names", () => {
        const exe = ["readlink -f /proc/$$/exe"];
        const bash = runBuildspec(spec({ build: { commands: exe } }), options());
        const bashPath = execFileSync("sh", ["-c", 'readlink -f "$(command -v bash)"'], { encoding: "utf8" });
        assert.equal(bash.stdout, bashPath);
        const sh = runBuildspec(spec({ build: { commands: exe } }, { shell: "/bin/sh" }), options());
        assert.equal(sh.stdout, `${fs.realpathSync("/bin/sh")}\n`);
    });

    it("refuses a buildspec it cannot run the way CodeBuild would", () => {
        assert.throws(() => spec({ build: { commands: ["true"] } }, {}), {
            message: "buildspec `env.shell` must be bash or /bin/sh, not undefined",
        });
        assert.throws(() => spec({ deploy: { commands: ["true"] } }), { message: "buildspec has no phase `deploy`" });
        assert.throws(() => spec({ build: { "on-failure": "RETRY", commands: ["true"] } }), {
            message: "buildspec `phases.build.on-failure` must be ABORT or CONTINUE",
        });
        assert.throws(() => parseBuildspec("version: 0.1\nphases: {}\n"), {
            message: "buildspec `version` must be 0.2, not 0.1",
        });
    });
});
