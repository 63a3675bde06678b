import { strict as assert } from "assert";
import { PIPELINE_TYPE } from "../../policies/codepipeline";
import { EVENT_TARGET_TYPE, eventbridgeTargetDeadLetterQueue } from "../../policies/eventbridge";
import { kmsKeyPolicyNoPublicPrincipal } from "../../policies/kms";
import { s3BucketPolicyNoPublicPrincipal } from "../../policies/s3-access-block";
import { snsTopicPolicyNoPublicPrincipal } from "../../policies/sns";
import { s3ArtifactBucketVersioning, VERSIONING_TYPES } from "../../policies/s3-versioning";
import { snsTopicTlsPublish, TOPIC_POLICY_TYPE, TOPIC_TYPE } from "../../policies/sns-tls";
import { stackMessages, stackResource, UNKNOWN, validate, validateStack } from "./helpers";

const BUCKET = "aws:s3/bucket:Bucket";

describe("s3-artifact-bucket-versioning", () => {
    const bucket = (props: Record<string, unknown> = {}) =>
        stackResource(BUCKET, "artifacts", { bucket: "acme-artifacts", ...props });
    const pipeline = (deps: Record<string, ReturnType<typeof stackResource>[]> = {}, location = "acme-artifacts") =>
        stackResource(PIPELINE_TYPE, "app", { artifactStores: [{ location, type: "S3" }], stages: [] }, deps);
    const versioning = (status: unknown, b = bucket()) =>
        stackResource(VERSIONING_TYPES[0], "v", { bucket: "x", versioningConfiguration: { status } }, { bucket: [b] });
    const message =
        "S3 bucket 'artifacts' is the artifact store of CodePipeline 'app' but has no versioning enabled, so an " +
        "overwritten or deleted artifact cannot be recovered. Add an aws.s3.BucketVersioning for it with " +
        'versioningConfiguration { status: "Enabled" }.';

    it("reports an artifact store bucket without versioning, joined by name or by the feeding URN", async () => {
        const b = bucket();
        assert.deepEqual(await validateStack(s3ArtifactBucketVersioning, [b, pipeline()]), [{ message, urn: b.urn }]);
        const byUrn = [b, pipeline({ artifactStores: [b] }, UNKNOWN)];
        assert.deepEqual(await stackMessages(s3ArtifactBucketVersioning, byUrn), [message]);
        assert.deepEqual(await stackMessages(s3ArtifactBucketVersioning, [b, pipeline(), versioning("Suspended", b)]), [
            message,
        ]);
    });

    it("reports an S3 source bucket without versioning", async () => {
        const b = bucket();
        const source = stackResource(PIPELINE_TYPE, "app", {
            stages: [
                {
                    name: "Source",
                    actions: [
                        {
                            name: "S",
                            category: "Source",
                            provider: "S3",
                            configuration: { S3Bucket: "acme-artifacts" },
                        },
                    ],
                },
            ],
        });
        assert.deepEqual(await stackMessages(s3ArtifactBucketVersioning, [b, source]), [
            message.replace("the artifact store of", "the S3 source of"),
        ]);
    });

    it("passes versioned buckets (split, inline, unknown), other buckets and unknown locations", async () => {
        const b = bucket();
        for (const resources of [
            [b, pipeline(), versioning("Enabled", b)],
            [b, pipeline(), versioning(UNKNOWN, b)],
            [bucket({ versioning: { enabled: true } }), pipeline()],
            [bucket({ versioning: UNKNOWN }), pipeline()],
            [bucket({ bucket: "other" }), pipeline()],
            [b, pipeline({}, UNKNOWN)],
        ]) {
            assert.deepEqual(await stackMessages(s3ArtifactBucketVersioning, resources), []);
        }
    });
});

const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const PUBLIC_FIX =
    "Name the principals (account, role or service) instead of '*', or add a condition that pins them, e.g. " +
    "{ StringEquals: { 'aws:SourceAccount': '<account id>' } } or { StringEquals: { 'aws:PrincipalOrgID': '<org id>' } }.";

