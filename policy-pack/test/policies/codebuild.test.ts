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
                "CodeBuild project 'docker' runs in privileged mode (environment.privilegedMode: true), which gives the build root on its Docker daemon. Set privilegedMode to false unless the project builds container images.",
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
