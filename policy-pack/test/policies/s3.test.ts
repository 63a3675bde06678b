import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { s3BucketKmsEncryption, s3BucketPublicAccessBlock, s3BucketTlsOnly } from "../../policies/s3";
import { s3PublicAccessBlockFlags } from "../../policies/s3-access-block";
import {
    resourceArgs,
    serializeRemediation,
    stackMessages,
    stackResource,
    UNKNOWN,
    validate,
    validateStack,
} from "./helpers";

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";

function bucket(name = "artifacts", props: Record<string, unknown> = { bucket: `${name}-1a2b3c` }): PolicyResource {
    return stackResource(BUCKET, name, props);
}

/** A configuration resource whose `bucket` input was fed by `target.id` (unknown in preview). */
function configFor(type: string, name: string, target: PolicyResource, props: Record<string, unknown>): PolicyResource {
    return stackResource(type, name, { bucket: UNKNOWN, ...props }, { bucket: [target] });
}

function kmsRules(sseAlgorithm: unknown) {
    return { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyId: UNKNOWN } }] };
}

const TLS_DENY = {
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::artifacts", "arn:aws:s3:::artifacts/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};

describe("s3-bucket-kms-encryption", () => {
    it("reports a bucket with no default encryption resource, against the bucket's URN", async () => {
        const b = bucket();
        assert.deepEqual(await validateStack(s3BucketKmsEncryption, [b]), [
            {
                message:
                    "S3 bucket 'artifacts' has no SSE-KMS default encryption. Add an aws.s3.BucketServerSideEncryptionConfiguration for it with rules[0].applyServerSideEncryptionByDefault.sseAlgorithm 'aws:kms' and kmsMasterKeyId set to a customer-managed KMS key.",
                urn: b.urn,
            },
        ]);
    });

    it("joins through propertyDependencies in preview (ids unknown) and passes SSE-KMS", async () => {
        const b = bucket();
        assert.deepEqual(
            await stackMessages(s3BucketKmsEncryption, [b, configFor(SSE, "enc", b, kmsRules("aws:kms"))]),
            [],
        );
        assert.deepEqual(
            await stackMessages(s3BucketKmsEncryption, [b, configFor(SSE, "enc", b, kmsRules(UNKNOWN))]),
            [],
        );
        assert.deepEqual(
            await stackMessages(s3BucketKmsEncryption, [b, configFor(SSE, "enc", b, { rules: UNKNOWN })]),
            [],
        );
    });

    it("reports SSE-S3 (AES256) default encryption", async () => {
        const b = bucket();
        assert.deepEqual(
            await stackMessages(s3BucketKmsEncryption, [b, configFor(SSE, "enc", b, kmsRules("AES256"))]),
            [
                "S3 bucket 'artifacts' default encryption uses 'AES256', not SSE-KMS. Configure its aws.s3.BucketServerSideEncryptionConfiguration with rules[0].applyServerSideEncryptionByDefault.sseAlgorithm 'aws:kms' and kmsMasterKeyId set to a customer-managed KMS key.",
            ],
        );
    });

    it("does not credit one bucket's encryption to another", async () => {
        const a = bucket("a");
        const other = bucket("b");
        const messages = await stackMessages(s3BucketKmsEncryption, [
            a,
            other,
            configFor(SSE, "enc-a", a, kmsRules("aws:kms")),
        ]);
        assert.equal(messages.length, 1);
        assert.match(messages[0], /^S3 bucket 'b' has no SSE-KMS default encryption/);
    });

    it("falls back to the bucket name when there are no property dependencies (state exports)", async () => {
        const b = bucket("logs", { bucket: "logs-bucket", id: "logs-bucket" });
        const enc = stackResource(SSE, "enc", { bucket: "logs-bucket", ...kmsRules("aws:kms:dsse") });
        assert.deepEqual(await stackMessages(s3BucketKmsEncryption, [b, enc]), []);
    });

    it("accepts the legacy BucketV2 type, the V2 configuration type and the deprecated inline block", async () => {
        const legacy = stackResource("aws:s3/bucketV2:BucketV2", "old", { bucket: "old" });
        const enc = stackResource(
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            "enc",
            kmsRules("aws:kms"),
            { bucket: [legacy] },
        );
        const inline = bucket("inline", {
            serverSideEncryptionConfiguration: {
                rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } },
            },
        });
        assert.deepEqual(await stackMessages(s3BucketKmsEncryption, [legacy, enc, inline]), []);
    });
});

