import { strict as assert } from "assert";
import { DEPLOY_KINDS } from "../../model/deploy-kinds";
import type { ProjectId } from "../../model/projects";
import { devEnv } from "../release/fixtures";
import { COMMIT, runProject } from "../support/codebuild-runner";
import { DEPLOYS, KINDS, SOURCE_ARTIFACT, SOURCE_FILES, variantPlan as plan, VARIANTS, chainPlans } from "./fixtures";

const REGISTRY = `${devEnv.accountId}.dkr.ecr.${devEnv.region}.amazonaws.com`;

describe("build options, executed", () => {
    it("writes imagedefinitions.json to a file in a folder the build did not create, under the base directory", () => {
        const { env, pipeline } = plan(...VARIANTS[0]);
        const run = runProject({ env, pipeline, projectId: "build", artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES } });
        assert.equal(run.status, "SUCCEEDED", run.stderr);
        assert.deepEqual(JSON.parse(run.artifact!["deploy/images.json"]), [
            { name: "app", imageUri: `${REGISTRY}/acme/worker:${COMMIT}` },
        ]);
    });

    it("gives the build its plain variables and its secrets (resolved by CodeBuild), and the tests neither", () => {
        const { env, pipeline } = plan(...VARIANTS[1]);
        const run = runProject({ env, pipeline, projectId: "build", artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES } });
        assert.equal(run.status, "SUCCEEDED", run.stderr);
        assert.deepEqual(run.artifact, { "out.txt": "built\n" });
        const smoke = pipeline.projects.find((p) => p.id === "smoke")!;
        assert.deepEqual(smoke.environmentVariables, []);
    });

    it("names every project it cannot run: only builds that bring their own buildspec file", () => {
        const { pipeline } = plan("legacy", { buildspecFile: "ci/buildspec.yml" }, DEPLOYS.lambda);
        const notInline = pipeline.projects.filter((p) => !("inline" in p.buildspec));
        assert.deepEqual(
            notInline.map((p) => [p.id, p.buildspec]),
            [["build", { file: "ci/buildspec.yml" }]],
        );
    });

    it("the chain plans the tests execute hold every kind of project the model can plan", () => {
        // A `ProjectId` added to the model without a place here is a compile error; one the plans lack fails.
        const WHERE: Record<ProjectId, string> = {
            build: "builds.test.ts",
            unit: "builds.test.ts",
            security: "builds.test.ts",
            integration: "builds.test.ts",
            smoke: "builds.test.ts",
            publish: "release.test.ts",
            promote: "release.test.ts",
            provenance: "release.test.ts",
        };
        const planned = new Set(
            Object.values(chainPlans()).flatMap((p) => p.pipelines.flatMap((x) => x.projects.map((y) => y.id))),
        );
        assert.deepEqual([...planned].sort(), Object.keys(WHERE).sort());
    });

    it("the fixtures cover every deploy kind the model knows", () => {
        assert.deepEqual([...KINDS].sort(), Object.keys(DEPLOY_KINDS).sort());
    });
});
