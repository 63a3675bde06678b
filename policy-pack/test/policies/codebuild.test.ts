import { strict as assert } from "assert";
import {
    CODEBUILD_PROJECT_TYPE,
    codebuildNoPlaintextSecrets,
    codebuildPrivilegedMode,
    codebuildProjectCmkEncryption,
} from "../../policies/codebuild";
import { UNKNOWN, validate } from "./helpers";

const FIX = "Set encryptionKey to the ARN of a customer-managed KMS key.";

describe("codebuild-project-cmk-encryption", () => {
    it("reports a project without encryptionKey, even in preview", async () => {
        assert.deepEqual(
            await validate(
                codebuildProjectCmkEncryption,
                CODEBUILD_PROJECT_TYPE,
                { serviceRole: UNKNOWN },
                { name: "build" },
            ),
            [`CodeBuild project 'build' has no encryptionKey, so build output uses the AWS-managed aws/s3 key. ${FIX}`],
        );
    });

    it("reports the AWS-managed alias/aws/s3 key", async () => {
        for (const key of ["alias/aws/s3", "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3"]) {
            assert.deepEqual(
                await validate(
                    codebuildProjectCmkEncryption,
                    CODEBUILD_PROJECT_TYPE,
                    { encryptionKey: key },
                    { name: "build" },
                ),
                [`CodeBuild project 'build' uses the AWS-managed key '${key}' as encryptionKey. ${FIX}`],
            );
        }
    });

    it("passes a customer-managed key, a customer alias, or an unknown key in preview", async () => {
        for (const encryptionKey of ["arn:aws:kms:eu-west-1:123456789012:key/abc", "alias/pipeline", UNKNOWN]) {
            assert.deepEqual(
                await validate(codebuildProjectCmkEncryption, CODEBUILD_PROJECT_TYPE, { encryptionKey }),
                [],
            );
        }
    });
});

describe("codebuild-no-plaintext-secrets", () => {
    const store =
        "Store it in Secrets Manager or Parameter Store and set type to 'SECRETS_MANAGER' or 'PARAMETER_STORE' with the secret's name as value.";

    function project(environmentVariables: unknown) {
        return {
            environment: {
                computeType: "BUILD_GENERAL1_SMALL",
                image: "aws/codebuild/standard:7.0",
                type: "LINUX_CONTAINER",
                environmentVariables,
            },
        };
    }

    it("reports plaintext variables whose names look like secrets", async () => {
        const messages = await validate(
            codebuildNoPlaintextSecrets,
            CODEBUILD_PROJECT_TYPE,
            project([
                { name: "DB_PASSWORD", value: "hunter2", type: "PLAINTEXT" },
                { name: "github_token", value: UNKNOWN },
                { name: "Client_Secret_Id", value: "x" },
                { name: "SIGNING_KEY", value: "x" },
            ]),
            { name: "build" },
        );
        assert.deepEqual(
            messages,
            ["DB_PASSWORD", "github_token", "Client_Secret_Id", "SIGNING_KEY"].map(
                (n) =>
                    `CodeBuild project 'build' passes environment variable '${n}' as PLAINTEXT and its name looks like a secret. ${store}`,
            ),
        );
    });

    it("reports an access-key-shaped value without echoing it", async () => {
        const messages = await validate(
            codebuildNoPlaintextSecrets,
            CODEBUILD_PROJECT_TYPE,
            project([{ name: "CREDS", value: "AKIAIOSFODNN7EXAMPLE" }]),
            { name: "build" },
        );
        assert.deepEqual(messages, [
            `CodeBuild project 'build' passes environment variable 'CREDS' as PLAINTEXT and its value looks like an AWS access key id. ${store}`,
        ]);
        assert.ok(!messages[0].includes("AKIAIOSFODNN7EXAMPLE"));
    });

    it("accepts Parameter Store / Secrets Manager variables, ordinary names and unknown types", async () => {
        const messages = await validate(
            codebuildNoPlaintextSecrets,
            CODEBUILD_PROJECT_TYPE,
            project([
                { name: "DB_PASSWORD", value: "/prod/db/password", type: "PARAMETER_STORE" },
                { name: "API_TOKEN", value: "prod/api:token", type: "SECRETS_MANAGER" },
                { name: "NPM_TOKEN", value: "x", type: UNKNOWN },
                { name: "KEYBOARD", value: "qwerty" },
                { name: "STAGE", value: "prod", type: "PLAINTEXT" },
                { name: UNKNOWN, value: UNKNOWN },
            ]),
        );
        assert.deepEqual(messages, []);
    });

    it("honours the allowedVariableNames config", async () => {
        const props = project([{ name: "S3_KEY", value: "builds/app.zip" }]);
        assert.equal((await validate(codebuildNoPlaintextSecrets, CODEBUILD_PROJECT_TYPE, props)).length, 1);
        assert.deepEqual(
            await validate(codebuildNoPlaintextSecrets, CODEBUILD_PROJECT_TYPE, props, {
                config: { allowedVariableNames: ["s3_key"] },
            }),
            [],
        );
    });

    it("does not crash on unknown or malformed environments", async () => {
        for (const props of [
            { environment: UNKNOWN },
            project(UNKNOWN),
            project("x"),
            project([null, 3, UNKNOWN]),
            {},
        ]) {
            assert.deepEqual(await validate(codebuildNoPlaintextSecrets, CODEBUILD_PROJECT_TYPE, props), []);
        }
    });
});

