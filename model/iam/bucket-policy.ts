import { bucketArn, type NameContext } from "../names";
import { policy, sidPart, type PolicyDocument, type Statement } from "./document";

/** A role in another account that deploys the artifacts of some of the environment's pipelines. */
export interface CrossAccountReader {
    readonly accountId: string;
    readonly roleArn: string;
    /** Artifact folders of the pipelines that deploy into that account (never empty). */
    readonly folders: readonly string[];
}

/**
 * The environment's artifact bucket policy.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/security_iam_resource-based-policy-examples.html
 */
export function artifactBucketPolicy(
    ctx: NameContext,
    opts: { bucketName: string; keyArn: string; crossAccountReaders: readonly CrossAccountReader[] },
): PolicyDocument {
    const bucket = bucketArn(ctx, opts.bucketName);
    const statements: Statement[] = baseBucketDenies(bucket, opts.keyArn);
    // Each deploy role reads only the artifact folders of the pipelines that deploy into its account.
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html
    for (const reader of opts.crossAccountReaders) {
        statements.push({
            Sid: `DeployerReadsArtifacts${sidPart(reader.accountId)}`,
            Effect: "Allow",
            Principal: { AWS: reader.roleArn },
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            Resource: reader.folders.map((folder) => `${bucket}/${folder}/*`),
        });
        statements.push({
            Sid: `DeployerLocatesBucket${sidPart(reader.accountId)}`,
            Effect: "Allow",
            Principal: { AWS: reader.roleArn },
            Action: ["s3:GetBucketLocation"],
            Resource: [bucket],
        });
    }
    return policy(statements);
}

/**
 * What every platform bucket denies: plain HTTP, and uploads that ask for another encryption or key. A Deny on every
 * S3 action is the only sound TLS rule (a list would miss future actions); a `*` in a Deny takes permissions away,
 * it never grants. https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export function baseBucketDenies(bucket: string, keyArn: string): Statement[] {
    const objects = `${bucket}/*`;
    return [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:*"],
            Resource: [bucket, objects],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...encryptionDenies(objects, keyArn),
    ];
}

/**
 * Uploads that name an encryption must name ours. Conditions in one statement are ANDed, and a `StringNotEquals`
 * on a key that is absent from the request evaluates to true, so each Deny pairs it with `Null: false` ("the
 * header is present"). An upload without the headers is not denied: the bucket's default encryption (SSE-KMS with
 * this key) applies to it. An upload that asks for `aws:kms` without naming a key would get the AWS managed key
 * (aws/s3), outside this key policy's control, so that is denied too. Writers that name a key must name it by
 * ARN, as the components configure CodePipeline and CodeBuild to.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 */
function encryptionDenies(objects: string, keyArn: string): Statement[] {
    return [
        {
            Sid: "DenyOtherEncryption",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:PutObject"],
            Resource: [objects],
            Condition: {
                Null: { "s3:x-amz-server-side-encryption": "false" },
                StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
            },
        },
        {
            Sid: "DenyOtherKey",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:PutObject"],
            Resource: [objects],
            Condition: {
                Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
                StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn },
            },
        },
        {
            Sid: "DenyKmsWithoutKey",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:PutObject"],
            Resource: [objects],
            Condition: {
                StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
                Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
            },
        },
    ];
}
