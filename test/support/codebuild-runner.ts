import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import type { EnvironmentPlan, PipelinePlan } from "../../model/environment";
import type { ActionModel } from "../../model/pipeline";
import * as names from "../../model/names";

/**
 * Runs an inline version 0.2 buildspec the way CodeBuild does, against the recording fakes in test/support/fakes.
 * What it relies on, from the buildspec reference (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html)
 * and the phase transitions page (https://docs.aws.amazon.com/codebuild/latest/userguide/view-build-details-phases.html):
 * - every command of every phase runs in one instance of the shell (version 0.2), so exported variables and `cd`
 *   carry from one command to the next and across phases
 *   (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-cmd.html);
 * - the commands of a phase run one at a time, in order; the first that exits non-zero fails the phase and the
 *   rest of its `commands` are skipped; its `finally` commands still run, and a failing `finally` command fails the
 *   phase too;
 * - a failed `install` or `pre_build` ends the build (no later phase runs); a failed `build` still runs
 *   `post_build`, with `CODEBUILD_BUILD_SUCCEEDING=0`
 *   (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html);
 * - `on-failure: ABORT` ends the build after that phase fails, `on-failure: CONTINUE` goes on to the next phase.
 * - `env.shell` picks the shell (`bash` or `/bin/sh` on Linux). When it is absent AWS does not say which shell runs
 *   the commands; the runner then refuses, and the platform always names one (model/buildspec.ts).
 * - A command that ends the shell itself (`exit`, or a failure under `set -e`) fails its phase, and no later phase
 *   or `finally` can run in that shell instance. AWS does not document what CodeBuild does then; the runner counts
 *   the build as failed and runs nothing more, which is what the platform's scripts rely on (they stop, they never
 *   need a later phase to clean up).
 * Variables, lowest precedence first: the buildspec's `env.variables`, the project's environment variables, the
 * action's `EnvironmentVariables` (a start-build override), as the environment variables page describes
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html). The CODEBUILD_* variables
 * are CodeBuild's own and set last.
 */

export const FAKES = path.join(__dirname, "fakes");

export type PhaseName = "install" | "pre_build" | "build" | "post_build";
export const PHASES: readonly PhaseName[] = ["install", "pre_build", "build", "post_build"];

export interface PhaseSpec {
    readonly commands: readonly string[];
    readonly finally: readonly string[];
    readonly onFailure?: "ABORT" | "CONTINUE";
}

export interface ParsedBuildspec {
    readonly shell: "bash" | "/bin/sh";
    readonly variables: Readonly<Record<string, string>>;
    readonly exported: readonly string[];
    readonly phases: Partial<Record<PhaseName, PhaseSpec>>;
    readonly artifacts?: { readonly files: readonly string[]; readonly baseDirectory?: string };
}

const strings = (value: unknown, where: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
        throw new Error(`buildspec \`${where}\` must be a list of strings`);
    return value as string[];
};

/** The parts of a buildspec the runner executes; anything it cannot run the way CodeBuild would is an error. */
export function parseBuildspec(yaml: string): ParsedBuildspec {
    const spec = parse(yaml) as Record<string, unknown>;
    if (spec.version !== 0.2) throw new Error(`buildspec \`version\` must be 0.2, not ${String(spec.version)}`);
    const env = (spec.env ?? {}) as Record<string, unknown>;
    if (env.shell !== "bash" && env.shell !== "/bin/sh")
        throw new Error(`buildspec \`env.shell\` must be bash or /bin/sh, not ${String(env.shell)}`);
    const rawPhases = (spec.phases ?? {}) as Record<string, Record<string, unknown>>;
    const phases: Partial<Record<PhaseName, PhaseSpec>> = {};
    for (const [name, raw] of Object.entries(rawPhases)) {
        if (!(PHASES as readonly string[]).includes(name)) throw new Error(`buildspec has no phase \`${name}\``);
        const onFailure = raw["on-failure"];
        if (onFailure !== undefined && onFailure !== "ABORT" && onFailure !== "CONTINUE")
            throw new Error(`buildspec \`phases.${name}.on-failure\` must be ABORT or CONTINUE`);
        phases[name as PhaseName] = {
            commands: strings(raw.commands, `phases.${name}.commands`),
            finally: strings(raw.finally, `phases.${name}.finally`),
            ...(onFailure ? { onFailure } : {}),
        };
    }
    const artifacts = spec.artifacts as { files?: unknown; "base-directory"?: string } | undefined;
    return {
        shell: env.shell,
        variables: (env.variables ?? {}) as Record<string, string>,
        exported: strings(env["exported-variables"], "env.exported-variables"),
        phases,
        ...(artifacts
            ? {
                  artifacts: {
                      files: strings(artifacts.files, "artifacts.files"),
                      ...(artifacts["base-directory"] ? { baseDirectory: artifacts["base-directory"] } : {}),
                  },
              }
            : {}),
    };
}

