import { strict as assert } from "assert";
import { parse } from "yaml";
import { projectsFor, type ProjectModel } from "../../model/projects";
import { nameContext } from "../../model/pipeline";
import { ecsBlueGreenDeploy, ecsRollingDeploy, environment, service } from "../fixtures/config";

const projects = (overrides: Record<string, unknown>, env = environment()) =>
    projectsFor(nameContext(env), env, service(overrides));
const byId = (list: ProjectModel[], id: string) => list.find((p) => p.id === id)!;
const spec = (p: ProjectModel): any => parse((p.buildspec as { inline: string }).inline);
const image = (build: Record<string, unknown> = {}) => ({
    containerImage: true,
    imageRepository: "acme/web",
    commands: { install: ["npm ci"], build: ['docker build -t "$IMAGE_URI" .'] },
    ...build,
});

describe("CodeBuild projects model", () => {
    it("carries everything the component needs, from the config and the names catalogue", () => {
        const [build] = projects({
            build: {
                ...image(),
                computeType: "BUILD_GENERAL1_MEDIUM",
                timeoutMinutes: 45,
                environment: { NODE_ENV: "production" },
                secrets: { NPM: { parameter: "/dev/web/npm" } },
            },
        });
        assert.deepEqual(
            { ...build, buildspec: undefined, commands: undefined },
            {
                id: "build",
                name: "web-dev-build",
                description: "build for web-dev",
                roleKind: "build",
                image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
                computeType: "BUILD_GENERAL1_MEDIUM",
                privileged: true,
                tags: { "cicd:builds-images": "true" },
                environmentVariables: [
                    { name: "NODE_ENV", value: "production", type: "PLAINTEXT" },
                    { name: "NPM", value: "/dev/web/npm", type: "PARAMETER_STORE" },
                    {
                        name: "IMAGE_REPO_URI",
                        value: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/acme/web",
                        type: "PLAINTEXT",
                    },
                ],
                cache: { type: "LOCAL", modes: ["LOCAL_DOCKER_LAYER_CACHE"] },
                logGroupName: "/cicd/dev/codebuild/web-dev-build",
                logRetentionDays: 90,
                reports: false,
                buildspec: undefined,
                timeoutMinutes: 45,
                imageRepository: "acme/web",
                commands: undefined,
            },
        );
    });

    describe("test suites (#2: they run with their dependencies)", () => {
        it("install with the build's install commands, under the test role, unprivileged and uncached", () => {
            const list = projects({
                build: image({ cache: "s3", cachePaths: ["node_modules/**/*"] }),
                tests: { unit: { commands: ["npm test"], reports: ["junit.xml"] } },
            });
            const unit = byId(list, "unit");
            assert.deepEqual(spec(unit).phases, {
                install: { commands: ["npm ci"] },
                build: { commands: ["npm test"] },
            });
            assert.deepEqual(spec(unit).env, { shell: "bash", variables: { TEST_SUITE: "unit" } });
            assert.equal(unit.roleKind, "test");
            assert.equal(unit.privileged, false);
            assert.deepEqual(unit.cache, { type: "NO_CACHE" });
            assert.equal(spec(unit).cache, undefined);
            assert.deepEqual(unit.reportGroup, {
                name: "web-dev-unit-reports",
                arn: "arn:aws:codebuild:eu-west-1:111111111111:report-group/web-dev-unit-reports",
            });
        });

        it("take the suite's own install commands, variables and secrets, never the build's", () => {
            const unit = byId(
                projects({
                    build: {
                        commands: { install: ["npm ci"], build: ["make"] },
                        environment: { NODE_ENV: "production" },
                        secrets: { NPM: { parameter: "/dev/web/npm" } },
                    },
                    tests: {
                        unit: {
                            install: ["pip install -r requirements.txt"],
                            commands: ["pytest"],
                            environment: { CI: "true" },
                            secrets: { SONAR: { parameter: "/dev/web/sonar" } },
                        },
                    },
                }),
                "unit",
            );
            assert.deepEqual(spec(unit).phases.install, { commands: ["pip install -r requirements.txt"] });
            assert.deepEqual(unit.environmentVariables, [
                { name: "CI", value: "true", type: "PLAINTEXT" },
                { name: "SONAR", value: "/dev/web/sonar", type: "PARAMETER_STORE" },
            ]);
        });
    });

    describe("image builds (#3)", () => {
        it("tag the image with the source revision and log in to ECR in pre_build, before the build's commands", () => {
            const build = spec(projects({ build: image() })[0]);
            assert.deepEqual(Object.keys(build.phases), ["install", "pre_build", "build"]);
            const pre: string[] = build.phases.pre_build.commands;
            assert.match(pre[0], /^test -n "\$CODEBUILD_RESOLVED_SOURCE_VERSION" \|\|/);
            assert.match(
                pre[1],
                /^IMAGE_TAG="\$\(printf '%s' "\$CODEBUILD_RESOLVED_SOURCE_VERSION" \| tr.*" && export IMAGE_TAG$/,
            );
            assert.equal(pre[2], 'export IMAGE_URI="$IMAGE_REPO_URI:$IMAGE_TAG"');
            assert.equal(
                pre[3],
                'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "${IMAGE_REPO_URI%%/*}"',
            );
        });

        it("push $IMAGE_URI and write imagedefinitions.json for an ECS rolling deploy, stopping after a failed build", () => {
            const build = spec(
                projects({
                    build: image({ containerName: "app", artifactBaseDirectory: "out" }),
                    deploy: ecsRollingDeploy,
                })[0],
            );
            assert.equal(build.phases.build["on-failure"], "ABORT");
            assert.deepEqual(build.phases.build.commands, [
                'docker build -t "$IMAGE_URI" .',
                'docker push "$IMAGE_URI"',
                "mkdir -p 'out'",
                `printf '[{"name":"%s","imageUri":"%s"}]' 'app' "$IMAGE_URI" > 'out/imagedefinitions.json'`,
            ]);
        });

        it("write imageDetail.json for CodeDeployToECS (blue/green), with the service name as default container", () => {
            const [blueGreen] = projects({ build: image(), deploy: ecsBlueGreenDeploy });
            assert.equal(
                spec(blueGreen).phases.build.commands[2],
                `printf '{"ImageURI":"%s"}' "$IMAGE_URI" > './imageDetail.json'`,
            );
            const [rolling] = projects({ build: image(), deploy: ecsRollingDeploy });
            assert.match(spec(rolling).phases.build.commands[2], /'web' "\$IMAGE_URI" > '.\/imagedefinitions.json'$/);
        });

        it("leave a buildspec file alone but still define the repository URI", () => {
            const [build] = projects({
                build: { buildspecFile: "buildspec.yml", containerImage: true, imageRepository: "acme/web" },
            });
            assert.deepEqual(build.buildspec, { file: "buildspec.yml" });
            assert.deepEqual(
                build.environmentVariables.map((v) => v.name),
                ["IMAGE_REPO_URI"],
            );
        });

        it("declare the image build by tag, so a check that cannot read a buildspec file knows why it is privileged", () => {
            const [build, unit] = projects({
                build: { buildspecFile: "buildspec.yml", containerImage: true, imageRepository: "acme/web" },
                tests: { unit: { commands: ["make test"] } },
            });
            assert.deepEqual(build.tags, { "cicd:builds-images": "true" });
            assert.equal(unit.tags, undefined);
            assert.equal(projects({ build: { commands: { build: ["make"] } } })[0].tags, undefined);
        });
    });

    describe("caches (#4)", () => {
        it("never use LOCAL_SOURCE_CACHE, and Docker layers only on privileged image builds", () => {
            const local = (build: Record<string, unknown>) => projects({ build })[0].cache;
            assert.deepEqual(local({ commands: { build: ["make"] } }), { type: "NO_CACHE" });
            assert.deepEqual(local({ commands: { build: ["make"] }, cachePaths: ["node_modules/**/*"] }), {
                type: "LOCAL",
                modes: ["LOCAL_CUSTOM_CACHE"],
            });
            assert.deepEqual(local(image({ cachePaths: ["node_modules/**/*"] })), {
                type: "LOCAL",
                modes: ["LOCAL_CUSTOM_CACHE", "LOCAL_DOCKER_LAYER_CACHE"],
            });
            assert.deepEqual(local({ buildspecFile: "buildspec.yml" }), {
                type: "LOCAL",
                modes: ["LOCAL_CUSTOM_CACHE"],
            });
        });

        it("keep the configured paths in the buildspec, in S3 under the pipeline's cache folder", () => {
            const [build] = projects({
                build: { commands: { build: ["make"] }, cache: "s3", cachePaths: ["/root/.npm/**/*"] },
            });
            assert.deepEqual(build.cache, { type: "S3", prefix: "cache/web-dev" });
            assert.deepEqual(spec(build).cache, { paths: ["/root/.npm/**/*"] });
            const [none] = projects({
                build: { commands: { build: ["make"] }, cache: "none", cachePaths: ["x/**/*"] },
            });
            assert.deepEqual(none.cache, { type: "NO_CACHE" });
            assert.equal(spec(none).cache, undefined);
        });
    });
});
