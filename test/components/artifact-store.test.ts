import { strict as assert } from "assert";
import { ArtifactStore } from "../../components/artifact-store";
import { environment, planOf, prodEnvironment, service } from "../fixtures/config";
import { childrenOf, find, withMocks } from "../support/mock-runtime";

describe("ArtifactStore", () => {
    it("creates a rotating KMS key and a locked-down bucket as its children", async () => {
        const resources = await withMocks("dev", () => {
            new ArtifactStore("artifacts", { plan: planOf(environment(), service()).artifactStore });
        });
        const store = find(resources, "cicd:storage:ArtifactStore", "artifacts");
        assert.deepEqual(
            childrenOf(resources, store)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [
                "aws:kms/alias:Alias artifacts-key-alias",
                "aws:kms/key:Key artifacts-key",
                "aws:s3/bucket:Bucket artifacts-bucket",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration artifacts-lifecycle",
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls artifacts-ownership",
                "aws:s3/bucketPolicy:BucketPolicy artifacts-policy",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock artifacts-public-access",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration artifacts-encryption",
                "aws:s3/bucketVersioning:BucketVersioning artifacts-versioning",
            ],
        );
        const key = find(resources, "aws:kms/key:Key", "artifacts-key");
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(key.inputs.deletionWindowInDays, 30);
        assert.equal(
            find(resources, "aws:s3/bucket:Bucket", "artifacts-bucket").inputs.bucket,
            "cicd-artifacts-dev-111111111111-eu-west-1",
        );
        const pab = find(
            resources,
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "artifacts-public-access",
        ).inputs;
        assert.deepEqual(
            [pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets],
            [true, true, true, true],
        );
        const sse = find(
            resources,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "artifacts-encryption",
        ).inputs;
        const [rule] = sse.rules as {
            applyServerSideEncryptionByDefault: Record<string, string>;
            bucketKeyEnabled: boolean;
        }[];
        assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.match(
            rule.applyServerSideEncryptionByDefault.kmsMasterKeyId,
            /^arn:aws:kms:eu-west-1:111111111111:key\//,
        );
        assert.equal(rule.bucketKeyEnabled, true);
    });

    it("expires old artifacts after the configured retention", async () => {
        const resources = await withMocks("dev", () => {
            new ArtifactStore("artifacts", {
                plan: planOf(environment({ artifactRetentionDays: 14 }), service()).artifactStore,
            });
        });
        const rules = find(
            resources,
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "artifacts-lifecycle",
        ).inputs.rules as any[];
        assert.equal(rules[0].noncurrentVersionExpiration.noncurrentDays, 14);
        assert.equal(rules[0].expiration.days, 28);
    });

    it("denies plain-HTTP requests in the bucket policy", async () => {
        const resources = await withMocks("dev", () => {
            new ArtifactStore("artifacts", { plan: planOf(environment(), service()).artifactStore });
        });
        const policy = JSON.parse(
            String(find(resources, "aws:s3/bucketPolicy:BucketPolicy", "artifacts-policy").inputs.policy),
        );
        const tls = policy.Statement.find(
            (s: any) => s.Effect === "Deny" && JSON.stringify(s.Condition ?? {}).includes("aws:SecureTransport"),
        );
        assert.ok(tls, "a Deny on aws:SecureTransport false");
    });

    it("protects and retains the key and bucket in production only", async () => {
        const prod = await withMocks(
            "prod",
            () => {
                new ArtifactStore("artifacts", { plan: planOf(prodEnvironment(), service()).artifactStore });
            },
            "333333333333",
        );
        for (const [type, name] of [
            ["aws:kms/key:Key", "artifacts-key"],
            ["aws:s3/bucket:Bucket", "artifacts-bucket"],
        ]) {
            assert.deepEqual(
                [find(prod, type, name).options.protect, find(prod, type, name).options.retainOnDelete],
                [true, true],
                name,
            );
        }
        assert.equal(find(prod, "aws:s3/bucket:Bucket", "artifacts-bucket").inputs.forceDestroy, false);
        const dev = await withMocks("dev", () => {
            new ArtifactStore("artifacts", { plan: planOf(environment(), service()).artifactStore });
        });
        assert.equal(find(dev, "aws:kms/key:Key", "artifacts-key").options.protect, false);
        assert.equal(find(dev, "aws:s3/bucket:Bucket", "artifacts-bucket").inputs.forceDestroy, true);
    });
});
