import { strict as assert } from "assert";
import { CODEBUILD_PROJECT_TYPE } from "../../policies/codebuild";
import {
    codebuildArtifactEncryption,
    codebuildLoggingEnabled,
    codebuildManagedImage,
    codebuildPrivateImageServiceRole,
    codebuildReportGroupExportEncrypted,
    codebuildS3LogsEncrypted,
    codebuildSourceNoCredentials,
    REPORT_GROUP_TYPE,
} from "../../policies/codebuild-controls";
import { UNKNOWN, validate } from "./helpers";

const opts = { name: "build" };
const CONNECT =
    "which anyone who can read the project sees. Remove it from the URL and connect the repository with a " +
    "CodeConnections connection or credentials stored in CodeBuild (aws.codebuild.SourceCredential) instead.";

describe("codebuild-source-no-credentials", () => {
    it("reports user information in the primary and in a secondary source URL, never echoing it", async () => {
        const messages = await validate(
            codebuildSourceNoCredentials,
            CODEBUILD_PROJECT_TYPE,
            {
                source: { type: "BITBUCKET", location: "https://alice:hunter2@bitbucket.org/acme/app.git" },
                secondarySources: [
                    { sourceIdentifier: "lib", type: "GITHUB", location: "https://x-token@github.com/acme/lib.git" },
                    { sourceIdentifier: "ok", type: "GITHUB", location: "https://github.com/acme/ok.git" },
                ],
            },
            opts,
        );
        const userinfo = "user information (a token or user name and password) before the host";
        assert.deepEqual(messages, [
            `CodeBuild project 'build' source.location contains ${userinfo}, ${CONNECT}`,
            `CodeBuild project 'build' secondarySources[0] ('lib').location contains ${userinfo}, ${CONNECT}`,
        ]);
        assert.ok(messages.every((m) => !m.includes("hunter2") && !m.includes("x-token")));
    });

    it("reports a token the shared detector recognises in a location outside the userinfo", async () => {
        const location = "https://git.example.com/acme/app.git?access_key=AKIAIOSFODNN7EXAMPLF";
        const messages = await validate(
            codebuildSourceNoCredentials,
            CODEBUILD_PROJECT_TYPE,
            { source: { type: "GITHUB_ENTERPRISE", location } },
            opts,
        );
        assert.deepEqual(messages, [
            `CodeBuild project 'build' source.location contains what looks like an AWS access key id, ${CONNECT}`,
        ]);
    });

    it("passes clean URLs, SSH logins, CODEPIPELINE sources, unknown and missing locations", async () => {
        for (const props of [
            { source: { type: "GITHUB", location: "https://github.com/acme/app.git" } },
            {
                source: {
                    type: "CODECOMMIT",
                    location: "ssh://git@git-codecommit.eu-west-1.amazonaws.com/v1/repos/app",
                },
            },
            { source: { type: "CODEPIPELINE", buildspec: "buildspec.yml" } },
            { source: { type: "GITHUB", location: UNKNOWN }, secondarySources: UNKNOWN },
            { source: UNKNOWN },
            {},
        ]) {
            assert.deepEqual(await validate(codebuildSourceNoCredentials, CODEBUILD_PROJECT_TYPE, props, opts), []);
        }
    });
});

describe("codebuild-s3-logs-encrypted", () => {
    it("reports enabled S3 logs with encryption disabled, also in the list shape of exports", async () => {
        const expected = [
            "CodeBuild project 'build' writes S3 build logs with logsConfig.s3Logs.encryptionDisabled true, so build " +
                "output lands in S3 unencrypted. Remove encryptionDisabled (or set it to false).",
        ];
        const s3Logs = { status: "ENABLED", location: "logs/build", encryptionDisabled: true };
        for (const logsConfig of [{ s3Logs }, [{ s3Logs: [{ ...s3Logs, encryptionDisabled: "true" }] }]]) {
            assert.deepEqual(
                await validate(codebuildS3LogsEncrypted, CODEBUILD_PROJECT_TYPE, { logsConfig }, opts),
                expected,
            );
        }
    });

    it("passes encrypted, disabled, unknown and absent S3 logs", async () => {
        for (const s3Logs of [
            { status: "ENABLED", location: "logs/build" },
            { status: "ENABLED", encryptionDisabled: false },
            { status: "DISABLED", encryptionDisabled: true },
            { status: UNKNOWN, encryptionDisabled: true },
            { status: "ENABLED", encryptionDisabled: UNKNOWN },
            UNKNOWN,
            undefined,
        ]) {
            const props = { logsConfig: { s3Logs } };
            assert.deepEqual(await validate(codebuildS3LogsEncrypted, CODEBUILD_PROJECT_TYPE, props, opts), []);
        }
    });
});

