import { strict as assert } from "assert";
import { DEPLOY_KINDS } from "../../model/deploy-kinds";
import { serviceSchema } from "../../stacks/service-schema";
import { CONNECTION, ecsRollingDeploy, planOf } from "../fixtures/config";
import { devEnv } from "../release/fixtures";
import { COMMIT, runProject } from "../support/codebuild-runner";
import { DEPLOYS, KINDS, SOURCE_ARTIFACT, SOURCE_FILES } from "./fixtures";

/** Build options beyond the defaults, each executed: where the platform's own commands could go wrong. */
const plan = (name: string, build: Record<string, unknown>, deploy: Record<string, unknown> = ecsRollingDeploy) => {
    const env = planOf(
        devEnv,
        serviceSchema.parse({
            name,
            source: { kind: "codestar", connectionArn: CONNECTION, repository: "acme/app" },
            build,
            tests: { smoke: { commands: ["true"] } },
            deploy,
        }),
    );
    return { env, pipeline: env.pipelines[0] };
};
const REGISTRY = `${devEnv.accountId}.dkr.ecr.${devEnv.region}.amazonaws.com`;

describe("build options, executed", () => {
    it("writes imagedefinitions.json to a file in a folder the build did not create, under the base directory", () => {
        const { env, pipeline } = plan(
            "worker",
            {
                commands: { build: ['docker build -t "$IMAGE_URI" .'] },
                containerImage: true,
                imageRepository: "acme/worker",
                containerName: "app",
                artifactBaseDirectory: "out",
                artifactFiles: ["deploy/images.json"],
            },
            { ...ecsRollingDeploy, imageDefinitionsFile: "deploy/images.json" },
        );
        const run = runProject({ env, pipeline, projectId: "build", artifacts: { [SOURCE_ARTIFACT]: SOURCE_FILES } });
        assert.equal(run.status, "SUCCEEDED", run.stderr);
        assert.deepEqual(JSON.parse(run.artifact!["deploy/images.json"]), [
            { name: "app", imageUri: `${REGISTRY}/acme/worker:${COMMIT}` },
        ]);
    });

    it("gives the build its plain variables and its secrets (resolved by CodeBuild), and the tests neither", () => {
        const { env, pipeline } = plan(
            "api",
            {
                commands: { build: ['test "$NODE_ENV" = production', 'test -n "$NPM_TOKEN"', "echo built > out.txt"] },
                environment: { NODE_ENV: "production" },
                secrets: { NPM_TOKEN: { parameter: "/ci/npm-token" } },
                artifactFiles: ["out.txt"],
            },
            DEPLOYS.lambda,
        );
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

    it("the fixtures cover every deploy kind the model knows", () => {
        assert.deepEqual([...KINDS].sort(), Object.keys(DEPLOY_KINDS).sort());
    });
});
