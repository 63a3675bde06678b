/**
 * fast-check generators of hostile resources: the types our policies look at plus other
 * providers', with property bags mixing the keys policies read, wrong types, unknown sentinels,
 * secrets, nested junk and JSON strings that look like (broken) IAM documents.
 */
import fc from "fast-check";
import { AnalyzerResource, secret, UNKNOWN } from "../../harness";

export const RESOURCE_TYPES = [
    "aws:codepipeline/pipeline:Pipeline",
    "aws:codebuild/project:Project",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:kms/key:Key",
    "aws:sns/topic:Topic",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:ecr/repository:Repository",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/userPolicy:UserPolicy",
    "aws:codebuild/reportGroup:ReportGroup",
    "aws:kms/keyPolicy:KeyPolicy",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:cloudwatch/eventTarget:EventTarget",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
    "gcp:storage/bucket:Bucket",
    "azure-native:storage:StorageAccount",
    "random:index/randomId:RandomId",
    "pulumi:pulumi:Stack",
    "pulumi:providers:aws",
];

// Keys the policies read, so generated bags reach past the first presence check.
const KEYS = [
    "tags",
    "policy",
    "assumeRolePolicy",
    "inlinePolicies",
    "policyArn",
    "managedPolicyArns",
    "role",
    "roles",
    "stages",
    "artifactStores",
    "artifactStore",
    "encryptionKey",
    "executionMode",
    "pipelineType",
    "actions",
    "configuration",
    "category",
    "provider",
    "runOrder",
    "name",
    "bucket",
    "rules",
    "applyServerSideEncryptionByDefault",
    "sseAlgorithm",
    "kmsMasterKeyId",
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
    "enableKeyRotation",
    "keyUsage",
    "customerMasterKeySpec",
    "keySpec",
    "kmsKeyId",
    "encryptionKeyArn",
    "environment",
    "environmentVariables",
    "privilegedMode",
    "imageScanningConfiguration",
    "scanOnPush",
    "imageTagMutability",
    "encryptionConfigurations",
    "retentionInDays",
    "Statement",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "Condition",
    "Version",
    "arn",
    "id",
    "value",
    "type",
    "NotificationArn",
    "policy-exemption:iam-no-wildcard-actions",
    "serverSideEncryptionConfiguration",
    "serverSideEncryptionConfigurations",
    "applyServerSideEncryptionByDefaults",
    "rule",
    "source",
    "buildspec",
    "location",
    "secondarySources",
    "logsConfig",
    "s3Logs",
    "cloudwatchLogs",
    "status",
    "encryptionDisabled",
    "exportConfig",
    "s3Destination",
    "artifacts",
    "secondaryArtifacts",
    "image",
    "imagePullCredentialsType",
    "registryCredential",
    "owner",
    "PollForSourceChanges",
    "timeoutInMinutes",
    "S3Bucket",
    "versioning",
    "versioningConfiguration",
    "deadLetterConfig",
    "NotPrincipal",
    "ActionMode",
    "ProjectName",
    "EnvironmentVariables",
    "RoleArn",
    "roleArn",
    "defaultTags",
    "allowedAccountIds",
    "assumeRoles",
    "cicd:tier",
    "cicd:builds-images",
    "path",
    "commands",
    "Commands",
    "variables",
    "defaultValue",
    "env",
    "managedPolicyArn",
    "AWS",
    "Federated",
    "token.actions.githubusercontent.com:sub",
];

const IAM_ACTIONS = [
    "*",
    "s3:*",
    "s3:GetObject",
    "iam:PassRole",
    "iam:CreatePolicyVersion",
    "kms:Decrypt",
    "lambda:*",
    "s3:*Object",
    "*:Get*",
    "?",
    ":",
];

