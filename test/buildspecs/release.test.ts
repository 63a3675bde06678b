import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as names from "../../model/names";
import { commitTimeOfSummary } from "../../model/metrics/dora";
import { RELEASE_SOURCE_NAMESPACE, SNAPSHOT_SOURCE_NAMESPACE } from "../../model/release";
import { AUTHOR_DATE, COMMIT, EXECUTION_ID, runProject, type Call } from "../support/codebuild-runner";
import { DEV, PROD, STAGING } from "../release/fixtures";
import {
    BUILD_ARTIFACT,
    chainPlans,
    DEPLOYS,
    IMAGE_KINDS,
    KINDS,
    pipelineOf,
    serviceName,
    SOURCE_ARTIFACT,
    SOURCE_FILES,
    variantPlan,
} from "./fixtures";

const plans = chainPlans();
const DIGEST = `sha256:${"a".repeat(64)}`;
const RELEASE_ID = "20261207T000000Z-0123456789ab";
const s3 = (calls: readonly Call[]) =>
    calls
        .filter((c) => c.tool === "aws" && c.command!.startsWith("s3api"))
        .map((c) => [c.command, c.flags!["--bucket"], c.flags!["--key"], c.flags!["--expected-bucket-owner"]]);
const zipEntries = (file: string) =>
    execFileSync("unzip", ["-Z1", file], { encoding: "utf8" })
        .split("\n")
        .filter((e) => e && !e.endsWith("/"))
        .sort();
const unzipped = (file: string, entry: string) => execFileSync("unzip", ["-p", file, entry], { encoding: "utf8" });

/** Staging's promoter of one kind's service, starting from the release version whose metadata is `metadata`. */
const promote = (kind: (typeof KINDS)[number], metadata: Record<string, string>) =>
    runProject({
        env: plans.staging,
        pipeline: pipelineOf(plans.staging, kind),
        projectId: "promote",
        artifacts: { [SOURCE_ARTIFACT]: { ...SOURCE_FILES, ".release-id": RELEASE_ID } },
        pipelineVariables: {
            [`${RELEASE_SOURCE_NAMESPACE}.VersionId`]: "v-release",
            [`${SNAPSHOT_SOURCE_NAMESPACE}.VersionId`]: "v-source",
        },
        fakes: { AWS_FAKE_METADATA: JSON.stringify(metadata) },
    });