/**
 * One script per phase, the way the shell sees the phase's commands one after the other. For ShellCheck: the
 * whole build is one shell instance, so a variable set in `pre_build` is in scope in `build`.
 */
export const scriptOf = (spec: ParsedBuildspec): string =>
    [
        `#!${spec.shell === "bash" ? "/usr/bin/env bash" : "/bin/sh"}`,
        ...PHASES.flatMap((phase) => {
            const p = spec.phases[phase];
            return p ? [`# ${phase}`, ...p.commands, ...(p.finally.length > 0 ? ["# finally", ...p.finally] : [])] : [];
        }),
        "",
    ].join("\n");

export type PhaseStatus = "SUCCEEDED" | "FAILED" | "SKIPPED";

/** One call a fake recorded: the tool, its arguments, and for `aws` the subcommand and flags. */
export interface Call {
    readonly tool: string;
    readonly args: readonly string[];
    readonly command?: string;
    readonly flags?: Readonly<Record<string, string>>;
    readonly positional?: readonly string[];
    /** `aws s3api put-object`: a copy of the uploaded file, taken when the call was made. */
    readonly body?: string;
    /** `aws s3api` with the fake's stateful S3 (test/support/fake-s3.ts): the versions it read and wrote. */
    readonly s3?: { readonly read?: S3Ref; readonly wrote?: S3Ref; readonly error?: string };
}

/** One version of one object in the fake S3, and the run that wrote it (`AWS_FAKE_S3_WRITER`). */
export interface S3Ref {
    readonly bucket: string;
    readonly key: string;
    readonly versionId: string;
    readonly writer?: string;
}

export interface RunResult {
    readonly status: "SUCCEEDED" | "FAILED";
    readonly phases: Readonly<Partial<Record<PhaseName, PhaseStatus>>>;
    readonly calls: readonly Call[];
    /** Values of `env.exported-variables` at the end of the build. */
    readonly exported: Readonly<Record<string, string>>;
    readonly stdout: string;
    readonly stderr: string;
    /** Directories of the input artifacts, by name, as the commands left them. */
    readonly dirs: Readonly<Record<string, string>>;
    /** `TMPDIR` of the build: a directory of this run only. */
    readonly tmpDir: string;
    /** The output artifact: its files (relative to `base-directory`) and their contents. */
    readonly artifact?: Readonly<Record<string, string>>;
}

export interface RunOptions {
    /** Input artifacts, primary first: name → files (relative path → content). */
    readonly inputs: readonly { readonly name: string; readonly files: Readonly<Record<string, string>> }[];
    /** Variables of the environment, by precedence (`project` over the buildspec's, `action` over both). */
    readonly project?: Readonly<Record<string, string>>;
    readonly action?: Readonly<Record<string, string>>;
    readonly codebuild: Readonly<Record<string, string>>;
    /** Variables only the fakes read (their canned responses and failure switches). */
    readonly fakes?: Readonly<Record<string, string>>;
}

/**
 * The driver: sources each command file in this one shell (so its state carries on) and tracks the phases. A
 * command runs as a plain statement, never on the left of `||` or in an `if` test, where bash would switch off a
 * `set -e` the commands turned on.
 */
