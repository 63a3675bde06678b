import { strict as assert } from "assert";
import type { EnvironmentPlan } from "../../model/environment";
import { actionOf, parseBuildspec, requireShellcheck, scriptOf, shellcheck } from "../support/codebuild-runner";
import { devPlan, prodPlan, stagingPlan } from "../release/fixtures";
import { chainPlans, DEPLOYS, variantPlan, VARIANTS } from "./fixtures";

/**
 * Every inline buildspec the program generates passes ShellCheck, its phases joined as the one shell instance runs
 * them (model/buildspec.ts names bash, so `-s bash`). No rule is disabled. CodeBuild exports
 * `CODEBUILD_SRC_DIR_<artifact>` for each secondary input
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-pipeline-multi-input-output.html); the script
 * checked declares those with `export NAME`, which is what CodeBuild does, so SC2154 still catches any other
 * variable the script reads without setting.
 */
const plans: Record<string, EnvironmentPlan> = {
    ...chainPlans(),
    "release chain fixtures (dev)": devPlan,
    "release chain fixtures (staging)": stagingPlan,
    "release chain fixtures (prod)": prodPlan,
    ...Object.fromEntries(VARIANTS.map((v) => [`build variant ${v[0]}`, variantPlan(...v).env])),
    // An image built by the service's own buildspec file: the publisher reads the image from the file it wrote.
    "build variant legacy image (buildspec file)": variantPlan(
        "legacy",
        { buildspecFile: "ci/buildspec.yml", containerImage: true, imageRepository: "acme/legacy" },
        DEPLOYS["ecs-blue-green"],
    ).env,
};
const scripts = (plan: EnvironmentPlan) =>
    plan.pipelines.flatMap((pipeline) =>
        pipeline.projects.flatMap((project) => {
            if (!("inline" in project.buildspec)) return [];
            const spec = parseBuildspec(project.buildspec.inline);
            const action = actionOf(pipeline, project.id);
            const primary = String(action.configuration.PrimarySource ?? action.inputArtifacts[0]);
            const secondary = action.inputArtifacts.filter((a) => a !== primary);
            const [shebang, ...body] = scriptOf(spec).split("\n");
            const script = [shebang, ...secondary.map((a) => `export CODEBUILD_SRC_DIR_${a}`), ...body].join("\n");
            return [{ name: project.name, shell: spec.shell, script }];
        }),
    );

describe("ShellCheck on every generated buildspec", () => {
    before(() => requireShellcheck());

    for (const [link, plan] of Object.entries(plans))
        it(`${link}: every project passes \`shellcheck -s bash\``, () => {
            const all = scripts(plan);
            assert.ok(all.length >= plan.pipelines.length * 2, "every pipeline has inline buildspecs to check");
            const findings = all.flatMap(({ name, shell, script }) => {
                assert.equal(shell, "bash", `${name} names bash`);
                const out = shellcheck(script);
                return out ? [`${name}:\n${out}`] : [];
            });
            assert.deepEqual(findings, []);
        });

    it("is not vacuous: a script that masks a failure or splits a variable is reported", () => {
        const out = shellcheck('#!/usr/bin/env bash\nexport TAG="$(git rev-parse HEAD)"\ndocker push $IMAGE_URI\n');
        assert.match(out, /\[SC2155\]/);
        assert.match(out, /\[SC2086\]/);
    });

    it("fails closed, naming the setup script, when ShellCheck is not installed", () => {
        assert.throws(() => requireShellcheck("/nonexistent"), {
            message:
                "ShellCheck is not installed, and every generated buildspec must pass it. Run `scripts/setup-tools.sh` (it installs Debian's shellcheck package), then run the tests again.",
        });
    });
});