describe("release projects, executed for every deploy kind", () => {
    for (const kind of KINDS) {
        const image = IMAGE_KINDS.includes(kind);
        const svc = serviceName(kind);
        const prefix = `releases/${svc}`;

        it(`${kind}: dev's publisher uploads the build's own output and source to staging's bucket${image ? ", the image pinned by digest" : ""}`, () => {
            const built = runProject({
                env: plans.dev,
                pipeline: pipelineOf(plans.dev, kind),
                projectId: "build",
                artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES },
            });
            assert.equal(built.status, "SUCCEEDED", built.stderr);
            const run = runProject({
                env: plans.dev,
                pipeline: pipelineOf(plans.dev, kind),
                projectId: "publish",
                artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES, [BUILD_ARTIFACT]: built.artifact! },
            });
            assert.equal(run.status, "SUCCEEDED", run.stderr);
            assert.deepEqual(run.action.inputArtifacts, [SOURCE_ARTIFACT, BUILD_ARTIFACT]);
            const bucket = names.releaseBucketName(names.linkContext(STAGING));
            const puts = s3(run.calls);
            assert.match(
                String(puts[0][2]),
                new RegExp(`^${prefix}/provenance/\\d{8}T\\d{6}Z-${COMMIT.slice(0, 12)}\\.json$`),
            );
            assert.deepEqual(
                puts.map(([c, b, k, o], i) => [c, b, i === 0 ? "provenance" : k, o]),
                [
                    ["s3api put-object", bucket, "provenance", STAGING.accountId],
                    ["s3api put-object", bucket, `${prefix}/source.zip`, STAGING.accountId],
                    ["s3api put-object", bucket, `${prefix}/release.zip`, STAGING.accountId],
                ],
            );
            const [provenance, source, release] = run.calls.filter((c) => c.command === "s3api put-object");
            // Uploaded from the run's own temporary directory, never a fixed /tmp path an earlier run could have left.
            for (const put of [provenance, source, release])
                assert.ok(put.flags!["--body"].startsWith(`${run.tmpDir}/`), put.flags!["--body"]);
            const releaseId = path.basename(provenance.flags!["--key"], ".json");
            const doc = JSON.parse(fs.readFileSync(provenance.body!, "utf8"));
            assert.equal(doc.releaseId, releaseId);
            assert.equal(doc.commit, COMMIT);
            assert.equal(
                doc.buildId,
                `${names.projectName(plans.dev.ctx, svc, "publish")}:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d`,
            );
            assert.equal(doc.buildRun, names.pipelineExecutionUrl(plans.dev.ctx, svc, EXECUTION_ID));
            for (const put of [source, release])
                assert.deepEqual(JSON.parse(put.flags!["--metadata"]), {
                    "release-id": releaseId,
                    commit: COMMIT,
                    "commit-time": AUTHOR_DATE,
                    "codepipeline-artifact-revision-summary": `Release ${releaseId} (commit ${COMMIT}, committed ${AUTHOR_DATE})`,
                });
            // The next pipeline's executions show that summary, from which lead time is measured from the commit.
            assert.equal(
                commitTimeOfSummary(JSON.parse(release.flags!["--metadata"])["codepipeline-artifact-revision-summary"])
                    ?.toISOString()
                    .replace(".000", ""),
                AUTHOR_DATE,
            );
            // source.zip is the source the suites run later, with the release id that ties it to release.zip.
            assert.deepEqual(zipEntries(source.body!), [...Object.keys(SOURCE_FILES), ".release-id"].sort());
            assert.equal(unzipped(source.body!, ".release-id"), releaseId);
            const ecr = run.calls.filter((c) => c.tool === "aws" && c.command!.startsWith("ecr"));
            if (!image) {
                assert.deepEqual(ecr, []);
                assert.deepEqual(zipEntries(release.body!), Object.keys(built.artifact!).sort());
                return;
            }
            assert.deepEqual(
                ecr.map((c) => c.flags),
                [
                    {
                        "--repository-name": `acme/${kind}`,
                        "--image-ids": `imageTag=${COMMIT}`,
                        "--query": "imageDetails[0].imageDigest",
                        "--output": "text",
                    },
                ],
            );
            const pinned = `${DEV.accountId}.dkr.ecr.${DEV.region}.amazonaws.com/acme/${kind}@${DIGEST}`;
            const file = kind === "ecs-blue-green" ? "imageDetail.json" : "imagedefinitions.json";
            const content = JSON.parse(unzipped(release.body!, file));
            assert.deepEqual(
                content,
                kind === "ecs-blue-green" ? { ImageURI: pinned } : [{ name: svc, imageUri: pinned }],
            );
            // The image pushed by the build is the one pinned: same repository, tag = the commit.
            const push = built.calls.find((c) => c.tool === "docker" && c.args[0] === "push")!;
            assert.equal(push.args[1], `${DEV.accountId}.dkr.ecr.${DEV.region}.amazonaws.com/acme/${kind}:${COMMIT}`);
        });

        it(`${kind}: staging's promoter copies the verified versions into prod's bucket, provenance first`, () => {
            const own = names.releaseBucketName(names.linkContext(STAGING));
            const bucket = names.releaseBucketName(names.linkContext(PROD));
            const run = promote(kind, { "release-id": RELEASE_ID, commit: COMMIT });
            assert.equal(run.status, "SUCCEEDED", run.stderr);
            assert.deepEqual(s3(run.calls), [
                ["s3api head-object", own, `${prefix}/release.zip`, STAGING.accountId],
                ["s3api get-object", own, `${prefix}/provenance/${RELEASE_ID}.json`, STAGING.accountId],
                ["s3api put-object", bucket, `${prefix}/provenance/${RELEASE_ID}.json`, PROD.accountId],
                ["s3api copy-object", bucket, `${prefix}/source.zip`, PROD.accountId],
                ["s3api copy-object", bucket, `${prefix}/release.zip`, PROD.accountId],
            ]);
            const head = run.calls.find((c) => c.command === "s3api head-object")!;
            assert.equal(head.flags!["--version-id"], "v-release");
            const copies = run.calls.filter((c) => c.command === "s3api copy-object");
            assert.deepEqual(
                copies.map((c) => [c.flags!["--copy-source"], c.flags!["--expected-source-bucket-owner"]]),
                [
                    [`${own}/${prefix}/source.zip?versionId=v-source`, STAGING.accountId],
                    [`${own}/${prefix}/release.zip?versionId=v-release`, STAGING.accountId],
                ],
            );
            const run2 = names.pipelineExecutionUrl(plans.staging.ctx, svc, EXECUTION_ID);
            assert.deepEqual(JSON.parse(copies[1].flags!["--metadata"]), {
                "release-id": RELEASE_ID,
                commit: COMMIT,
                "verified-by": run2,
                "codepipeline-artifact-revision-summary": `Release ${RELEASE_ID} (commit ${COMMIT}), verified`,
            });
            const put = run.calls.find((c) => c.command === "s3api put-object")!;
            assert.equal(JSON.parse(fs.readFileSync(put.body!, "utf8")).verifiedBy, run2);
        });

        it(`${kind}: staging's promoter carries the commit date into prod's release, for lead time there`, () => {
            const run = promote(kind, { "release-id": RELEASE_ID, commit: COMMIT, "commit-time": AUTHOR_DATE });
            assert.equal(run.status, "SUCCEEDED", run.stderr);
            const release = run.calls.filter((c) => c.command === "s3api copy-object")[1];
            const metadata = JSON.parse(release.flags!["--metadata"]);
            assert.equal(metadata["commit-time"], AUTHOR_DATE);
            assert.equal(
                metadata["codepipeline-artifact-revision-summary"],
                `Release ${RELEASE_ID} (commit ${COMMIT}, committed ${AUTHOR_DATE}), verified`,
            );
        });

        it(`${kind}: staging's promoter stops when the source snapshot is of another release`, () => {
            const run = runProject({
                env: plans.staging,
                pipeline: pipelineOf(plans.staging, kind),
                projectId: "promote",
                artifacts: { [SOURCE_ARTIFACT]: { ...SOURCE_FILES, ".release-id": "20261206T000000Z-ffffffffffff" } },
                pipelineVariables: {
                    [`${RELEASE_SOURCE_NAMESPACE}.VersionId`]: "v-release",
                    [`${SNAPSHOT_SOURCE_NAMESPACE}.VersionId`]: "v-source",
                },
                fakes: { AWS_FAKE_METADATA: JSON.stringify({ "release-id": RELEASE_ID, commit: COMMIT }) },
            });
            assert.equal(run.status, "FAILED");
            assert.match(run.stderr, new RegExp(`Source snapshot is not of release ${RELEASE_ID}`));
            assert.ok(!run.calls.some((c) => c.command === "s3api put-object" || c.command === "s3api copy-object"));
        });

        it(`${kind}: prod's provenance action exports the release, commit and proving run of the version it started from`, () => {
            const run = runProject({
                env: plans.prod,
                pipeline: pipelineOf(plans.prod, kind),
                projectId: "provenance",
                artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES },
                pipelineVariables: {
                    [`${RELEASE_SOURCE_NAMESPACE}.VersionId`]: "v-prod",
                    [`${SNAPSHOT_SOURCE_NAMESPACE}.VersionId`]: "v-prod-source",
                },
                fakes: {
                    AWS_FAKE_METADATA: JSON.stringify({
                        "release-id": RELEASE_ID,
                        commit: COMMIT,
                        "verified-by": "https://staging-run",
                    }),
                },
            });
            assert.equal(run.status, "SUCCEEDED", run.stderr);
            assert.deepEqual(run.exported, { RELEASE_ID, COMMIT, STAGING_RUN: "https://staging-run" });
            const own = names.releaseBucketName(names.linkContext(PROD));
            assert.deepEqual(s3(run.calls), [["s3api head-object", own, `${prefix}/release.zip`, PROD.accountId]]);
            assert.equal(run.calls[0].flags!["--version-id"], "v-prod");
        });
    }

    it("prod's provenance action fails a release that staging never verified", () => {
        const run = runProject({
            env: plans.prod,
            pipeline: pipelineOf(plans.prod, "lambda"),
            projectId: "provenance",
            artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES },
            pipelineVariables: {
                [`${RELEASE_SOURCE_NAMESPACE}.VersionId`]: "v",
                [`${SNAPSHOT_SOURCE_NAMESPACE}.VersionId`]: "v",
            },
            fakes: { AWS_FAKE_METADATA: JSON.stringify({ "release-id": RELEASE_ID, commit: COMMIT }) },
        });
        assert.equal(run.status, "FAILED");
        assert.equal(run.phases.build, "FAILED");
    });

    it("dev's publisher looks the image up by the very tag the build pushed, whatever the source revision", () => {
        const sourceVersion = `feature/Ünïcode+${"x".repeat(150)}`;
        const pipeline = pipelineOf(plans.dev, "ecs-blue-green");
        const source = { [SOURCE_ARTIFACT]: SOURCE_FILES };
        const built = runProject({ env: plans.dev, pipeline, projectId: "build", artifacts: source, sourceVersion });
        assert.equal(built.status, "SUCCEEDED", built.stderr);
        const published = runProject({
            env: plans.dev,
            pipeline,
            projectId: "publish",
            artifacts: { ...source, [BUILD_ARTIFACT]: built.artifact! },
            sourceVersion,
        });
        assert.equal(published.status, "SUCCEEDED", published.stderr);
        const pushed = built.calls
            .find((c) => c.tool === "docker" && c.args[0] === "push")!
            .args[1].split(":")
            .pop();
        const looked = published.calls.find((c) => c.command === "ecr describe-images")!.flags!["--image-ids"];
        assert.equal(looked, `imageTag=${pushed}`);
    });

    it("dev's publisher reads the image a buildspec file pushed from the image file it wrote, and refuses a foreign one", () => {
        const { env, pipeline } = variantPlan(
            "legacy",
            { buildspecFile: "ci/buildspec.yml", containerImage: true, imageRepository: "acme/legacy" },
            DEPLOYS["ecs-blue-green"],
        );
        const repository = `${DEV.accountId}.dkr.ecr.${DEV.region}.amazonaws.com/acme/legacy`;
        const publish = (imageUri: string) =>
            runProject({
                env,
                pipeline,
                projectId: "publish",
                artifacts: {
                    [SOURCE_ARTIFACT]: SOURCE_FILES,
                    [BUILD_ARTIFACT]: { "imageDetail.json": JSON.stringify({ ImageURI: imageUri }) },
                },
            });
        const looked = (run: ReturnType<typeof publish>) =>
            run.calls.find((c) => c.command === "ecr describe-images")?.flags!["--image-ids"];
        const tagged = publish(`${repository}:v1.4.2`);
        assert.equal(tagged.status, "SUCCEEDED", tagged.stderr);
        assert.equal(looked(tagged), "imageTag=v1.4.2");
        const digest = `sha256:${"b".repeat(64)}`;
        const pinned = publish(`${repository}@${digest}`);
        assert.equal(pinned.status, "SUCCEEDED", pinned.stderr);
        assert.equal(looked(pinned), `imageDigest=${digest}`);
        const foreign = publish(`${DEV.accountId}.dkr.ecr.${DEV.region}.amazonaws.com/acme/other:v1`);
        assert.equal(foreign.status, "FAILED");
        assert.match(
            foreign.stderr,
            new RegExp(`imageDetail\\.json names .*acme/other:v1, not an image of ${repository}`),
        );
        assert.ok(!foreign.calls.some((c) => c.command === "s3api put-object"));
    });

    it("dev's publisher stops before uploading anything when the image the build pushed has no digest", () => {
        const run = runProject({
            env: plans.dev,
            pipeline: pipelineOf(plans.dev, "ecs-rolling"),
            projectId: "publish",
            artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES, [BUILD_ARTIFACT]: {} },
            fakes: { FAKE_FAIL: "aws ecr describe-images" },
        });
        assert.equal(run.status, "FAILED");
        assert.ok(!run.calls.some((c) => c.command === "s3api put-object"));
    });
});
