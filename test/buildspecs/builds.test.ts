import { strict as assert } from "assert";
import { TEST_SUITE_VARIABLE } from "../../model/projects";
import { COMMIT, runProject, type Call } from "../support/codebuild-runner";
import { DEV } from "../release/fixtures";
import { chainPlans, IMAGE_KINDS, KINDS, pipelineOf, SOURCE_ARTIFACT, SOURCE_FILES } from "./fixtures";

const plans = chainPlans();
const REGISTRY = `${DEV.accountId}.dkr.ecr.${DEV.region}.amazonaws.com`;
const brief = (calls: readonly Call[]) =>
    calls.map((c) => (c.tool === "aws" ? `aws ${c.command}` : `${c.tool} ${c.args.join(" ")}`));

const build = (
    kind: (typeof KINDS)[number],
    options: { fakes?: Record<string, string>; sourceVersion?: string } = {},
) =>
    runProject({
        env: plans.dev,
        pipeline: pipelineOf(plans.dev, kind),
        projectId: "build",
        artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES },
        ...options,
    });

describe("build projects, executed as CodeBuild runs them, for every deploy kind", () => {
    for (const kind of KINDS) {
        const image = IMAGE_KINDS.includes(kind);
        it(`${kind}: runs every phase and leaves the deploy's files in the artifact`, () => {
            const run = build(kind);
            assert.equal(run.status, "SUCCEEDED", run.stderr);
            assert.deepEqual(run.phases, {
                install: "SUCCEEDED",
                ...(image ? { pre_build: "SUCCEEDED" } : {}),
                build: "SUCCEEDED",
                post_build: "SUCCEEDED",
            });
            assert.match(run.stdout, /build succeeding: 1/);
            const uri = `${REGISTRY}/acme/${kind}:${COMMIT}`;
            assert.deepEqual(
                brief(run.calls),
                image
                    ? [
                          "npm ci",
                          "aws ecr get-login-password",
                          `docker login --username AWS --password-stdin ${REGISTRY}`,
                          "npm run build",
                          `docker build -t ${uri} .`,
                          `docker push ${uri}`,
                      ]
                    : ["npm ci", "npm run build"],
            );
            const artifact = run.artifact!;
            if (kind === "ecs-blue-green") {
                assert.deepEqual(Object.keys(artifact).sort(), ["appspec.yaml", "imageDetail.json", "taskdef.json"]);
                assert.deepEqual(JSON.parse(artifact["imageDetail.json"]), { ImageURI: uri });
            } else if (kind === "ecs-rolling") {
                assert.deepEqual(Object.keys(artifact), ["imagedefinitions.json"]);
                const svc = pipelineOf(plans.dev, kind).service;
                assert.deepEqual(JSON.parse(artifact["imagedefinitions.json"]), [{ name: svc, imageUri: uri }]);
            } else if (kind === "s3-site") {
                // `base-directory: dist`: the artifact's root is dist/.
                assert.deepEqual(Object.keys(artifact), ["index.js"]);
            } else {
                assert.ok(Object.keys(artifact).length > 0, `${kind} artifact is empty`);
                assert.ok(Object.keys(artifact).every((f) => !f.startsWith("node_modules")));
            }
            if (image) {
                const login = run.calls.find((c) => c.command === "ecr get-login-password")!;
                assert.deepEqual(login.flags, { "--region": DEV.region });
            }
        });
    }

    it("tags the image with the source revision made a Docker tag (at most 128 characters of [A-Za-z0-9_.-])", () => {
        const run = build("ecs-blue-green", { sourceVersion: `refs/heads/feature/x+y${"z".repeat(200)}` });
        assert.equal(run.status, "SUCCEEDED", run.stderr);
        const push = run.calls.find((c) => c.tool === "docker" && c.args[0] === "push")!;
        const tag = push.args[1].split(":").pop()!;
        assert.equal(tag, `refs_heads_feature_x_y${"z".repeat(106)}`);
        assert.equal(tag.length, 128);
    });

    it("stops an image build before building when there is no source revision", () => {
        const run = build("ecs-rolling", { sourceVersion: "" });
        assert.equal(run.status, "FAILED");
        assert.deepEqual(run.phases, {
            install: "SUCCEEDED",
            pre_build: "FAILED",
            build: "SKIPPED",
            post_build: "SKIPPED",
        });
        assert.match(run.stderr, /No source revision to tag the image with/);
        assert.ok(!run.calls.some((c) => c.tool === "docker"));
    });

    it("aborts an image build whose docker build fails: nothing is pushed and post_build does not run", () => {
        const run = build("ecs-blue-green", { fakes: { FAKE_FAIL: "docker build" } });
        assert.equal(run.status, "FAILED");
        assert.equal(run.phases.build, "FAILED");
        assert.equal(run.phases.post_build, "SKIPPED");
        assert.ok(!run.calls.some((c) => c.tool === "docker" && c.args[0] === "push"));
    });

    it("runs post_build after a failed build without an image, with CODEBUILD_BUILD_SUCCEEDING=0", () => {
        const run = build("lambda", { fakes: { FAKE_FAIL: "npm run:build" } });
        assert.equal(run.status, "FAILED");
        assert.deepEqual(run.phases, { install: "SUCCEEDED", build: "FAILED", post_build: "SUCCEEDED" });
        assert.match(run.stdout, /build succeeding: 0/);
        // The rest of the build phase is skipped after the failing command.
        assert.deepEqual(brief(run.calls), ["npm ci"]);
    });
});

describe("test projects, executed for every deploy kind and every suite", () => {
    const links = [
        ["dev", plans.dev, ["unit", "security", "integration", "smoke"]],
        ["staging", plans.staging, ["integration", "smoke"]],
        ["prod", plans.prod, ["integration", "smoke"]],
    ] as const;
    for (const [link, plan, suites] of links)
        for (const kind of KINDS)
            it(`${link} ${kind}: each suite installs, runs its commands and sees TEST_SUITE and its own variables`, () => {
                const pipeline = pipelineOf(plan, kind);
                for (const id of suites) {
                    const run = runProject({
                        env: plan,
                        pipeline,
                        projectId: id,
                        artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES },
                    });
                    assert.equal(run.status, "SUCCEEDED", `${id}: ${run.stderr}`);
                    assert.equal(run.spec.variables[TEST_SUITE_VARIABLE], id);
                    assert.equal(run.artifact, undefined, "test suites have no output artifact");
                    const expected: Record<string, string[]> = {
                        unit: ["npm ci", "npm test"],
                        security: ["npm ci --ignore-scripts", "npx --yes audit-ci --moderate"],
                        integration: ["npm ci", "npm run it"],
                        smoke: ["npm ci", "curl -fsS https://web.example.com/health"],
                    };
                    assert.deepEqual(brief(run.calls), expected[id], id);
                    if (id === "unit") assert.match(run.stdout, /suite=unit/);
                    assert.deepEqual(run.action.inputArtifacts, [SOURCE_ARTIFACT], `${id} reads only the source`);
                }
            });

    it("a failing suite fails its project", () => {
        const run = runProject({
            env: plans.dev,
            pipeline: pipelineOf(plans.dev, "lambda"),
            projectId: "smoke",
            artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES },
            fakes: { FAKE_FAIL: "curl https://web.example.com/health" },
        });
        assert.equal(run.status, "FAILED");
        assert.match(run.stderr, /returned error: 503/);
    });
});
