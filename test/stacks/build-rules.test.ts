import { strict as assert } from "assert";
import { configProblems } from "../support/config-problems";
import { planEnvironment } from "../../model/environment";
import { validatePlatformConfig } from "../../stacks/platform-config";
import { assignedVariables, referencedVariables } from "../../model/build-rules";
import { ecsBlueGreenDeploy, ecsRollingDeploy, rawEnvironment, rawService } from "../fixtures/config";

/** The problems (one line each, without the header) that validation reports for this raw config. */
function problems(raw: unknown, stack = "dev"): string[] {
    return configProblems(() => {
        const config = validatePlatformConfig(raw, { stack });
        planEnvironment(config, { stackFile: `Pulumi.${stack}.yaml` });
    });
}

const withService = (service: Record<string, unknown>) => ({ environment: rawEnvironment(), services: [service] });
const MOVE = (key: string) =>
    `Store it in Parameter Store or Secrets Manager and reference it from \`${key}\` as { parameter: "/path" } or { secretArn: "arn:aws:secretsmanager:..." }.`;
// Token-shaped test values, assembled so the repository itself holds no token literal.
const GITHUB_PAT = ["ghp", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"].join("_");
const NPM_TOKEN = ["npm", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"].join("_");

describe("build rules", () => {
    it("needs exactly one of inline commands or a buildspec file", () => {
        assert.deepEqual(problems(withService(rawService({ build: {} }))), [
            "`cicd:services.web.build` needs exactly one of `commands` (an inline buildspec) or `buildspecFile` (a buildspec in the repository).",
        ]);
    });

    it("ties container builds to an ECR repository both ways", () => {
        assert.deepEqual(
            problems(withService(rawService({ build: { buildspecFile: "buildspec.yml", containerImage: true } }))),
            [
                "`cicd:services.web.build.imageRepository` is required when `containerImage` is true: name the ECR repository the build pushes to.",
            ],
        );
        assert.deepEqual(
            problems(
                withService(rawService({ build: { buildspecFile: "buildspec.yml", imageRepository: "acme/web" } })),
            ),
            [
                "`cicd:services.web.build.containerImage` must be true when `imageRepository` is set: only image builds push to ECR.",
            ],
        );
    });

    it("rejects inline commands that exceed CodeBuild's buildspec size", () => {
        const svc = rawService({
            build: { commands: { build: Array.from({ length: 300 }, (_, n) => `echo ${"x".repeat(80)} ${n}`) } },
        });
        assert.deepEqual(problems(withService(svc)), [
            "`cicd:services.web.build.commands` make an inline buildspec of 34186 characters, over CodeBuild's 25600. Move the commands into a script or a buildspec file (`buildspecFile`).",
        ]);
    });

    it("rejects a plaintext value under a secret-looking name", () => {
        const svc = rawService({
            build: { commands: { build: ["make"] }, environment: { DB_PASSWORD: "hunter2" } },
        });
        assert.deepEqual(problems(withService(svc)), [
            '`cicd:services.web.build.environment.DB_PASSWORD` looks like a secret but is a plaintext value. Store it in Parameter Store or Secrets Manager and reference it from `build.secrets` as { parameter: "/path" } or { secretArn: "arn:aws:secretsmanager:..." }.',
        ]);
    });

    it("rejects an AWS access key id in a plain variable", () => {
        const svc = rawService({
            build: { commands: { build: ["make"] }, environment: { UPLOAD_USER: "AKIAABCDEFGHIJKLMNOP" } },
        });
        assert.deepEqual(problems(withService(svc)), [
            "`cicd:services.web.build.environment.UPLOAD_USER` holds an AWS access key id in plain text. Remove it: builds get credentials from their role.",
        ]);
    });

    it("rejects a variable set both plainly and as a secret", () => {
        const build = {
            commands: { build: ["make"] },
            environment: { REGISTRY: "x" },
            secrets: { REGISTRY: { parameter: "/r" } },
        };
        assert.deepEqual(problems(withService(rawService({ build }))), [
            "`cicd:services.web.build.environment.REGISTRY` is also set in `build.secrets`. Keep only the secret.",
        ]);
    });

    describe("secrets by value", () => {
        it("rejects a password in a connection URL and known token formats, whatever the name", () => {
            const svc = rawService({
                build: {
                    commands: { build: ["make"] },
                    environment: { DATABASE_URL: "postgres://user:password@host/db", GITHUB_PAT, REGISTRY: NPM_TOKEN },
                },
            });
            assert.deepEqual(problems(withService(svc)), [
                `\`cicd:services.web.build.environment.DATABASE_URL\` holds a secret in plain text (found by a password in a URL). ${MOVE("build.secrets")}`,
                `\`cicd:services.web.build.environment.GITHUB_PAT\` holds a secret in plain text (found by @secretlint/secretlint-rule-github). ${MOVE("build.secrets")}`,
                `\`cicd:services.web.build.environment.REGISTRY\` holds a secret in plain text (found by @secretlint/secretlint-rule-npm). ${MOVE("build.secrets")}`,
            ]);
        });

        it("checks test suites' variables too, and points at the suite's secrets", () => {
            const svc = rawService({
                tests: {
                    unit: { commands: ["npm test"], environment: { API: "https://bob:hunter2xyz@api.example.com" } },
                },
            });
            assert.deepEqual(problems(withService(svc)), [
                `\`cicd:services.web.tests.unit.environment.API\` holds a secret in plain text (found by a password in a URL). ${MOVE("tests.unit.secrets")}`,
            ]);
        });

        it("does not flag by name a value that only points at a secret (an ARN or a parameter name)", () => {
            const svc = rawService({
                build: {
                    commands: { build: ["make"] },
                    environment: {
                        DB_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf",
                        API_TOKEN_PARAMETER: "/dev/web/api-token",
                        DATABASE_URL: "postgres://app@db.example.com/app",
                        NODE_ENV: "production",
                    },
                },
            });
            assert.deepEqual(problems(withService(svc)), []);
        });
    });

    describe("secrets in commands", () => {
        const STORED = (key: string, variable: string) =>
            `Commands are stored in the project's buildspec and printed in the build log. Store the secret in Parameter Store or Secrets Manager, reference it from \`${key}\` as { parameter: "/path" } or { secretArn: "arn:aws:secretsmanager:..." }, and use the variable in the command (like \`${variable}\`).`;
        // Random-looking, so secretlint's placeholder filter does not skip it; assembled so no literal is committed.
        const SECRET_KEY = ["Xb3kP9mQ2rT7vW1yZ5aC", "8dF0gH4jK6lN2pR5sU8w"].join("");

        it("rejects a token in a clone URL and a secret assigned in a command, naming the command and `secrets`", () => {
            const svc = rawService({
                build: {
                    commands: {
                        install: [`git clone https://${GITHUB_PAT}@github.com/acme/tools.git`],
                        build: ["make"],
                        postBuild: [`AWS_SECRET_ACCESS_KEY=${SECRET_KEY} aws s3 cp out s3://acme-out/`],
                    },
                },
            });
            assert.deepEqual(problems(withService(svc)), [
                `\`cicd:services.web.build.commands.install[0]\` holds a secret in plain text (found by @secretlint/secretlint-rule-github). ${STORED("build.secrets", "$TOKEN")}`,
                `\`cicd:services.web.build.commands.postBuild[0]\` holds a secret in plain text (found by @secretlint/secretlint-rule-aws). ${STORED("build.secrets", "$TOKEN")}`,
            ]);
        });

        it("rejects a literal assigned to a secret-looking name that no detector knows, and access key ids", () => {
            const svc = rawService({
                build: { commands: { build: ["export DB_PASSWORD=hunter2 && make", "echo AKIAABCDEFGHIJKLMNOP"] } },
            });
            assert.deepEqual(problems(withService(svc)), [
                `\`cicd:services.web.build.commands.build[0]\` assigns a plaintext value to \`DB_PASSWORD\`, which looks like a secret. ${STORED("build.secrets", "$DB_PASSWORD")}`,
                "`cicd:services.web.build.commands.build[1]` holds an AWS access key id in plain text. Remove it: builds and tests get credentials from their project's role.",
            ]);
        });

        it("scans test suites' commands and install steps, pointing at the suite's secrets", () => {
            const svc = rawService({
                tests: {
                    unit: { install: ["npm ci"], commands: ["curl -fsS https://bob:hunter2xyz@api.example.com/"] },
                    smoke: { install: [`AWS_SECRET_ACCESS_KEY='${SECRET_KEY}' ./fetch.sh`], commands: ["./smoke.sh"] },
                },
            });
            assert.deepEqual(problems(withService(svc)), [
                `\`cicd:services.web.tests.unit.commands[0]\` holds a secret in plain text (found by a password in a URL). ${STORED("tests.unit.secrets", "$TOKEN")}`,
                `\`cicd:services.web.tests.smoke.install[0]\` holds a secret in plain text (found by @secretlint/secretlint-rule-aws). ${STORED("tests.smoke.secrets", "$TOKEN")}`,
            ]);
        });

        it("accepts commands that use secrets through variables", () => {
            const svc = rawService({
                build: {
                    commands: {
                        install: ['git clone "https://x-access-token:${GIT_TOKEN}@github.com/acme/tools.git"'],
                        build: ['export NPM_TOKEN="$(cat .token)" API_KEY=$API_KEY_VALUE && make'],
                    },
                    secrets: {
                        GIT_TOKEN: { parameter: "/dev/web/git" },
                        API_KEY_VALUE: { parameter: "/dev/web/api" },
                    },
                },
            });
            assert.deepEqual(problems(withService(svc)), []);
        });
    });

    it("requires the image file the deploy reads among the artifact's files", () => {
        const svc = rawService({
            build: {
                containerImage: true,
                imageRepository: "acme/web",
                commands: { build: ['docker build -t "$IMAGE_URI" .'] },
                artifactFiles: ["taskdef.json", "appspec.yaml"],
            },
            deploy: ecsBlueGreenDeploy,
        });
        assert.deepEqual(problems(withService(svc)), [
            '`cicd:services.web.build.artifactFiles` leaves out "imageDetail.json", which the build writes for the ecs-blue-green deploy to read. Add "imageDetail.json" to the list.',
        ]);
    });

    describe("caches", () => {
        it("rejects an S3 cache with nothing to keep", () => {
            const svc = rawService({ build: { commands: { build: ["make"] }, cache: "s3" } });
            assert.deepEqual(problems(withService(svc)), [
                '`cicd:services.web.build.cachePaths` is empty, so the "s3" cache would keep nothing. List the directories to keep, like "node_modules/**/*", or set `cache` to "none".',
            ]);
        });

        it("rejects cache paths next to a buildspec file, which owns its cache paths", () => {
            const svc = rawService({ build: { buildspecFile: "buildspec.yml", cachePaths: ["node_modules/**/*"] } });
            assert.deepEqual(problems(withService(svc)), [
                "`cicd:services.web.build.cachePaths` only applies to `commands`. With `buildspecFile`, list the directories under `cache: paths:` in that file.",
            ]);
        });
    });

    describe("variables the commands use", () => {
        const image = (build: Record<string, unknown>, deploy: Record<string, unknown> = ecsRollingDeploy) =>
            rawService({
                build: { containerImage: true, imageRepository: "acme/web", ...build },
                // The suite installs on its own, so only the build project runs these install commands.
                tests: { unit: { install: ["npm ci"], commands: ["npm test"] } },
                deploy,
            });

        it("accepts the platform's image variables after pre_build, config variables, secrets and CodeBuild's", () => {
            const svc = image({
                commands: {
                    install: ['echo "$CODEBUILD_RESOLVED_SOURCE_VERSION $IMAGE_REPO_URI"'],
                    build: [
                        'docker build --build-arg NODE_ENV="$NODE_ENV" -t "$IMAGE_URI" .',
                        "export VERSION=$(cat VERSION)",
                        'echo "${VERSION}" "$NPM_TOKEN" "${IMAGE_TAG}" "${UNSET:-default}" \'$LITERAL\' \\$ESCAPED',
                    ],
                },
                environment: { NODE_ENV: "production" },
                secrets: { NPM_TOKEN: { parameter: "/dev/web/npm" } },
            });
            assert.deepEqual(problems(withService(svc)), []);
        });

        it("rejects a variable the project never has, naming the command and what the project has", () => {
            const svc = image({ commands: { build: ['docker build -t "$IMAGE_URL" .'] } }, ecsBlueGreenDeploy);
            assert.deepEqual(problems(withService(svc)), [
                '`cicd:services.web.build.commands.build[0]` uses `$IMAGE_URL`, which the build project of "web" does not have. Define it in `build.environment` or `build.secrets`, or assign it in an earlier command (the project has IMAGE_REPO_URI, IMAGE_TAG, IMAGE_URI and CodeBuild\'s variables).',
            ]);
        });

        it("rejects the image URI in install commands, which run before the platform sets it", () => {
            const svc = image({ commands: { install: ['echo "${IMAGE_URI}"'], build: ["make"] } });
            assert.deepEqual(problems(withService(svc)), [
                '`cicd:services.web.build.commands.install[0]` uses `$IMAGE_URI`, which the build project of "web" does not have. Define it in `build.environment` or `build.secrets`, or assign it in an earlier command (the project has IMAGE_REPO_URI and CodeBuild\'s variables).',
            ]);
        });

        it("gives a suite the build's variables and secrets only when it runs the build's install step", () => {
            const build = {
                commands: { install: ['npm ci --registry "$REGISTRY"'], build: ["make"] },
                environment: { REGISTRY: "https://npm.example.com" },
                secrets: { NPM_TOKEN: { parameter: "/dev/web/npm-token" } },
            };
            const reusing = rawService({
                build,
                tests: { unit: { commands: ['npm test -- --suite "$TEST_SUITE" --token "$SONAR" "$NPM_TOKEN"'] } },
            });
            assert.deepEqual(problems(withService(reusing)), [
                '`cicd:services.web.tests.unit.commands[0]` uses `$SONAR`, which the unit test project of "web" does not have. Define it in `tests.unit.environment` or `tests.unit.secrets`, or assign it in an earlier command (the project has NPM_TOKEN, REGISTRY, TEST_SUITE and CodeBuild\'s variables).',
            ]);
            const own = rawService({
                build,
                tests: { unit: { install: ["npm ci"], commands: ['npm test --registry "$REGISTRY"'] } },
            });
            assert.deepEqual(problems(withService(own)), [
                '`cicd:services.web.tests.unit.commands[0]` uses `$REGISTRY`, which the unit test project of "web" does not have. Define it in `tests.unit.environment` or `tests.unit.secrets`, or assign it in an earlier command (the project has TEST_SUITE and CodeBuild\'s variables).',
            ]);
        });

        it("finds references outside single quotes and assignments of every common form", () => {
            assert.deepEqual(referencedVariables(`echo "$A" '$B' \\$C \${D} \${E:-x} \${#F} $$ $1`), ["A", "D", "F"]);
            assert.deepEqual(
                assignedVariables("export A=1; B=2 && readonly C=3; for D in x; do read -r E F; done; export G"),
                ["A", "B", "C", "G", "D", "E", "F"],
            );
        });
    });
});