describe("codebuild-logging-enabled", () => {
    const message =
        "CodeBuild project 'build' disables CloudWatch Logs (logsConfig.cloudwatchLogs.status DISABLED) and sends no " +
        "S3 logs, so its builds leave no log. Set logsConfig.cloudwatchLogs.status to ENABLED with a groupName, or " +
        'logsConfig.s3Logs to { status: "ENABLED", location: "<bucket>/<prefix>" }.';

    it("reports CloudWatch disabled with S3 logs disabled or absent", async () => {
        for (const logsConfig of [
            { cloudwatchLogs: { status: "DISABLED" }, s3Logs: { status: "DISABLED" } },
            { cloudwatchLogs: { status: "DISABLED" } },
            [{ cloudwatchLogs: [{ status: "disabled" }] }],
        ]) {
            assert.deepEqual(await validate(codebuildLoggingEnabled, CODEBUILD_PROJECT_TYPE, { logsConfig }, opts), [
                message,
            ]);
        }
    });

    it("passes default CloudWatch logs, S3 logs alone, and unknowns", async () => {
        for (const logsConfig of [
            undefined,
            {},
            { cloudwatchLogs: { status: "ENABLED" }, s3Logs: { status: "DISABLED" } },
            { cloudwatchLogs: { status: "DISABLED" }, s3Logs: { status: "ENABLED", location: "b/p" } },
            { cloudwatchLogs: { status: "DISABLED" }, s3Logs: { status: UNKNOWN } },
            { cloudwatchLogs: { status: UNKNOWN } },
            UNKNOWN,
        ]) {
            assert.deepEqual(await validate(codebuildLoggingEnabled, CODEBUILD_PROJECT_TYPE, { logsConfig }, opts), []);
        }
    });
});

describe("codebuild-report-group-export-encrypted", () => {
    it("reports an S3 export with encryption disabled", async () => {
        const exportConfig = { type: "S3", s3Destination: { bucket: "reports", encryptionDisabled: true } };
        assert.deepEqual(
            await validate(codebuildReportGroupExportEncrypted, REPORT_GROUP_TYPE, { exportConfig }, { name: "unit" }),
            [
                "CodeBuild report group 'unit' exports raw test results to S3 with " +
                    "exportConfig.s3Destination.encryptionDisabled true. Set encryptionDisabled to false and " +
                    "encryptionKey to the ARN of a customer-managed KMS key.",
            ],
        );
    });

    it("passes encrypted exports, NO_EXPORT, unknowns, and ignores projects", async () => {
        for (const exportConfig of [
            { type: "S3", s3Destination: { bucket: "reports", encryptionKey: "arn:aws:kms:eu-west-1:1:key/k" } },
            { type: "NO_EXPORT" },
            { type: "S3", s3Destination: UNKNOWN },
            { type: "S3", s3Destination: { encryptionDisabled: UNKNOWN } },
            UNKNOWN,
        ]) {
            assert.deepEqual(
                await validate(codebuildReportGroupExportEncrypted, REPORT_GROUP_TYPE, { exportConfig }),
                [],
            );
        }
        const projectProps = { exportConfig: { s3Destination: { encryptionDisabled: true } } };
        assert.deepEqual(await validate(codebuildReportGroupExportEncrypted, CODEBUILD_PROJECT_TYPE, projectProps), []);
    });
});