function driver(spec: ParsedBuildspec, dir: string): string {
    const q = JSON.stringify;
    const lines: string[] = [
        `__cb_state=${q(path.join(dir, "state"))}`,
        `trap 'printf "exit %s\\n" "$?" >> "$__cb_state"' EXIT`,
        "CODEBUILD_BUILD_SUCCEEDING=1; export CODEBUILD_BUILD_SUCCEEDING",
        '__cb_stop=""; __cb_failed=""; __cb_finally_failed=""; __cb_rc=0',
    ];
    const file = (phase: string, block: string, i: number) => path.join(dir, "cmd", `${phase}-${block}-${i}.sh`);
    fs.mkdirSync(path.join(dir, "cmd"));
    for (const phase of PHASES) {
        const p = spec.phases[phase];
        if (!p) continue;
        // What a failure does next: CONTINUE goes on; ABORT stops; by default a failed build still runs post_build.
        const next =
            p.onFailure === "CONTINUE" ? "" : p.onFailure === "ABORT" || phase !== "build" ? "stop" : "post_build";
        const guard =
            phase === "post_build" ? `[ -z "$__cb_stop" ] || [ "$__cb_stop" = post_build ]` : `[ -z "$__cb_stop" ]`;
        lines.push(`if ${guard}; then`);
        lines.push(`  __cb_stop=""; __cb_failed=""; __cb_finally_failed=""`);
        lines.push(`  printf "start %s\\n" ${q(phase)} >> "$__cb_state"`);
        p.commands.forEach((command, i) => {
            fs.writeFileSync(file(phase, "commands", i), command + "\n");
            lines.push(`  if [ -z "$__cb_failed" ]; then`);
            lines.push(`    . ${q(file(phase, "commands", i))}`);
            lines.push(`    __cb_rc=$?; [ "$__cb_rc" -eq 0 ] || __cb_failed=yes`);
            lines.push(`  fi`);
        });
        p.finally.forEach((command, i) => {
            fs.writeFileSync(file(phase, "finally", i), command + "\n");
            lines.push(`  if [ -z "$__cb_finally_failed" ]; then`);
            lines.push(`    . ${q(file(phase, "finally", i))}`);
            lines.push(`    __cb_rc=$?; [ "$__cb_rc" -eq 0 ] || { __cb_failed=yes; __cb_finally_failed=yes; }`);
            lines.push(`  fi`);
        });
        lines.push(`  if [ -n "$__cb_failed" ]; then`);
        lines.push(`    printf "failed %s\\n" ${q(phase)} >> "$__cb_state"; CODEBUILD_BUILD_SUCCEEDING=0`);
        lines.push(`    __cb_stop=${q(next)}`);
        lines.push(`  else printf "succeeded %s\\n" ${q(phase)} >> "$__cb_state"; fi`);
        lines.push("fi");
    }
    if (spec.exported.length > 0) {
        const out = q(path.join(dir, "exported"));
        for (const name of spec.exported) lines.push(`printf '%s=%s\\0' ${q(name)} "\${${name}-}" >> ${out}`);
    }
    return lines.join("\n") + "\n";
}

const walk = (root: string, rel = ""): string[] =>
    fs.existsSync(path.join(root, rel))
        ? fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((e) => {
              const p = rel ? `${rel}/${e.name}` : e.name;
              return e.isDirectory() ? walk(root, p) : [p];
          })
        : [];

