import { strict as assert } from "assert";
import * as fs from "fs";
import type { EnvironmentPlan, PipelinePlan } from "../../model/environment";
import * as names from "../../model/names";
import { BUILD_ARTIFACT, SOURCE_ARTIFACT } from "../../model/pipeline";
import { PROVENANCE_NAMESPACE } from "../../model/release";
import { SOURCE_FILES } from "../buildspecs/fixtures";
import { COMMIT, EXECUTION_ID, resolve, runProject, type Call, type S3Ref } from "../support/codebuild-runner";
import { fakeS3, matchesPattern, playS3Source, type FakeS3, type SourceOutput } from "../support/fake-s3";
import { devPlan, PROD, prodPlan, STAGING, stagingPlan } from "./fixtures";

/**
 * The release chain, played link by link over one versioned fake S3: dev's publisher writes staging's bucket; the
 * object version staging's EventBridge rule starts on feeds staging's source actions, post-deploy suites and
 * promoter; the promoter writes prod's bucket; prod's source actions and provenance action read it. Each link may
 * read only what the link before it wrote (bucket, key and version), and every pipeline variable an action reads is
 * resolved from the versions the fake S3 holds, as CodePipeline's S3 source action outputs them.
 */

const RELEASE_PROJECTS = ["build", "publish", "promote", "provenance"];

const pipelineOf = (plan: EnvironmentPlan, service: string): PipelinePlan => {
    const found = plan.pipelines.find((p) => p.service === service);
    if (!found) throw new Error(`${plan.ctx.environment} plans no pipeline for ${service}`);
    return found;
};

const sameVersion = (a: S3Ref, b: S3Ref) => a.bucket === b.bucket && a.key === b.key && a.versionId === b.versionId;
const show = (r: S3Ref) => `${r.bucket}/${r.key}?versionId=${r.versionId}`;

/** The versions a run read or wrote, in call order, as the fake S3 logged them. */
const writes = (calls: readonly Call[]): S3Ref[] => calls.flatMap((c) => (c.s3?.wrote ? [c.s3.wrote] : []));
const reads = (calls: readonly Call[]): S3Ref[] => calls.flatMap((c) => (c.s3?.read ? [c.s3.read] : []));

/** Fails unless every version `link` read is one that `previous` wrote. */
function assertReadsOnly(link: string, read: readonly S3Ref[], previous: string, written: readonly S3Ref[]) {
    assert.ok(read.length > 0, `${link} read nothing`);
    for (const r of read)
        assert.ok(
            written.some((w) => sameVersion(w, r)),
            `${link} read ${show(r)} (written by ${r.writer ?? "nobody"}), which ${previous} did not write; it wrote ${written.map(show).join(", ")}`,
        );
}

interface Started {
    readonly pipeline: PipelinePlan;
    readonly sources: readonly SourceOutput[];
    /** The output variables of every source action, by `namespace.Variable`. */
    readonly variables: Record<string, string>;
    /** Input artifacts by name, as the source actions output them. */
    readonly artifacts: Record<string, Record<string, string>>;
    /** How many of the store's events match the rule: each would have started a run. */
    readonly matched: number;
}

/**
 * A run of a release-fed pipeline, as its EventBridge rule starts it: the newest S3 event that matches the planned
 * rule's pattern names the object version the run starts on, and the other source actions take their object's
 * version as of the write that sent the event (see `playS3Source`).
 */
function startFromRelease(s3: FakeS3, plan: EnvironmentPlan, service: string): Started {
    const pipeline = pipelineOf(plan, service);
    const detection = pipeline.changeDetection;
    assert.equal(detection.kind, "eventbridge", `${pipeline.pipelineName} is not started by an EventBridge rule`);
    const events = s3.events().filter((e) => matchesPattern(detection.pattern, e));
    const event = events.at(-1);
    assert.ok(event, `no S3 event matches the rule of ${pipeline.pipelineName}: nothing started it`);
    const { name: bucket } = event.detail.bucket;
    const { key, "version-id": version } = event.detail.object;
    // The run starts on the event's version, which is still the object's current one.
    assert.equal(s3.version(bucket, key).versionId, version, `a newer ${key} was written after the event`);
    const asOf = s3.version(bucket, key, version).seq;
    const actions = pipeline.stages[0].actions;
    const trigger = actions.filter((a) => a.configuration.S3Bucket === bucket && a.configuration.S3ObjectKey === key);
    assert.equal(trigger.length, 1, `${pipeline.pipelineName} has no source action on ${bucket}/${key}`);
    const sources = actions.map((a) => playS3Source(s3, a, a === trigger[0] ? { versionId: version } : { asOf }));
    return {
        pipeline,
        sources,
        variables: Object.assign({}, ...sources.map((s) => s.variables)),
        artifacts: Object.fromEntries(sources.map((s) => [s.action.outputArtifacts[0], s.files])),
        matched: events.length,
    };
}

