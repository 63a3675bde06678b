import { stringify } from "yaml";
import type { BuildConfig, TestSuiteId } from "../stacks/service-schema";

/** CodeBuild rejects inline buildspecs longer than this (https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html). */
export const MAX_INLINE_BUILDSPEC = 25600;

export interface TestSuite {
    readonly commands: readonly string[];
    readonly reports: readonly string[];
}

/** Inline buildspec (version 0.2) for the Build action, from `build.commands`. */
export function buildBuildspec(build: BuildConfig): string {
    const commands = build.commands;
    if (!commands) throw new Error("buildBuildspec needs build.commands; use build.buildspecFile otherwise");
    const phases: Record<string, { commands: readonly string[] }> = {};
    if (commands.install.length > 0) phases.install = { commands: commands.install };
    phases.build = { commands: commands.build };
    if (commands.postBuild.length > 0) phases.post_build = { commands: commands.postBuild };
    const artifacts: Record<string, unknown> = { files: build.artifactFiles };
    if (build.artifactBaseDirectory) artifacts["base-directory"] = build.artifactBaseDirectory;
    return stringify({ version: 0.2, phases, artifacts });
}

/**
 * Inline buildspec for one test suite. Reports go to the project's own report group, named by ARN so CodeBuild
 * does not create one on the fly (which would need `codebuild:CreateReportGroup`).
 * https://docs.aws.amazon.com/codebuild/latest/userguide/test-report-group-create-buildspec.html
 */
export function testBuildspec(suite: TestSuite, id: TestSuiteId, reportGroupArn: string): string {
    const spec: Record<string, unknown> = {
        version: 0.2,
        env: { variables: { TEST_SUITE: id } },
        phases: { build: { commands: suite.commands } },
    };
    if (suite.reports.length > 0)
        spec.reports = { [reportGroupArn]: { files: suite.reports, "file-format": "JUNITXML" } };
    return stringify(spec);
}