/** `artifacts.files` patterns: `**` any directories, `*` within a name, else literal. */
const globRegex = (pattern: string): RegExp =>
    new RegExp(
        "^" +
            pattern
                .replace(/^\.\//, "")
                .split("/")
                .map((part) =>
                    part === "**"
                        ? "(?:.*/)?"
                        : part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*") + "/",
                )
                .join("")
                .replace(/\(\?:\.\*\/\)\?$/, ".*")
                .replace(/\/$/, "") +
            "$",
    );

/** Every run's directory lives under one root per test process, removed when the process ends. */
let root: string | undefined;
const runDirectory = (): string => {
    if (!root) {
        const made = fs.mkdtempSync(path.join(os.tmpdir(), "codebuild-runs-"));
        process.on("exit", () => fs.rmSync(made, { recursive: true, force: true }));
        root = made;
    }
    return fs.mkdtempSync(path.join(root, "run-"));
};

/**
 * Runs a parsed buildspec in a fresh directory. Nothing of the caller's environment leaks in: the build gets PATH
 * (the fakes first), a locale, and a HOME and TMPDIR of its own.
 */
export function runBuildspec(spec: ParsedBuildspec, options: RunOptions): RunResult {
    const dir = runDirectory();
    const dirs: Record<string, string> = {};
    options.inputs.forEach((input, i) => {
        const d = path.join(dir, i === 0 ? "src" : `src-${input.name}`);
        for (const [rel, content] of Object.entries(input.files)) {
            fs.mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
            fs.writeFileSync(path.join(d, rel), content);
        }
        fs.mkdirSync(d, { recursive: true });
        dirs[input.name] = d;
    });
    const [primary, ...secondary] = options.inputs;
    const log = path.join(dir, "calls.jsonl");
    const home = path.join(dir, "home");
    fs.mkdirSync(home);
    fs.mkdirSync(path.join(dir, "fake-state"));
    fs.writeFileSync(log, "");
    const env: Record<string, string> = {
        PATH: `${FAKES}:/usr/local/bin:/usr/bin:/bin`,
        HOME: home,
        LANG: "C.UTF-8",
        TMPDIR: path.join(dir, "tmp"),
        ...spec.variables,
        ...options.project,
        ...options.action,
        ...options.codebuild,
        CODEBUILD_SRC_DIR: dirs[primary.name],
        ...Object.fromEntries(secondary.map((s) => [`CODEBUILD_SRC_DIR_${s.name}`, dirs[s.name]])),
        ...options.fakes,
        AWS_FAKE_LOG: log,
        FAKE_STATE_DIR: path.join(dir, "fake-state"),
    };
    fs.mkdirSync(env.TMPDIR);
    const script = path.join(dir, "driver.sh");
    fs.writeFileSync(script, driver(spec, dir));
    const shell = spec.shell === "bash" ? "bash" : "/bin/sh";
    const run = spawnSync(shell, [script], { cwd: dirs[primary.name], env, encoding: "utf8", timeout: 30000 });
    const state = fs.existsSync(path.join(dir, "state")) ? fs.readFileSync(path.join(dir, "state"), "utf8") : "";
    const phases: Partial<Record<PhaseName, PhaseStatus>> = {};
    for (const phase of PHASES) if (spec.phases[phase]) phases[phase] = "SKIPPED";
    let running: PhaseName | undefined;
    for (const line of state.split("\n").filter(Boolean)) {
        const [what, arg] = line.split(" ");
        if (what === "start") running = arg as PhaseName;
        if (what === "succeeded" || what === "failed") {
            phases[arg as PhaseName] = what === "succeeded" ? "SUCCEEDED" : "FAILED";
            running = undefined;
        }
    }
    // The shell ended inside a phase (`exit`, or `set -e`): that phase failed, and nothing more ran.
    if (running) phases[running] = "FAILED";
    const status = Object.values(phases).includes("FAILED") || run.status === null ? "FAILED" : "SUCCEEDED";
    const exportedFile = path.join(dir, "exported");
    const exported = fs.existsSync(exportedFile)
        ? Object.fromEntries(
              fs
                  .readFileSync(exportedFile, "utf8")
                  .split("\0")
                  .filter(Boolean)
                  .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
          )
        : {};
    const calls = fs
        .readFileSync(log, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Call);
    let artifact: Record<string, string> | undefined;
    if (spec.artifacts && status === "SUCCEEDED") {
        const base = path.join(dirs[primary.name], spec.artifacts.baseDirectory ?? ".");
        const patterns = spec.artifacts.files.map(globRegex);
        artifact = Object.fromEntries(
            walk(base)
                .filter((f) => patterns.some((re) => re.test(f)))
                .map((f) => [f, fs.readFileSync(path.join(base, f), "utf8")]),
        );
    }
    return {
        status,
        phases,
        calls,
        exported,
        stdout: run.stdout,
        stderr: run.stderr,
        dirs,
        tmpDir: env.TMPDIR,
        artifact,
    };
}

// --- Running a planned project, as its pipeline action starts it ---

/** The action that starts a project (the first one, in stage order). */
export function actionOf(pipeline: PipelinePlan, projectId: string): ActionModel {
    const action = pipeline.stages.flatMap((s) => s.actions).find((a) => a.projectId === projectId);
    if (!action) throw new Error(`pipeline ${pipeline.pipelineName} has no action for project ${projectId}`);
    return action;
}

/**
 * CodePipeline's variables in an action's configuration, `#{namespace.Variable}`, resolved from `values`; one
 * it cannot resolve fails the action (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html).
 */
export const resolve = (value: string, values: Readonly<Record<string, string>>): string =>
    value.replace(/#\{([^}]+)\}/g, (_, ref: string) => {
        if (!(ref in values)) throw new Error(`pipeline variable #{${ref}} has no value in this run`);
        return values[ref];
    });

export interface ProjectRun {
    readonly env: EnvironmentPlan;
    readonly pipeline: PipelinePlan;
    readonly projectId: string;
    /** Files of each input artifact the action names (by artifact name); missing ones are empty. */
    readonly artifacts?: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** `CODEBUILD_RESOLVED_SOURCE_VERSION`: for a CodePipeline source, the revision CodePipeline passed. */
    readonly sourceVersion?: string;
    readonly pipelineVariables?: Readonly<Record<string, string>>;
    readonly fakes?: Readonly<Record<string, string>>;
}

export const COMMIT = "0123456789abcdef0123456789abcdef01234567";
/** The commit's author date, as a git source action outputs it (`#{SourceVariables.AuthorDate}`, ISO 8601). */
export const AUTHOR_DATE = "2026-12-06T17:45:12Z";
export const EXECUTION_ID = "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b";