describe("s3-bucket-public-access-block", () => {
    it("reports a bucket without a public access block", async () => {
        assert.deepEqual(await stackMessages(s3BucketPublicAccessBlock, [bucket()]), [
            "S3 bucket 'artifacts' has no public access block. Add an aws.s3.BucketPublicAccessBlock for it with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
        ]);
    });

    it("passes a bucket joined to a public access block in preview", async () => {
        const b = bucket();
        assert.deepEqual(await stackMessages(s3BucketPublicAccessBlock, [b, configFor(PAB, "pab", b, {})]), []);
    });
});

describe("s3-public-access-block-flags", () => {
    const all = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

    it("reports the missing flags by name", async () => {
        const messages = await validate(
            s3PublicAccessBlockFlags,
            PAB,
            { bucket: UNKNOWN, ...all, restrictPublicBuckets: false, ignorePublicAcls: undefined },
            { name: "artifacts-pab" },
        );
        assert.deepEqual(messages, [
            "S3 public access block 'artifacts-pab' does not set all four flags true (missing: ignorePublicAcls, restrictPublicBuckets). Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
        ]);
    });

    it("passes all four flags true, or unknown in preview", async () => {
        assert.deepEqual(await validate(s3PublicAccessBlockFlags, PAB, all), []);
        assert.deepEqual(
            await validate(s3PublicAccessBlockFlags, PAB, {
                ...all,
                blockPublicPolicy: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
            }),
            [],
        );
    });

    it("remediates by setting only the missing flags, keeping the other inputs", async () => {
        const result = await s3PublicAccessBlockFlags.remediateResource!(
            resourceArgs(PAB, { bucket: UNKNOWN, blockPublicAcls: true }),
        );
        assert.deepEqual(await serializeRemediation(result), { bucket: UNKNOWN, ...all });
    });

    it("does not remediate a compliant block or another resource type", async () => {
        assert.equal(await s3PublicAccessBlockFlags.remediateResource!(resourceArgs(PAB, all)), undefined);
        assert.equal(await s3PublicAccessBlockFlags.remediateResource!(resourceArgs(BUCKET, {})), undefined);
    });
});

describe("s3-bucket-tls-only", () => {
    const add =
        "a Deny statement for Principal '*' and Action 's3:*' on the bucket and its objects with Condition { Bool: { 'aws:SecureTransport': 'false' } }.";

    it("reports a bucket with no bucket policy", async () => {
        assert.deepEqual(await stackMessages(s3BucketTlsOnly, [bucket()]), [
            `S3 bucket 'artifacts' has no bucket policy denying requests without TLS. Add an aws.s3.BucketPolicy for it with ${add}`,
        ]);
    });

    it("reports a bucket policy without the TLS deny", async () => {
        const b = bucket();
        const allowOnly = JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: "*" },
            ],
        });
        const wrongValue = JSON.stringify({
            Statement: [{ ...TLS_DENY, Condition: { Bool: { "aws:SecureTransport": "true" } } }],
        });
        for (const policy of [allowOnly, wrongValue]) {
            assert.deepEqual(
                await stackMessages(s3BucketTlsOnly, [b, configFor(POLICY, "artifacts-policy", b, { policy })]),
                [
                    `S3 bucket 'artifacts' has a bucket policy ('artifacts-policy') that does not deny requests without TLS. Add ${add}`,
                ],
            );
        }
    });

    it("passes a TLS deny as JSON string or object, and a computed policy in preview", async () => {
        const b = bucket();
        for (const policy of [
            JSON.stringify({ Statement: [TLS_DENY] }),
            {
                Statement: {
                    ...TLS_DENY,
                    Principal: { AWS: ["*"] },
                    Condition: { Bool: { "aws:SecureTransport": false } },
                },
            },
            UNKNOWN,
        ]) {
            assert.deepEqual(await stackMessages(s3BucketTlsOnly, [b, configFor(POLICY, "p", b, { policy })]), []);
        }
    });

    it("does not crash on garbage policies and other resources", async () => {
        const b = bucket();
        const others = [
            stackResource("aws:sns/topic:Topic", "t", { policy: "x" }),
            configFor(POLICY, "p", b, { policy: "{not json" }),
        ];
        assert.equal((await stackMessages(s3BucketTlsOnly, [b, ...others])).length, 1);
    });
});