const leaf = fc.oneof(
    fc.constant(UNKNOWN),
    fc.constant("1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"),
    fc.constant("dd056dcd-154b-4c76-9bd3-c8f88648b5ff"),
    fc.constantFrom(...IAM_ACTIONS, "arn:aws:s3:::b/*", "Allow", "Deny", "Manual", "Deploy", "PARALLEL", "KMS"),
    fc.constantFrom(
        "arn:aws:iam::*:role/*",
        "arn:aws:*:*:*:*",
        "arn:aws:iam::111111111111:role/deployer",
        "CHANGE_SET_REPLACE",
        "CHANGE_SET_EXECUTE",
        "CodeBuild",
        "CloudFormation",
        "production",
        "version: 0.2\nphases:\n  build:\n    commands:\n      - pulumi up --yes\n      - docker push x",
        "phases: [: not yaml",
        '[{"name":"GITHUB_PAT","value":"ghp_0123456789abcdefABCDEF0123456789abcd","type":"PLAINTEXT"}]',
        '{"tags":{"cicd:tier":"production"}}',
        "postgres://u:p@h/db",
        "Compute",
        "Commands",
        "arn:aws:iam::111111111111:root",
        "111111111111",
        "repo:my-org*",
        "version: 0.2\nenv:\n  variables:\n    TOKEN: ghp_0123456789abcdefABCDEF0123456789abcd\nphases:\n  build:\n    commands: make deploy",
        '["aws ecs update-service --service s", 3]',
    ),
    fc.constantFrom(
        "until=2020-01-01 reason=x",
        "until=2099-01-01",
        "alias/aws/s3",
        "arn:aws:iam::aws:policy/AdministratorAccess",
    ),
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
);

const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 }));

/** Arbitrary JSON-ish values with unknowns and secrets at any depth. */
export const junk: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(key, tie("value"), { maxKeys: 5 }),
        tie("value").map((v) => secret(v)),
        tie("value").map((v) => JSON.stringify(v)),
    ),
})).value;

/** A JSON string shaped like an IAM policy document, with random statement parts. */
export const iamDocument: fc.Arbitrary<string> = fc
    .array(
        fc.record(
            {
                Effect: fc.oneof(fc.constantFrom("Allow", "Deny"), junk),
                Action: fc.oneof(fc.constantFrom(...IAM_ACTIONS), fc.array(fc.constantFrom(...IAM_ACTIONS)), junk),
                Resource: fc.oneof(fc.constantFrom("*", "arn:aws:s3:::b/*"), junk),
                NotAction: fc.oneof(fc.constantFrom(...IAM_ACTIONS), junk),
                Principal: fc.oneof(fc.constantFrom({ AWS: "111111111111" }, { AWS: ["arn:aws:iam::1:root"] }), junk),
                Condition: junk,
            },
            { requiredKeys: [] },
        ),
        { maxLength: 3 },
    )
    .chain((statements) =>
        // Statements as objects, as JSON strings (built in an apply), or the whole Statement as one JSON string.
        fc.constantFrom(
            statements,
            statements.map((st) => JSON.stringify(st)),
            JSON.stringify(statements),
            statements[0] ?? {},
        ),
    )
    .map((statements) => JSON.stringify({ Version: "2012-10-17", Statement: statements }));

const bag = fc.dictionary(key, fc.oneof(junk, iamDocument), { maxKeys: 8 });

/** One resource of a random type with a random property bag. */
export const hostileResource: fc.Arbitrary<AnalyzerResource> = fc
    .record({
        type: fc.constantFrom(...RESOURCE_TYPES),
        name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
        properties: bag,
    })
    .map(({ type, name, properties }) => ({
        type,
        name,
        urn: `urn:pulumi:${name.length % 2 ? "prod" : "dev"}::fuzz::${type}::${name}`,
        properties,
    }));

/** A stack of hostile resources wired with random parents and (property) dependencies. */
export const hostileStack: fc.Arbitrary<AnalyzerResource[]> = fc
    .array(hostileResource, { minLength: 1, maxLength: 12 })
    .chain((resources) =>
        fc.tuple(
            fc.constant(resources),
            fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...KEYS)), { maxLength: 12 }),
        ),
    )
    .map(([resources, links]) => {
        const out = resources.map((r, i) => ({
            ...r,
            urn: `${r.urn}-${i}`,
            propertyDependencies: {} as Record<string, string[]>,
        }));
        for (const [a, b, prop] of links) {
            const from = out[a % out.length];
            const to = out[b % out.length];
            // The engine registers parents first, so parent chains never loop.
            if (b % out.length < a % out.length) {
                from.parent = to.urn;
            }
            from.dependencies = [...(from.dependencies ?? []), to.urn];
            from.propertyDependencies[prop] = [...(from.propertyDependencies[prop] ?? []), to.urn, "urn:missing"];
        }
        return out;
    });
