import { strict as assert } from "assert";
import type { PipelinePlan } from "../../model/environment";
import * as names from "../../model/names";
import { parse } from "yaml";
import { devPlan, prodPlan, stagingPlan } from "./fixtures";

const web = (plan: { pipelines: readonly PipelinePlan[] }) => plan.pipelines.find((p) => p.service === "web")!;
const stage = (p: PipelinePlan, id: string) => p.stages.find((s) => s.id === id);
/** A release project's buildspec, parsed, and its commands as one text. */
function buildspecOf(p: PipelinePlan, id: string): { spec: any; commands: string } {
    const project = p.projects.find((x) => x.id === id)!;
    const spec = parse("inline" in project.buildspec ? project.buildspec.inline : "");
    return { spec, commands: (spec.phases.build.commands as string[]).join("\n") };
}
const layout = (p: PipelinePlan) => p.stages.map((s) => `${s.name}: ${s.actions.map((a) => a.name).join(",")}`);

describe("release chain: build once, promote", () => {
    it("compiles each service from git exactly once across dev, staging and prod", () => {
        for (const service of ["web", "orders-api"]) {
            const builds = [devPlan, stagingPlan, prodPlan].flatMap((plan) =>
                plan.pipelines
                    .filter((p) => p.service === service)
                    .flatMap((p) =>
                        p.stages
                            .flatMap((s) => s.actions)
                            .filter((a) => a.category === "Build" && a.projectId === "build"),
                    ),
            );
            assert.equal(builds.length, 1, service);
            assert.ok(devPlan.pipelines.find((p) => p.service === service)!.projects.some((p) => p.id === "build"));
        }
    });

    it("dev builds, tests, deploys, smoke-tests, then publishes to staging's release bucket", () => {
        const p = web(devPlan);
        assert.deepEqual(layout(p), [
            "Source: Source",
            "Build: Build",
            "Test: UnitTests",
            "Deploy: Deploy,SmokeTests",
            "Release: PublishRelease",
        ]);
        const publish = stage(p, "release")!.actions[0];
        assert.deepEqual(publish.inputArtifacts, ["SourceOutput", "BuildOutput"]);
        assert.equal(publish.configuration.PrimarySource, "SourceOutput");
        assert.equal(p.projects.find((x) => x.id === "publish")!.roleKind, "release");
        const spec = buildspecOf(p, "publish").commands;
        assert.ok(spec.includes("--bucket 'cicd-releases-staging-222222222222-eu-west-1'"), spec);
        assert.ok(spec.includes("--expected-bucket-owner 222222222222"));
        // The image is pinned by digest, and release.zip (the object that starts staging) is written last.
        assert.ok(spec.includes("aws ecr describe-images --repository-name 'acme/web'"));
        assert.ok(spec.lastIndexOf("releases/web/release.zip") > spec.lastIndexOf("releases/web/source.zip"));
        assert.deepEqual(p.roles, ["pipeline", "build", "test", "release", "deploy"]);
    });

    it("staging starts from its release bucket, deploys, tests the deployed service, and promotes", () => {
        const p = web(stagingPlan);
        assert.deepEqual(layout(p), [
            "Source: Release,Source",
            "Deploy: Deploy,IntegrationTests,SmokeTests",
            "Release: PromoteRelease",
        ]);
        const [release, snapshot] = stage(p, "source")!.actions;
        const bucket = "cicd-releases-staging-222222222222-eu-west-1";
        assert.deepEqual(release.configuration, {
            S3Bucket: bucket,
            S3ObjectKey: "releases/web/release.zip",
            PollForSourceChanges: "false",
        });
        assert.deepEqual([release.outputArtifacts, release.namespace], [["BuildOutput"], "ReleaseSource"]);
        assert.deepEqual(
            [snapshot.configuration.S3ObjectKey, snapshot.outputArtifacts],
            ["releases/web/source.zip", ["SourceOutput"]],
        );
        // The deploy reads the release's build output; nothing is built.
        assert.deepEqual(stage(p, "deploy")!.actions[0].inputArtifacts, ["BuildOutput"]);
        assert.ok(!p.projects.some((x) => x.id === "build"));
        assert.ok(!p.roles.includes("build"));
        assert.equal(p.trigger, undefined);
        assert.deepEqual(p.changeDetection.kind === "eventbridge" && p.changeDetection.pattern, {
            source: ["aws.s3"],
            "detail-type": ["Object Created"],
            detail: { bucket: { name: [bucket] }, object: { key: ["releases/web/release.zip"] } },
        });
        const promote = stage(p, "release")!.actions[0];
        assert.deepEqual(JSON.parse(promote.configuration.EnvironmentVariables), [
            { name: "PIPELINE_EXECUTION_ID", value: "#{codepipeline.PipelineExecutionId}", type: "PLAINTEXT" },
            { name: "RELEASE_VERSION", value: "#{ReleaseSource.VersionId}", type: "PLAINTEXT" },
            { name: "SOURCE_VERSION", value: "#{SourceSnapshot.VersionId}", type: "PLAINTEXT" },
        ]);
        const text = buildspecOf(p, "promote").commands;
        // Same bytes: copied by version into prod's bucket, after checking the snapshot belongs to the release.
        assert.ok(
            text.includes(
                '--copy-source "cicd-releases-staging-222222222222-eu-west-1/releases/web/release.zip?versionId=$RELEASE_VERSION"',
            ),
        );
        assert.ok(text.includes("--bucket 'cicd-releases-prod-333333333333-eu-west-1'"));
        assert.ok(text.includes('.release-id")" = "$RELEASE_ID"'));
        assert.ok(stagingPlan.releaseStore);
        assert.equal(devPlan.releaseStore, undefined);
    });

    it("prod starts only from a promoted release and shows its id, commit and staging run to the approver", () => {
        const p = web(prodPlan);
        assert.deepEqual(layout(p), [
            "Source: Release,Source",
            "Approve: ReadProvenance,Approve",
            "Deploy: Deploy,SmokeTests",
        ]);
        assert.ok(!p.stages.flatMap((s) => s.actions).some((a) => a.category === "Build"));
        const [provenance, approve] = stage(p, "approve")!.actions;
        assert.deepEqual([provenance.runOrder, provenance.namespace, approve.runOrder], [1, "Release", 2]);
        assert.equal(
            approve.configuration.CustomData,
            "Release #{Release.RELEASE_ID} of web, commit #{Release.COMMIT}, verified by #{Release.STAGING_RUN}. Approve deploying web to prod.",
        );
        const { spec, commands: text } = buildspecOf(p, "provenance");
        assert.deepEqual(spec.env["exported-variables"], ["RELEASE_ID", "COMMIT", "STAGING_RUN"]);
        // A release that staging did not verify has no `verified-by` metadata: `jq -e` stops the run.
        assert.ok(text.includes(`jq -er '."verified-by"'`));
        assert.ok(p.stages.some((s) => s.actions.some((a) => a.category === "Test" && a.name === "SmokeTests")));
        assert.equal(prodPlan.releaseStore?.bucketName, names.releaseBucketName(prodPlan.ctx));
        assert.equal(prodPlan.releaseStore?.protect, true);
    });

    it("every pipeline of the chain has a Test action", () => {
        for (const plan of [devPlan, stagingPlan, prodPlan])
            for (const p of plan.pipelines)
                assert.ok(
                    p.stages.some((s) => s.actions.some((a) => a.category === "Test")),
                    p.pipelineName,
                );
    });
});
