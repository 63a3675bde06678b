import { stringify } from "yaml";

/** CodeBuild rejects inline buildspecs longer than this (https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html). */
export const MAX_INLINE_BUILDSPEC = 25600;

/** The phases of an inline buildspec, in the order CodeBuild runs them. */
export interface Phases {
    readonly install: readonly string[];
    readonly preBuild: readonly string[];
    readonly build: readonly string[];
    readonly postBuild: readonly string[];
}

export interface BuildspecInput {
    readonly phases: Phases;
    /** Stop after a failed `build` phase instead of running `post_build` (which CodeBuild runs by default). */
    readonly abortOnBuildFailure?: boolean;
    /** Variables set in the buildspec itself (`env.variables`). */
    readonly variables?: Readonly<Record<string, string>>;
    /** Directories kept between builds (`cache.paths`). */
    readonly cachePaths?: readonly string[];
    /** Output artifact, for the build; test suites have none. */
    readonly artifacts?: { readonly files: readonly string[]; readonly baseDirectory?: string };
    /** Test report files sent to the report group with this ARN. */
    readonly reports?: { readonly groupArn: string; readonly files: readonly string[] };
}

/**
 * Inline buildspec (version 0.2), run by bash (`env.shell`). In version 0.2 every command of the build runs in the same shell instance, so a
 * variable exported in `pre_build` is visible in `build` and `post_build`. `on-failure: ABORT` stops the build
 * after a failed phase; without it `post_build` still runs.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html
 *
 * Reports go to the project's own report group, named by ARN so CodeBuild does not create one on the fly (which
 * would need `codebuild:CreateReportGroup`).
 * https://docs.aws.amazon.com/codebuild/latest/userguide/test-report-group-create-buildspec.html
 */
export function renderBuildspec(input: BuildspecInput): string {
    const { phases } = input;
    const spec: Record<string, unknown> = { version: 0.2 };
    // The shell is named: the buildspec reference lists `bash` and `/bin/sh` for Linux but does not say which one
    // runs the commands when `env.shell` is absent, and `/bin/sh` differs between images. Naming bash makes what the
    // commands mean (and what the tests run and ShellCheck checks) the same on every image.
    spec.env = {
        shell: "bash",
        ...(input.variables && Object.keys(input.variables).length > 0 ? { variables: input.variables } : {}),
    };
    const out: Record<string, Record<string, unknown>> = {};
    if (phases.install.length > 0) out.install = { commands: phases.install };
    if (phases.preBuild.length > 0) out.pre_build = { commands: phases.preBuild };
    out.build = {
        ...(input.abortOnBuildFailure ? { "on-failure": "ABORT" } : {}),
        commands: phases.build,
    };
    if (phases.postBuild.length > 0) out.post_build = { commands: phases.postBuild };
    spec.phases = out;
    if (input.reports && input.reports.files.length > 0)
        spec.reports = { [input.reports.groupArn]: { files: input.reports.files, "file-format": "JUNITXML" } };
    if (input.artifacts) {
        spec.artifacts = {
            files: input.artifacts.files,
            ...(input.artifacts.baseDirectory ? { "base-directory": input.artifacts.baseDirectory } : {}),
        };
    }
    if (input.cachePaths && input.cachePaths.length > 0) spec.cache = { paths: input.cachePaths };
    return stringify(spec);
}

/** A value as one single-quoted shell word (so paths and names with spaces or `$` stay literal). */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'"'"'`)}'`;