/** Runs the pipeline's post-deploy suites (its CodeBuild test actions) on what the source actions output. */
function runSuites(plan: EnvironmentPlan, started: Started): string[] {
    const suites = started.pipeline.stages
        .flatMap((s) => s.actions)
        .filter((a) => a.provider === "CodeBuild" && !RELEASE_PROJECTS.includes(a.projectId ?? ""));
    assert.ok(suites.length > 0, `${started.pipeline.pipelineName} runs no suite`);
    for (const suite of suites) {
        const run = runProject({
            env: plan,
            pipeline: started.pipeline,
            projectId: suite.projectId!,
            artifacts: started.artifacts,
            pipelineVariables: started.variables,
        });
        assert.equal(run.status, "SUCCEEDED", `${suite.name} of ${started.pipeline.pipelineName}: ${run.stderr}`);
        // The suite ran on the source the release carries: the npm fake reads its package.json.
        assert.equal(
            fs.readFileSync(`${run.dirs[SOURCE_ARTIFACT]}/package.json`, "utf8"),
            SOURCE_FILES["package.json"],
        );
    }
    return suites.map((s) => s.projectId!);
}

const bucketOf = (link: typeof STAGING) => names.releaseBucketName(names.linkContext(link));

/** A fresh S3 with the two release buckets the chain writes, each owned by its environment's account. */
const chainS3 = (): FakeS3 =>
    fakeS3([
        { name: bucketOf(STAGING), owner: STAGING.accountId, region: STAGING.region },
        { name: bucketOf(PROD), owner: PROD.accountId, region: PROD.region },
    ]);

/** dev's pipeline for one commit: build from git, then publish into staging's bucket. */
function publishFromDev(s3: FakeS3, service: string, sourceVersion = COMMIT) {
    const dev = pipelineOf(devPlan, service);
    const built = runProject({
        env: devPlan,
        pipeline: dev,
        projectId: "build",
        artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES },
        sourceVersion,
    });
    assert.equal(built.status, "SUCCEEDED", built.stderr);
    const published = runProject({
        env: devPlan,
        pipeline: dev,
        projectId: "publish",
        artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES, [BUILD_ARTIFACT]: built.artifact! },
        sourceVersion,
        fakes: s3.env(sourceVersion === COMMIT ? "dev publish" : `dev publish ${sourceVersion}`),
    });
    assert.equal(published.status, "SUCCEEDED", published.stderr);
    return published;
}

/** staging's promoter, with the variables and artifacts of the run's source actions. */
const promoteInStaging = (s3: FakeS3, started: Started) =>
    runProject({
        env: stagingPlan,
        pipeline: started.pipeline,
        projectId: "promote",
        artifacts: started.artifacts,
        pipelineVariables: started.variables,
        fakes: s3.env("staging promote"),
    });

