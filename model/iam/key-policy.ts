import {
    accountRootArn,
    bucketArn,
    environmentRoleArnPattern,
    logGroupArn,
    logGroupPrefix,
    type NameContext,
} from "../names";
import type { CrossAccountReader } from "./bucket-policy";
import { alarmsUseKeyStatement } from "../metrics/iam";
import { policy, sidPart, type PolicyDocument, type Statement } from "./document";

/**
 * In a key policy `Resource: "*"` means "the key this policy is attached to", never other keys, so every statement
 * below uses it. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
 */
const THIS_KEY = ["*"];

/**
 * Managing the key, delegated to the account: IAM policies then decide who may (the deployer's role). Listed
 * instead of `kms:*`, so no identity policy can make this key do anything else (no cryptographic use through this
 * statement). PutKeyPolicy must stay: KMS refuses a policy that would lock its creator out.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 */
const ADMIN_ACTIONS = [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:PutKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:ListResourceTags",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateKeyDescription",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:ListGrants",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
];

/** What S3 (SSE-KMS), CodeBuild and CloudWatch Logs use a key for, spelled out. */
export const KEY_USAGE_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
];

/**
 * The key of one environment, shared by its pipelines. Cryptographic use is limited to the environment's roles
 * (matched by IAM path, so roles created later are covered), its log groups and encrypted notification topics;
 * cross-account deploy roles may only decrypt the artifacts they deploy.
 */
export function artifactKeyPolicy(
    ctx: NameContext,
    opts: {
        bucketName: string;
        crossAccountReaders: readonly CrossAccountReader[];
        /** Release chain: the upstream release roles' statement (`model/iam/release-bucket-policy.ts`). @default [] */
        releaseWriters?: readonly Statement[];
        /** Instance roles whose CodeDeploy agent downloads revisions (EC2 deploys). @default [] */
        revisionReaders?: readonly string[];
        /** The environment's events dead-letter queue, which EventBridge writes through SQS. @default none */
        eventsDeadLetterQueueArn?: string;
    },
): PolicyDocument {
    const account = accountRootArn(ctx);
    const statements: Statement[] = [
        {
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: account },
            Action: ADMIN_ACTIONS,
            Resource: THIS_KEY,
        },
        {
            Sid: "EnvironmentRolesUseKey",
            Effect: "Allow",
            Principal: { AWS: account },
            Action: KEY_USAGE_ACTIONS,
            Resource: THIS_KEY,
            Condition: { ArnLike: { "aws:PrincipalArn": environmentRoleArnPattern(ctx) } },
        },
        logsStatement(ctx),
        notificationsStatement(ctx),
        alarmsUseKeyStatement(),
    ];
    for (const reader of opts.crossAccountReaders) statements.push(deployerDecrypts(ctx, opts.bucketName, reader));
    statements.push(...(opts.releaseWriters ?? []));
    if (opts.revisionReaders?.length) statements.push(instancesDecrypt(ctx, opts.bucketName, opts.revisionReaders));
    if (opts.eventsDeadLetterQueueArn)
        statements.push(
            eventsDeadLetterStatement(ctx, opts.eventsDeadLetterQueueArn),
            deadLetterReadersStatement(ctx, opts.eventsDeadLetterQueueArn),
        );
    return policy(statements);
}

/**
 * CloudWatch Logs encrypts the environment's log groups with the key; the encryption context names the log group,
 * so the service may use the key for this environment's log groups only.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
function logsStatement(ctx: NameContext): Statement {
    return {
        Sid: "LogsEncryptEnvironmentLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
        Action: [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
            "kms:GenerateDataKey",
            "kms:DescribeKey",
        ],
        Resource: THIS_KEY,
        Condition: {
            ArnLike: {
                "kms:EncryptionContext:aws:logs:arn": logGroupArn(ctx, `${logGroupPrefix(ctx)}*`),
            },
        },
    };
}

/**
 * Notification rules publish to topics encrypted with this key: CodeStar Notifications needs a data key, and only
 * through SNS in this region (SNS calls KMS for it, so no source-account key reaches KMS; the topic policy checks
 * the source account instead).
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html
 */