/** Runs one planned project as its pipeline action would start it, with the documented CODEBUILD_* variables. */
export function runProject(run: ProjectRun): RunResult & { spec: ParsedBuildspec; action: ActionModel } {
    const { env, pipeline, projectId } = run;
    const project = pipeline.projects.find((p) => p.id === projectId);
    if (!project) throw new Error(`pipeline ${pipeline.pipelineName} has no project ${projectId}`);
    if (!("inline" in project.buildspec)) throw new Error(`project ${project.name} has a buildspec file`);
    const spec = parseBuildspec(project.buildspec.inline);
    const action = actionOf(pipeline, projectId);
    const values = {
        "codepipeline.PipelineExecutionId": EXECUTION_ID,
        "SourceVariables.AuthorDate": AUTHOR_DATE,
        ...run.pipelineVariables,
    };
    const actionVars = action.configuration.EnvironmentVariables
        ? Object.fromEntries(
              (JSON.parse(String(action.configuration.EnvironmentVariables)) as { name: string; value: string }[]).map(
                  (v) => [v.name, resolve(v.value, values)],
              ),
          )
        : {};
    // With several inputs, `PrimarySource` names the one unpacked in CODEBUILD_SRC_DIR
    // (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html).
    const primaryName = String(action.configuration.PrimarySource ?? action.inputArtifacts[0]);
    const ordered = [primaryName, ...action.inputArtifacts.filter((a) => a !== primaryName)];
    const { ctx } = env;
    const buildId = `${project.name}:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d`;
    const projectVars = Object.fromEntries(
        project.environmentVariables.map((v) => [
            v.name,
            // Secrets are resolved by CodeBuild at run time; the fake value says which reference it came from.
            v.type === "PLAINTEXT" ? v.value : `resolved(${v.type}:${v.value})`,
        ]),
    );
    const result = runBuildspec(spec, {
        inputs: ordered.map((name) => ({ name, files: run.artifacts?.[name] ?? {} })),
        project: projectVars,
        action: actionVars,
        codebuild: {
            AWS_REGION: ctx.region,
            AWS_DEFAULT_REGION: ctx.region,
            CODEBUILD_BUILD_ARN: `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.accountId}:build/${buildId}`,
            CODEBUILD_BUILD_ID: buildId,
            CODEBUILD_BUILD_IMAGE: project.image,
            CODEBUILD_BUILD_NUMBER: "7",
            CODEBUILD_INITIATOR: `codepipeline/${pipeline.pipelineName}`,
            CODEBUILD_PROJECT_ARN: names.projectArn(ctx, project.name),
            CODEBUILD_RESOLVED_SOURCE_VERSION: run.sourceVersion ?? COMMIT,
            CODEBUILD_SOURCE_VERSION: `arn:${ctx.partition}:s3:::${names.artifactBucketName(ctx)}/${pipeline.artifactFolder}/${primaryName}/Abc1234.zip`,
            CODEBUILD_START_TIME: "1796601600000",
            CODEBUILD_BUILD_URL: `https://${ctx.region}.console.aws.amazon.com/codebuild/home?region=${ctx.region}#/builds/${encodeURIComponent(buildId)}/view/new`,
            CODEBUILD_LOG_PATH: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        },
        fakes: run.fakes,
    });
    return { ...result, spec, action };
}

/**
 * ShellCheck's path, or an error naming the script that installs it: the checks fail closed, never skip.
 * `searchPath` is the PATH to look in (the test of this message gives one without ShellCheck).
 */
export function requireShellcheck(searchPath = process.env.PATH ?? ""): string {
    for (const dir of searchPath.split(":").filter(Boolean)) {
        const candidate = path.join(dir, "shellcheck");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not in this directory
        }
    }
    throw new Error(
        "ShellCheck is not installed, and every generated buildspec must pass it. Run `scripts/setup-tools.sh` (it installs Debian's shellcheck package), then run the tests again.",
    );
}

/** ShellCheck's findings on a script, one `line:column: level: message [SCxxxx]` a line; empty when it passes. */
export function shellcheck(script: string, shell: "bash" | "sh" = "bash"): string {
    const run = spawnSync(requireShellcheck(), ["-s", shell, "-f", "gcc", "-"], { input: script, encoding: "utf8" });
    if (run.status === 0) return "";
    if (!run.stdout) throw new Error(`shellcheck failed to run: ${run.stderr}`);
    return run.stdout.replace(/^-:/gm, "");
}