describe("codebuild-privileged-mode", () => {
    it("reports privileged mode (advisory policy)", async () => {
        assert.equal(codebuildPrivilegedMode.enforcementLevel, "advisory");
        assert.deepEqual(
            await validate(
                codebuildPrivilegedMode,
                CODEBUILD_PROJECT_TYPE,
                { environment: { privilegedMode: true } },
                { name: "docker" },
            ),
            [
                "CodeBuild project 'docker' runs in privileged mode (environment.privilegedMode: true), which gives the build root on its Docker daemon, and its buildspec builds no container image. Set privilegedMode to false, or tag the project cicd:builds-images=true if its buildspec file builds images.",
            ],
        );
    });

    it("passes unprivileged, unset or unknown privileged mode", async () => {
        for (const environment of [
            { privilegedMode: false },
            {},
            { privilegedMode: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7" },
            UNKNOWN,
        ]) {
            assert.deepEqual(await validate(codebuildPrivilegedMode, CODEBUILD_PROJECT_TYPE, { environment }), []);
        }
    });
});

describe("codebuild-privileged-mode: image builds", () => {
    const spec = (...commands: string[]): string =>
        `version: 0.2\nphases:\n  build:\n    commands:\n${commands.map((c) => `      - ${c}`).join("\n")}\n`;
    const privileged = (extra: object) => ({ environment: { privilegedMode: true }, ...extra });

    it("stays quiet on projects whose inline buildspec builds or pushes images, or that are tagged", async () => {
        for (const props of [
            privileged({
                source: { type: "CODEPIPELINE", buildspec: spec("docker build -t app .", "docker push app") },
            }),
            privileged({ source: { buildspec: spec("docker buildx build --platform linux/arm64 --push .") } }),
            privileged({ source: { buildspec: "buildspec-image.yml" }, tags: { "cicd:builds-images": "true" } }),
        ]) {
            assert.deepEqual(
                await validate(codebuildPrivilegedMode, CODEBUILD_PROJECT_TYPE, props),
                [],
                JSON.stringify(props),
            );
        }
    });

    it("still reports privileged projects that build no image, or whose buildspec is a file and untagged", async () => {
        for (const props of [
            privileged({ source: { buildspec: spec("npm ci", "npm test") } }),
            privileged({ source: { buildspec: "buildspec.yml" } }),
            privileged({ source: { buildspec: UNKNOWN } }),
        ]) {
            assert.equal((await validate(codebuildPrivilegedMode, CODEBUILD_PROJECT_TYPE, props)).length, 1);
        }
    });
});

describe("codebuild-no-plaintext-secrets: by value, and references", () => {
    const store =
        "Store it in Secrets Manager or Parameter Store and set type to 'SECRETS_MANAGER' or 'PARAMETER_STORE' with the secret's name as value.";
    const env = (environmentVariables: unknown) => ({ environment: { environmentVariables } });
    const message = (name: string, why: string): string =>
        `CodeBuild project 'build' passes environment variable '${name}' as PLAINTEXT and its value looks like ${why}. ${store}`;

    it("finds known token formats, URL credentials and high-entropy strings whatever the name", async () => {
        const variables = [
            { name: "DATABASE_URL", value: "postgres://app:s3cretPassw0rd@db.internal:5432/app" },
            { name: "GITHUB_PAT", value: "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8" },
            { name: "NPM_CONFIG", value: "npm_" + "abcdefghijklmnopqrstuvwxyz0123456789" },
            { name: "HOOK", value: "xoxb-" + "123456789012-1234567890123-abcdefghijklmnopqrstuvwx" },
            { name: "PAYMENTS", value: "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc" },
            { name: "QUEUE", value: "amqp://deploy:Q9v!x2@rabbit.internal:5672" },
            { name: "OPAQUE", value: "q8Zt3Kx9Lm2Vb7Nc4Hd6Jf1Pw0Rs5Ty8" },
        ];
        const messages = await validate(codebuildNoPlaintextSecrets, CODEBUILD_PROJECT_TYPE, env(variables), {
            name: "build",
        });
        assert.deepEqual(messages, [
            message(
                "DATABASE_URL",
                "a credential (secretlint @secretlint/secretlint-rule-database-connection-string: PostgreSQLConnection)",
            ),
            message("GITHUB_PAT", "a credential (secretlint @secretlint/secretlint-rule-github: GITHUB_TOKEN)"),
            message("NPM_CONFIG", "a credential (secretlint @secretlint/secretlint-rule-npm: NPM_ACCESS_TOKEN)"),
            message("HOOK", "a credential (secretlint @secretlint/secretlint-rule-slack: SLACK_TOKEN)"),
            // secretlint 11 (the last major for Node 20) has no Stripe rule; the key is still caught, by its entropy.
            message("PAYMENTS", "a high-entropy token"),
            message("QUEUE", "a URL with a password in it"),
            message("OPAQUE", "a high-entropy token"),
        ]);
        for (const m of messages) assert.ok(!/s3cretPassw0rd|ghp_|sk_live_|Q9v/.test(m));
    });

    it("accepts ARNs and parameter names, and names that say they hold a reference (preview too)", async () => {
        const variables = [
            { name: "DB_SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" },
            { name: "API_TOKEN_PARAMETER", value: "/app/prod/api-token" },
            { name: "DB_PASSWORD", value: "/app/prod/db-password" },
            { name: "SIGNING_KEY_ARN", value: UNKNOWN },
            { name: "BUILD_ID", value: "app-build-20261122" },
            { name: "IMAGE_REPO", value: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app" },
        ];
        assert.deepEqual(await validate(codebuildNoPlaintextSecrets, CODEBUILD_PROJECT_TYPE, env(variables)), []);
    });

    it("still reports a secret value behind a reference-looking name", async () => {
        const variables = [{ name: "TOKEN_PARAMETER", value: "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8" }];
        const messages = await validate(codebuildNoPlaintextSecrets, CODEBUILD_PROJECT_TYPE, env(variables), {
            name: "build",
        });
        assert.deepEqual(messages, [
            message("TOKEN_PARAMETER", "a credential (secretlint @secretlint/secretlint-rule-github: GITHUB_TOKEN)"),
        ]);
    });
});