function notificationsStatement(ctx: NameContext): Statement {
    return {
        Sid: "NotificationsUseKeyViaSns",
        Effect: "Allow",
        Principal: { Service: "codestar-notifications.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: THIS_KEY,
        Condition: { StringEquals: { "kms:ViaService": `sns.${ctx.region}.amazonaws.com` } },
    };
}

/**
 * EventBridge sends what a target could not take to the environment's dead-letter queue, encrypted with this key:
 * the EventBridge guide asks for `kms:Decrypt` and `kms:GenerateDataKey` for `events.amazonaws.com` in the key
 * policy of an encrypted SQS target or dead-letter queue, with no condition.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html#compatibility-with-aws-services
 * Narrowed here to requests SQS makes in this region (`kms:ViaService`, which KMS documents for SQS,
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service) for this one
 * queue, by the encryption context `aws:sqs:arn` (the queue's ARN). Neither the SQS nor the KMS guide documents SQS's
 * encryption context; `aws:sqs:arn` is what SQS is known to send, not a documented contract. Should SQS send another,
 * the statement fails closed: EventBridge counts the events in `InvocationsFailedToBeSentToDLQ` and sends them
 * nowhere else (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html); dropping the context
 * condition would then leave ViaService and the queue policy as the gates.
 * No `aws:SourceAccount` here: AWS does not document that it reaches KMS through SQS (as with SNS above), and the
 * queue's ARN already names this account; the queue policy checks the source account and rule.
 */
function eventsDeadLetterStatement(ctx: NameContext, queueArn: string): Statement {
    return {
        Sid: "EventsUseKeyForDeadLetterQueue",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: THIS_KEY,
        Condition: {
            StringEquals: {
                "kms:ViaService": `sqs.${ctx.region}.amazonaws.com`,
                "kms:EncryptionContext:aws:sqs:arn": queueArn,
            },
        },
    };
}

/**
 * Whoever inspects or redrives the dead-letter queue (an operator, not an environment role) must decrypt its
 * messages: a consumer of an encrypted queue needs `kms:Decrypt`.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 * Delegated to the account's IAM policies, as SQS reads that one queue only (same `kms:ViaService` and encryption
 * context as above), so an identity policy can grant reading the queue and nothing else the key protects.
 */
function deadLetterReadersStatement(ctx: NameContext, queueArn: string): Statement {
    return {
        Sid: "AccountDecryptsDeadLetterQueue",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(ctx) },
        Action: ["kms:Decrypt"],
        Resource: THIS_KEY,
        Condition: {
            StringEquals: {
                "kms:ViaService": `sqs.${ctx.region}.amazonaws.com`,
                "kms:EncryptionContext:aws:sqs:arn": queueArn,
            },
        },
    };
}

/**
 * A cross-account deploy role decrypts artifacts only as S3 reads them for it (`kms:ViaService`), and only objects
 * of the artifact bucket. With S3 Bucket Keys the encryption context is the bucket's ARN, not the object's, so KMS
 * cannot tell folders apart: the bucket policy limits the role to its pipelines' folders.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html#bucket-key-changes
 */
function deployerDecrypts(ctx: NameContext, bucketName: string, reader: CrossAccountReader): Statement {
    return decryptThroughS3(ctx, bucketName, `DeployerDecryptsArtifacts${sidPart(reader.accountId)}`, reader.roleArn);
}

/**
 * The instance roles of EC2 deploys decrypt revisions only as S3 reads them from the artifact bucket; their own
 * policy (`revisionReaderPolicy`) limits them to their pipeline's folder.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
function instancesDecrypt(ctx: NameContext, bucketName: string, roles: readonly string[]): Statement {
    return decryptThroughS3(ctx, bucketName, "InstancesDecryptRevisions", [...roles]);
}

/**
 * Decrypt only as S3 reads an object of the artifact bucket. S3 documents the encryption context as the bucket's ARN
 * for objects encrypted with an S3 Bucket Key and the object's ARN otherwise
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context); it does not
 * document that every object of a bucket with Bucket Keys on carries the bucket's ARN (an object written before the
 * setting, or by a request that turned it off, keeps its own). Both forms are accepted, and both name this bucket
 * only, so a read still works if the Bucket Key context is absent without reaching any other bucket.
 */
function decryptThroughS3(ctx: NameContext, bucketName: string, sid: string, principal: string | string[]): Statement {
    const bucket = bucketArn(ctx, bucketName);
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: ["kms:Decrypt"],
        Resource: THIS_KEY,
        Condition: {
            StringEquals: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket, `${bucket}/*`] },
        },
    };
}
