import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import type { PipelinePlan } from "../../model/environment";
import * as names from "../../model/names";
import { devPlan, prodPlan, STAGING, PROD, stagingPlan } from "./fixtures";

const FAKES = path.join(__dirname, "..", "support", "fakes");

interface Call {
    command: string;
    flags: Record<string, string>;
}

/**
 * Runs a release project's build commands the way CodeBuild runs a version 0.2 buildspec with `env.shell: bash`:
 * in order, in one bash instance, with the documented CODEBUILD_* variables
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html), the primary input in
 * CODEBUILD_SRC_DIR and the secondary one in CODEBUILD_SRC_DIR_<artifact>; `aws` is the recording fake.
 */
function run(p: PipelinePlan, id: string, env: Record<string, string> = {}): Call[] {
    const project = p.projects.find((x) => x.id === id)!;
    const spec = parse("inline" in project.buildspec ? project.buildspec.inline : "");
    assert.equal(spec.env.shell, "bash");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-script-"));
    const src = path.join(dir, "src");
    const out = path.join(dir, "out");
    fs.mkdirSync(src);
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(src, ".release-id"), "20261207T000000Z-0123456789ab");
    fs.writeFileSync(path.join(out, "artifact.txt"), "built");
    const log = path.join(dir, "calls.jsonl");
    fs.writeFileSync(log, "");
    try {
        execFileSync("bash", ["-e", "-c", (spec.phases.build.commands as string[]).join("\n")], {
            cwd: dir,
            stdio: ["ignore", "pipe", "pipe"],
            env: {
                ...process.env,
                PATH: `${FAKES}:${process.env.PATH}`,
                AWS_FAKE_LOG: log,
                CODEBUILD_SRC_DIR: src,
                CODEBUILD_SRC_DIR_BuildOutput: out,
                CODEBUILD_RESOLVED_SOURCE_VERSION: "0123456789abcdef0123456789abcdef01234567",
                CODEBUILD_BUILD_ID: "web-publish:1",
                CODEBUILD_BUILD_URL: "https://console.aws.amazon.com/codebuild",
                PIPELINE_EXECUTION_ID: "exec-1",
                ...env,
            },
        });
    } catch (e) {
        throw new Error(`${id} failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
    }
    return fs
        .readFileSync(log, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Call);
}

const web = (plan: { pipelines: readonly PipelinePlan[] }) => plan.pipelines.find((p) => p.service === "web")!;
const puts = (calls: Call[]) =>
    calls
        .filter((c) => c.command !== "s3api head-object" && c.command !== "s3api get-object")
        .filter((c) => c.command.startsWith("s3api"))
        .map((c) => [c.command, c.flags["--bucket"], c.flags["--key"], c.flags["--expected-bucket-owner"]]);
const METADATA = JSON.stringify({
    "release-id": "20261207T000000Z-0123456789ab",
    commit: "0123456789abcdef0123456789abcdef01234567",
    "verified-by": "https://staging-run",
});

describe("release scripts, executed under bash with a recording aws CLI", () => {
    it("dev's publisher writes provenance, source and release objects under the service's prefix of staging's bucket", () => {
        const calls = run(web(devPlan), "publish");
        const bucket = names.releaseBucketName(names.linkContext(STAGING));
        const put = puts(calls);
        assert.equal(put.length, 3);
        assert.match(put[0][2], /^releases\/web\/provenance\/\d{8}T\d{6}Z-0123456789ab\.json$/);
        assert.deepEqual(put.slice(1), [
            ["s3api put-object", bucket, "releases/web/source.zip", STAGING.accountId],
            ["s3api put-object", bucket, "releases/web/release.zip", STAGING.accountId],
        ]);
        assert.deepEqual(put[0].slice(0, 2).concat(put[0][3]), ["s3api put-object", bucket, STAGING.accountId]);
    });

    it("staging's promoter copies the versions it verified into prod's bucket, provenance first", () => {
        const calls = run(web(stagingPlan), "promote", {
            AWS_FAKE_METADATA: METADATA,
            RELEASE_VERSION: "v-release",
            SOURCE_VERSION: "v-source",
        });
        const bucket = names.releaseBucketName(names.linkContext(PROD));
        const own = names.releaseBucketName(names.linkContext(STAGING));
        assert.deepEqual(puts(calls), [
            ["s3api put-object", bucket, "releases/web/provenance/20261207T000000Z-0123456789ab.json", PROD.accountId],
            ["s3api copy-object", bucket, "releases/web/source.zip", PROD.accountId],
            ["s3api copy-object", bucket, "releases/web/release.zip", PROD.accountId],
        ]);
        const copies = calls.filter((c) => c.command === "s3api copy-object").map((c) => c.flags["--copy-source"]);
        assert.deepEqual(copies, [
            `${own}/releases/web/source.zip?versionId=v-source`,
            `${own}/releases/web/release.zip?versionId=v-release`,
        ]);
    });

    it("prod's provenance action reads the exact version the pipeline started from, and stops without verified-by", () => {
        const calls = run(web(prodPlan), "provenance", { AWS_FAKE_METADATA: METADATA, RELEASE_VERSION: "v-prod" });
        assert.deepEqual(
            calls.map((c) => [c.command, c.flags["--key"], c.flags["--version-id"]]),
            [["s3api head-object", "releases/web/release.zip", "v-prod"]],
        );
        const unverified = JSON.stringify({ "release-id": "r", commit: "c" });
        assert.throws(
            () => run(web(prodPlan), "provenance", { AWS_FAKE_METADATA: unverified, RELEASE_VERSION: "v" }),
            /provenance failed/,
        );
    });
});
