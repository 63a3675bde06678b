import { strict as assert } from "assert";
import { cloudwatchLogGroupKmsEncryption } from "../../policies/cloudwatch-logs";
import { ECR_REPOSITORY_TYPE, ecrImmutableTags, ecrRepositoryKmsEncryption, ecrScanOnPush } from "../../policies/ecr";
import { snsTopicEncryption } from "../../policies/sns";
import { UNKNOWN, validate } from "./helpers";

describe("sns-topic-encryption", () => {
    const TOPIC = "aws:sns/topic:Topic";

    it("reports a topic without kmsMasterKeyId, even in preview", async () => {
        assert.deepEqual(await validate(snsTopicEncryption, TOPIC, { name: UNKNOWN }, { name: "approvals" }), [
            "SNS topic 'approvals' is not encrypted at rest (no kmsMasterKeyId). Set kmsMasterKeyId to the ARN of a customer-managed KMS key.",
        ]);
        assert.equal((await validate(snsTopicEncryption, TOPIC, { kmsMasterKeyId: "" })).length, 1);
    });

    it("passes a key id, including an unknown one in preview, and ignores other types", async () => {
        assert.deepEqual(
            await validate(snsTopicEncryption, TOPIC, { kmsMasterKeyId: "arn:aws:kms:eu-west-1:1:key/abc" }),
            [],
        );
        assert.deepEqual(await validate(snsTopicEncryption, TOPIC, { kmsMasterKeyId: UNKNOWN }), []);
        assert.deepEqual(await validate(snsTopicEncryption, "aws:sqs/queue:Queue", {}), []);
    });
});

describe("cloudwatch-log-group-kms-encryption", () => {
    const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

    it("reports a log group without kmsKeyId, as an advisory policy", async () => {
        assert.equal(cloudwatchLogGroupKmsEncryption.enforcementLevel, "advisory");
        assert.deepEqual(
            await validate(cloudwatchLogGroupKmsEncryption, LOG_GROUP, { retentionInDays: 30 }, { name: "build-logs" }),
            [
                "CloudWatch log group 'build-logs' has no kmsKeyId, so it uses CloudWatch Logs' default encryption. Set kmsKeyId to the ARN of a customer-managed KMS key.",
            ],
        );
    });

    it("passes a known or unknown kmsKeyId", async () => {
        for (const kmsKeyId of ["arn:aws:kms:eu-west-1:1:key/abc", UNKNOWN]) {
            assert.deepEqual(await validate(cloudwatchLogGroupKmsEncryption, LOG_GROUP, { kmsKeyId }), []);
        }
    });
});

describe("ecr-repository-kms-encryption", () => {
    it("reports the AES256 default and an explicit AES256", async () => {
        const message =
            "ECR repository 'app' is not encrypted with KMS (encryptionType defaults to AES256). Set encryptionConfigurations to [{ encryptionType: \"KMS\", kmsKey: <customer-managed KMS key ARN> }].";
        assert.deepEqual(await validate(ecrRepositoryKmsEncryption, ECR_REPOSITORY_TYPE, {}, { name: "app" }), [
            message,
        ]);
        assert.deepEqual(
            await validate(
                ecrRepositoryKmsEncryption,
                ECR_REPOSITORY_TYPE,
                { encryptionConfigurations: [{ encryptionType: "AES256" }] },
                { name: "app" },
            ),
            [message],
        );
    });

    it("passes KMS, KMS_DSSE and unknown configurations", async () => {
        for (const encryptionConfigurations of [
            [{ encryptionType: "KMS", kmsKey: UNKNOWN }],
            [{ encryptionType: "KMS_DSSE" }],
            [{ encryptionType: UNKNOWN }],
            UNKNOWN,
        ]) {
            assert.deepEqual(
                await validate(ecrRepositoryKmsEncryption, ECR_REPOSITORY_TYPE, { encryptionConfigurations }),
                [],
            );
        }
    });
});

describe("ecr-scan-on-push", () => {
    it("reports scanning off or unset", async () => {
        const message =
            "ECR repository 'app' does not scan images on push. Set imageScanningConfiguration.scanOnPush to true.";
        assert.deepEqual(await validate(ecrScanOnPush, ECR_REPOSITORY_TYPE, {}, { name: "app" }), [message]);
        assert.deepEqual(
            await validate(
                ecrScanOnPush,
                ECR_REPOSITORY_TYPE,
                { imageScanningConfiguration: { scanOnPush: false } },
                { name: "app" },
            ),
            [message],
        );
    });

    it("passes scanOnPush true or unknown", async () => {
        assert.deepEqual(
            await validate(ecrScanOnPush, ECR_REPOSITORY_TYPE, { imageScanningConfiguration: { scanOnPush: true } }),
            [],
        );
        assert.deepEqual(
            await validate(ecrScanOnPush, ECR_REPOSITORY_TYPE, {
                imageScanningConfiguration: { scanOnPush: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7" },
            }),
            [],
        );
    });
});

describe("ecr-immutable-tags", () => {
    it("reports mutable, unset and exclusion-based mutability", async () => {
        assert.deepEqual(await validate(ecrImmutableTags, ECR_REPOSITORY_TYPE, {}, { name: "app" }), [
            "ECR repository 'app' imageTagMutability is not set (defaults to MUTABLE). Set imageTagMutability to 'IMMUTABLE'.",
        ]);
        for (const imageTagMutability of ["MUTABLE", "IMMUTABLE_WITH_EXCLUSION"]) {
            assert.deepEqual(
                await validate(ecrImmutableTags, ECR_REPOSITORY_TYPE, { imageTagMutability }, { name: "app" }),
                [
                    `ECR repository 'app' imageTagMutability is '${imageTagMutability}'. Set imageTagMutability to 'IMMUTABLE'.`,
                ],
            );
        }
    });

    it("passes IMMUTABLE or unknown, and ignores other types", async () => {
        assert.deepEqual(
            await validate(ecrImmutableTags, ECR_REPOSITORY_TYPE, { imageTagMutability: "IMMUTABLE" }),
            [],
        );
        assert.deepEqual(await validate(ecrImmutableTags, ECR_REPOSITORY_TYPE, { imageTagMutability: UNKNOWN }), []);
        assert.deepEqual(await validate(ecrImmutableTags, "aws:ecr/lifecyclePolicy:LifecyclePolicy", {}), []);
    });
});