describe("release chain, simulated end to end over a versioned S3", () => {
    for (const { service } of devPlan.pipelines) {
        it(`${service}: dev publishes, staging starts on that version, tests and promotes it, prod approves what staging verified`, () => {
            const s3 = chainS3();
            const published = publishFromDev(s3, service);
            const devWrote = writes(published.calls);
            assert.deepEqual(
                devWrote.map((w) => [w.bucket, w.writer]),
                devWrote.map(() => [bucketOf(STAGING), "dev publish"]),
            );

            // staging: the rule starts the run on the release.zip version dev wrote; both sources are dev's.
            const staging = startFromRelease(s3, stagingPlan, service);
            // Of dev's three writes only release.zip starts staging: one run per release.
            assert.equal(staging.matched, 1);
            assertReadsOnly(
                "staging's source actions",
                staging.sources.map((s) => s.ref),
                "dev's publisher",
                devWrote,
            );
            assert.deepEqual(runSuites(stagingPlan, staging).sort(), ["integration", "smoke"]);
            const promoted = promoteInStaging(s3, staging);
            assert.equal(promoted.status, "SUCCEEDED", promoted.stderr);
            assertReadsOnly("staging's promoter", reads(promoted.calls), "dev's publisher", devWrote);
            // The promoter copies exactly the versions the run started on, not whatever is current.
            const copied = promoted.calls.filter((c) => c.command === "s3api copy-object").map((c) => c.s3!.read!);
            assert.deepEqual(copied.map(show).sort(), staging.sources.map((s) => show(s.ref)).sort());
            const stagingWrote = writes(promoted.calls);
            assert.ok(stagingWrote.every((w) => w.bucket === bucketOf(PROD) && w.writer === "staging promote"));

            // prod: the rule starts the run on the release.zip version staging wrote.
            const prod = startFromRelease(s3, prodPlan, service);
            assert.equal(prod.matched, 1);
            assertReadsOnly(
                "prod's source actions",
                prod.sources.map((s) => s.ref),
                "staging's promoter",
                stagingWrote,
            );
            const provenance = runProject({
                env: prodPlan,
                pipeline: prod.pipeline,
                projectId: "provenance",
                artifacts: prod.artifacts,
                pipelineVariables: prod.variables,
                fakes: s3.env("prod provenance"),
            });
            // jq -e stops silently on a missing field, so the message falls back to the commands' calls.
            assert.equal(provenance.status, "SUCCEEDED", provenance.stderr || JSON.stringify(provenance.calls));
            assertReadsOnly("prod's provenance action", reads(provenance.calls), "staging's promoter", stagingWrote);

            // The approval shows the release dev published, and the staging run that verified it.
            const provenanceKey = writes(published.calls).find((w) => w.key.includes("/provenance/"))!.key;
            const releaseId = provenanceKey.replace(/^.*\/provenance\/(.*)\.json$/, "$1");
            const stagingRun = names.pipelineExecutionUrl(stagingPlan.ctx, service, EXECUTION_ID);
            const verifiedBy = JSON.parse(
                promoted.calls.find((c) => c.command === "s3api copy-object" && "--metadata" in c.flags!)!.flags![
                    "--metadata"
                ],
            )["verified-by"];
            assert.equal(verifiedBy, stagingRun);
            assert.deepEqual(provenance.exported, { RELEASE_ID: releaseId, COMMIT, STAGING_RUN: verifiedBy });
            const approval = prod.pipeline.stages.flatMap((s) => s.actions).find((a) => a.provider === "Manual")!;
            const shown = resolve(
                String(approval.configuration.CustomData),
                Object.fromEntries(
                    Object.entries(provenance.exported).map(([k, v]) => [`${PROVENANCE_NAMESPACE}.${k}`, v]),
                ),
            );
            assert.ok(
                shown.startsWith(`Release ${releaseId} of ${service}, commit ${COMMIT}, verified by ${stagingRun}.`),
                shown,
            );
            // The provenance document in prod's bucket, under the id the approval shows, names the same run.
            const doc = s3.version(bucketOf(PROD), provenanceKey);
            assert.equal(doc.writer, "staging promote");
            const record = JSON.parse(s3.bytes(doc).toString("utf8"));
            assert.deepEqual([record.releaseId, record.commit, record.verifiedBy], [releaseId, COMMIT, stagingRun]);

            // Prod deploys and tests the very bytes dev published.
            const devPut = (key: string) =>
                fs.readFileSync(published.calls.find((c) => c.flags?.["--key"] === key)!.body!);
            const byArtifact = (x: typeof prod, artifact: string) =>
                x.sources.find((s) => s.action.outputArtifacts[0] === artifact)!.bytes;
            assert.ok(byArtifact(prod, SOURCE_ARTIFACT).equals(devPut(names.releaseSourceKey(service))));
            assert.ok(byArtifact(prod, BUILD_ARTIFACT).equals(devPut(names.releaseObjectKey(service))));
            assert.deepEqual(runSuites(prodPlan, prod), ["smoke"]);
        });
    }

    it("staging's promoter refuses a run whose source snapshot is of a newer release than the one it started on", () => {
        const service = devPlan.pipelines[0].service;
        const s3 = chainS3();
        publishFromDev(s3, service, "1".repeat(40));
        // The first release's run starts; before its source action reads source.zip, dev publishes a second one
        // whose source.zip lands first.
        const first = s3.events().find((e) => e.detail.object.key === names.releaseObjectKey(service))!;
        publishFromDev(s3, service, "2".repeat(40));
        const pipeline = pipelineOf(stagingPlan, service);
        const sources = pipeline.stages[0].actions.map((a) =>
            playS3Source(
                s3,
                a,
                a.configuration.S3ObjectKey === first.detail.object.key
                    ? { versionId: first.detail.object["version-id"] }
                    : {},
            ),
        );
        const promoted = promoteInStaging(s3, {
            pipeline,
            sources,
            variables: Object.assign({}, ...sources.map((s) => s.variables)),
            artifacts: Object.fromEntries(sources.map((s) => [s.action.outputArtifacts[0], s.files])),
            matched: 2,
        });
        assert.equal(promoted.status, "FAILED");
        assert.match(promoted.stderr, /Source snapshot is not of release \d{8}T\d{6}Z-111111111111\n/);
        assert.deepEqual(writes(promoted.calls), []);
        assert.deepEqual(s3.versions(bucketOf(PROD), names.releaseObjectKey(service)), []);
    });

    it("staging promotes the versions its run started on, not a release dev published while the run was under way", () => {
        const service = devPlan.pipelines[0].service;
        const s3 = chainS3();
        const first = publishFromDev(s3, service, "1".repeat(40));
        const staging = startFromRelease(s3, stagingPlan, service);
        publishFromDev(s3, service, "2".repeat(40));
        const promoted = promoteInStaging(s3, staging);
        assert.equal(promoted.status, "SUCCEEDED", promoted.stderr);
        assertReadsOnly("staging's promoter", reads(promoted.calls), "the first release", writes(first.calls));
        const prod = startFromRelease(s3, prodPlan, service);
        const devPut = (key: string) => fs.readFileSync(first.calls.find((c) => c.flags?.["--key"] === key)!.body!);
        assert.deepEqual(
            prod.sources.map((s) => [s.ref.key, s.bytes.equals(devPut(s.ref.key))]),
            prod.sources.map((s) => [s.ref.key, true]),
        );
        assert.match(
            s3.version(bucketOf(PROD), names.releaseObjectKey(service)).metadata["release-id"],
            /-111111111111$/,
        );
    });
});