describe("codebuild-artifact-encryption", () => {
    it("reports the primary and each secondary artifact with encryption disabled", async () => {
        const props = {
            artifacts: { type: "S3", location: "out", encryptionDisabled: true },
            secondaryArtifacts: [
                { type: "S3", artifactIdentifier: "docs", encryptionDisabled: "true" },
                { type: "S3", artifactIdentifier: "bin", encryptionDisabled: false },
            ],
        };
        const tail =
            ".encryptionDisabled true, so those build artifacts are stored unencrypted. Remove encryptionDisabled " +
            "(or set it to false); the project's encryptionKey then encrypts them.";
        assert.deepEqual(await validate(codebuildArtifactEncryption, CODEBUILD_PROJECT_TYPE, props, opts), [
            `CodeBuild project 'build' sets artifacts${tail}`,
            `CodeBuild project 'build' sets secondaryArtifacts[0] ('docs')${tail}`,
        ]);
    });

    it("passes encrypted, pipeline and unknown artifacts", async () => {
        for (const props of [
            { artifacts: { type: "CODEPIPELINE" } },
            { artifacts: { type: "S3", encryptionDisabled: false } },
            { artifacts: { type: "S3", encryptionDisabled: UNKNOWN }, secondaryArtifacts: UNKNOWN },
            { artifacts: UNKNOWN, secondaryArtifacts: [UNKNOWN] },
        ]) {
            assert.deepEqual(await validate(codebuildArtifactEncryption, CODEBUILD_PROJECT_TYPE, props, opts), []);
        }
    });
});

describe("codebuild-managed-image", () => {
    it("advises on a custom image, naming it and the exemption tag", async () => {
        const props = { environment: { image: "node:20", type: "LINUX_CONTAINER" } };
        assert.deepEqual(await validate(codebuildManagedImage, CODEBUILD_PROJECT_TYPE, props, opts), [
            "CodeBuild project 'build' builds on image 'node:20', not a CodeBuild curated image, so nobody at AWS " +
                "patches it. Use an aws/codebuild/... image, or tag the project " +
                "'policy-exemption:codebuild-managed-image' = 'until=YYYY-MM-DD reason=<who maintains the image>'.",
        ]);
        assert.equal(codebuildManagedImage.enforcementLevel, "advisory");
    });

    it("passes curated and unknown images", async () => {
        for (const image of ["aws/codebuild/amazonlinux-x86_64-standard:5.0", "aws/codebuild/standard:7.0", UNKNOWN]) {
            const props = { environment: { image } };
            assert.deepEqual(await validate(codebuildManagedImage, CODEBUILD_PROJECT_TYPE, props, opts), []);
        }
        assert.deepEqual(await validate(codebuildManagedImage, CODEBUILD_PROJECT_TYPE, { environment: UNKNOWN }), []);
    });
});

describe("codebuild-private-image-service-role", () => {
    const ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/build/node:20";
    const message = (image: string, shown: string) =>
        `CodeBuild project 'build' pulls private image '${image}' with imagePullCredentialsType ${shown}, so ` +
        "CodeBuild's own service principal, not the project's role, must be trusted by the registry. Set " +
        'environment.imagePullCredentialsType to "SERVICE_ROLE" and grant the service role ecr:BatchGetImage and ' +
        "ecr:GetDownloadUrlForLayer on the repository (or secretsmanager:GetSecretValue on the registryCredential).";

    it("reports an ECR image pulled with CodeBuild's credentials or the default", async () => {
        const cases: [Record<string, unknown>, string][] = [
            [{ image: ecr, imagePullCredentialsType: "CODEBUILD" }, message(ecr, "CODEBUILD")],
            [{ image: ecr }, message(ecr, "unset (CODEBUILD)")],
            [
                {
                    image: "registry.example.com/build:1",
                    registryCredential: {
                        credential: "arn:aws:secretsmanager:eu-west-1:1:secret:r",
                        credentialProvider: "SECRETS_MANAGER",
                    },
                },
                message("registry.example.com/build:1", "unset (CODEBUILD)"),
            ],
        ];
        for (const [environment, expected] of cases) {
            assert.deepEqual(
                await validate(codebuildPrivateImageServiceRole, CODEBUILD_PROJECT_TYPE, { environment }, opts),
                [expected],
            );
        }
    });

    it("passes SERVICE_ROLE pulls, curated and public images, and unknowns", async () => {
        for (const environment of [
            { image: ecr, imagePullCredentialsType: "SERVICE_ROLE" },
            { image: "aws/codebuild/standard:7.0", imagePullCredentialsType: "CODEBUILD" },
            { image: "node:20" },
            { image: ecr, imagePullCredentialsType: UNKNOWN },
            { image: UNKNOWN },
            UNKNOWN,
        ]) {
            assert.deepEqual(
                await validate(codebuildPrivateImageServiceRole, CODEBUILD_PROJECT_TYPE, { environment }, opts),
                [],
            );
        }
    });
});