describe("key, bucket and topic policies with a public principal", () => {
    const open = { Sid: "Open", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" };
    const cases = [
        [kmsKeyPolicyNoPublicPrincipal, "aws:kms/key:Key", "KMS key"],
        [kmsKeyPolicyNoPublicPrincipal, "aws:kms/keyPolicy:KeyPolicy", "KMS key policy"],
        [s3BucketPolicyNoPublicPrincipal, "aws:s3/bucketPolicy:BucketPolicy", "S3 bucket policy"],
        [s3BucketPolicyNoPublicPrincipal, BUCKET, "S3 bucket"],
        [snsTopicPolicyNoPublicPrincipal, "aws:sns/topicPolicy:TopicPolicy", "SNS topic policy"],
        [snsTopicPolicyNoPublicPrincipal, TOPIC_TYPE, "SNS topic"],
    ] as const;

    it("reports an Allow to '*', { AWS: '*' } or NotPrincipal without a restricting condition, per service", async () => {
        for (const [policy, type, label] of cases) {
            const props = {
                policy: doc(open, { Effect: "Allow", Principal: { AWS: ["*"] }, Action: "x:Y", Resource: "*" }),
            };
            assert.deepEqual(await validate(policy, type, props, { name: "p" }), [
                `${label} 'p' policy statement 1 (Sid 'Open'), statement 2 allows every principal ('*' or NotPrincipal) ` +
                    `with no condition restricting who. ${PUBLIC_FIX}`,
            ]);
        }
        const weak = [
            { ...open, Condition: { StringNotEquals: { "aws:SourceAccount": "111111111111" } } },
            { ...open, Condition: { StringEqualsIfExists: { "aws:SourceAccount": "111111111111" } } },
            { ...open, Condition: { StringLike: { "aws:SourceArn": "*" } } },
            { ...open, Condition: { Bool: { "aws:SecureTransport": "true" } } },
            { Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "sns:Publish", Resource: "*" },
        ];
        for (const statement of weak) {
            const found = await validate(snsTopicPolicyNoPublicPrincipal, TOPIC_TYPE, { policy: doc(statement) });
            assert.equal(found.length, 1, JSON.stringify(statement));
        }
    });

    it("passes restricted, named and denying statements, and unknown documents or parts", async () => {
        for (const policy of [
            doc({ ...open, Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }),
            doc({ ...open, Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:cloudwatch:eu-west-1:1:alarm:x-*" } } }),
            doc({ ...open, Condition: { StringEquals: { "kms:CallerAccount": UNKNOWN } } }),
            doc({ ...open, Condition: UNKNOWN }),
            doc({ ...open, Principal: UNKNOWN }),
            doc({ ...open, Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            doc({ ...open, Principal: { Service: "codestar-notifications.amazonaws.com" } }),
            UNKNOWN,
            "not json",
        ]) {
            for (const [p, type] of cases) assert.deepEqual(await validate(p, type, { policy }), []);
        }
        assert.deepEqual(await validate(kmsKeyPolicyNoPublicPrincipal, TOPIC_TYPE, { policy: doc(open) }), []);
    });
});

describe("sns-topic-tls-publish", () => {
    const topic = (props: Record<string, unknown> = {}) =>
        stackResource(TOPIC_TYPE, "events", { name: "events", ...props });
    const deny = {
        Effect: "Deny",
        Principal: "*",
        Action: ["sns:Publish", "sns:Subscribe"],
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    const statement =
        "a Deny statement for Principal '*' and Action 'sns:Publish' on the topic with Condition " +
        "{ Bool: { 'aws:SecureTransport': 'false' } }.";

    it("reports a topic with no policy, and one whose policy does not deny plain-HTTP publishes", async () => {
        const t = topic();
        assert.deepEqual(await validateStack(snsTopicTlsPublish, [t]), [
            {
                message: `SNS topic 'events' has no topic policy denying publishing without TLS. Add an aws.sns.TopicPolicy for it with ${statement}`,
                urn: t.urn,
            },
        ]);
        const allowOnly = stackResource(
            TOPIC_POLICY_TYPE,
            "events-policy",
            { arn: UNKNOWN, policy: doc({ ...deny, Action: "sns:Subscribe" }) },
            { arn: [t] },
        );
        assert.deepEqual(await stackMessages(snsTopicTlsPublish, [t, allowOnly]), [
            `SNS topic 'events' has a topic policy ('events-policy') that does not deny publishing without TLS. Add ${statement}`,
        ]);
    });

    it("passes a joined or inline TLS deny (sns:* too), and an unknown document", async () => {
        const t = topic({ arn: "arn:aws:sns:eu-west-1:1:events" });
        const joined = (policy: unknown) =>
            stackResource(TOPIC_POLICY_TYPE, "tp", { arn: "arn:aws:sns:eu-west-1:1:events", policy });
        for (const resources of [
            [t, joined(doc(deny))],
            [t, joined(doc({ ...deny, Action: "sns:*" }))],
            [t, joined(UNKNOWN)],
            [topic({ policy: doc(deny) })],
        ]) {
            assert.deepEqual(await stackMessages(snsTopicTlsPublish, resources), []);
        }
    });
});

describe("eventbridge-target-dead-letter-queue", () => {
    it("advises on a target without a dead-letter queue", async () => {
        const props = { rule: "r", arn: "arn:aws:codepipeline:eu-west-1:1:app" };
        assert.deepEqual(await validate(eventbridgeTargetDeadLetterQueue, EVENT_TARGET_TYPE, props, { name: "t" }), [
            "EventBridge target 't' has no deadLetterConfig, so an event it cannot deliver after its retries is " +
                "dropped. Set deadLetterConfig.arn to an SQS queue (encrypted, with a queue policy letting " +
                "events.amazonaws.com send to it for this rule) and keep retryPolicy.",
        ]);
        assert.equal(
            (await validate(eventbridgeTargetDeadLetterQueue, EVENT_TARGET_TYPE, { deadLetterConfig: {} })).length,
            1,
        );
        assert.equal(eventbridgeTargetDeadLetterQueue.enforcementLevel, "advisory");
    });

    it("passes a target with a queue, or an unknown one", async () => {
        for (const deadLetterConfig of [
            { arn: "arn:aws:sqs:eu-west-1:1:dlq" },
            { arn: UNKNOWN },
            UNKNOWN,
            [{ arn: "q" }],
        ]) {
            assert.deepEqual(
                await validate(eventbridgeTargetDeadLetterQueue, EVENT_TARGET_TYPE, { deadLetterConfig }),
                [],
            );
        }
    });
});