describe("S3 bucket shapes of @pulumi/aws v7 and v6", () => {
    const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
    const v2Inline = (sseAlgorithm: unknown) => ({
        serverSideEncryptionConfigurations: [
            { rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm, kmsMasterKeyId: UNKNOWN }] }] },
        ],
    });

    it("passes BucketV2's inline serverSideEncryptionConfigurations[].rules[] with aws:kms, and in preview", async () => {
        for (const sse of ["aws:kms", "aws:kms:dsse", UNKNOWN]) {
            const resource = stackResource(BUCKET_V2, "v2", { bucket: "v2", ...v2Inline(sse) });
            assert.deepEqual(await stackMessages(s3BucketKmsEncryption, [resource]), [], String(sse));
        }
        const unknownList = stackResource(BUCKET_V2, "v2", {
            bucket: "v2",
            serverSideEncryptionConfigurations: UNKNOWN,
        });
        assert.deepEqual(await stackMessages(s3BucketKmsEncryption, [unknownList]), []);
    });

    it("reports BucketV2's inline block with AES256, naming the algorithm", async () => {
        const resource = stackResource(BUCKET_V2, "v2", { bucket: "v2", ...v2Inline("AES256") });
        assert.deepEqual(await stackMessages(s3BucketKmsEncryption, [resource]), [
            "S3 bucket 'v2' default encryption uses 'AES256', not SSE-KMS. Configure its aws.s3.BucketServerSideEncryptionConfiguration with rules[0].applyServerSideEncryptionByDefault.sseAlgorithm 'aws:kms' and kmsMasterKeyId set to a customer-managed KMS key.",
        ]);
    });

    it("passes a TLS deny in the bucket's inline policy (string on BucketV2, document object on Bucket)", async () => {
        const doc = { Version: "2012-10-17", Statement: [TLS_DENY] };
        const v2 = stackResource(BUCKET_V2, "v2", { bucket: "v2", policy: JSON.stringify(doc) });
        const v7 = bucket("v7", { bucket: "v7", policy: doc });
        assert.deepEqual(await stackMessages(s3BucketTlsOnly, [v2, v7]), []);
        const allow = { Version: "2012-10-17", Statement: [{ ...TLS_DENY, Effect: "Allow" }] };
        const open = stackResource(BUCKET_V2, "open", { bucket: "open", policy: JSON.stringify(allow) });
        assert.deepEqual(await stackMessages(s3BucketTlsOnly, [open]), [
            "S3 bucket 'open' has no bucket policy denying requests without TLS. Add an aws.s3.BucketPolicy for it with a Deny statement for Principal '*' and Action 's3:*' on the bucket and its objects with Condition { Bool: { 'aws:SecureTransport': 'false' } }.",
        ]);
    });

    it("joins split resources to a BucketV2 by its name when ids are known (state exports)", async () => {
        const v2 = stackResource(BUCKET_V2, "v2", { bucket: "v2-abc", id: "v2-abc" });
        const enc = stackResource(SSE, "enc", { bucket: "v2-abc", ...kmsRules("aws:kms") });
        const pab = stackResource(PAB, "pab", { bucket: "v2-abc" });
        const policy = stackResource(POLICY, "pol", {
            bucket: "v2-abc",
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [TLS_DENY] }),
        });
        const all = [v2, enc, pab, policy];
        for (const check of [s3BucketKmsEncryption, s3BucketPublicAccessBlock, s3BucketTlsOnly]) {
            assert.deepEqual(await stackMessages(check, all), [], check.name);
        }
    });
});
