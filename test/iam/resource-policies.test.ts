import { strict as assert } from "node:assert";
import * as names from "../../model/names";
import { approverPolicy } from "../../model/iam/approver-policy";
import { buildRolePolicy } from "../../model/iam/build-role";
import { type PolicyDocument } from "../../model/iam/document";
import { pipelineRolePolicy } from "../../model/iam/pipeline-role";
import { topicPolicy } from "../../model/iam/topic-policy";
import { assumeRolePolicy } from "../../model/iam/trust";
import {
    ACCOUNT,
    approvalTopic,
    BUCKET,
    CROSS_ACCOUNT_DEPLOY_ROLE,
    ctx,
    environmentPlan,
    FOREIGN_KEY_ARN,
    KEY_ARN,
    model,
    OTHER_ACCOUNT,
    REGION,
    refs,
    services,
} from "./fixtures";
import { arn, artifact, bucketPolicy, keyPolicy, role } from "./requests";
import { decide, decisions, req, unexpected, type Caller } from "./sim";

const allowAll = (actions: string[], resources: string[]): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "Grant", Effect: "Allow", Action: actions, Resource: resources }],
});

const pipelineRole: Caller = {
    principal: names.roleArn(ctx, "web", "pipeline"),
    identity: [pipelineRolePolicy(ctx, model("web"), services.web, refs)],
};
const buildRole: Caller = {
    principal: names.roleArn(ctx, "web", "build"),
    identity: [buildRolePolicy(ctx, model("web"), services.web, refs)],
};

describe("environment key policy (simulated)", () => {
    const onKey = (caller: Caller, action: string, context?: Record<string, string>) =>
        decide(caller, req(action, KEY_ARN, context), keyPolicy);

    it("leaves administration, deletion included, to IAM policies of the account (the deployer's)", async () => {
        const deployer: Caller = {
            principal: role("pulumi-deployer"),
            identity: [
                allowAll(
                    ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:Decrypt"],
                    [KEY_ARN],
                ),
            ],
        };
        assert.equal(await onKey(deployer, "kms:ScheduleKeyDeletion"), "Allowed");
        assert.equal(await onKey(deployer, "kms:PutKeyPolicy"), "Allowed");
        assert.equal(await onKey(deployer, "kms:EnableKeyRotation"), "Allowed");
        // ...but not cryptographic use: the deployer is not a role of the environment.
        assert.notEqual(await onKey(deployer, "kms:Decrypt"), "Allowed");
    });

    it("lets environment roles use the key only as far as their own policies allow", async () => {
        assert.equal(await onKey(pipelineRole, "kms:GenerateDataKey"), "Allowed");
        assert.notEqual(await onKey({ principal: pipelineRole.principal, identity: [] }, "kms:Decrypt"), "Allowed");
        assert.notEqual(await onKey(buildRole, "kms:ScheduleKeyDeletion"), "Allowed");
        assert.notEqual(await onKey(buildRole, "kms:CreateGrant"), "Allowed");
    });

    // The simulator drops `kms:EncryptionContext:aws:logs:arn` (its context key has colons in the variable part), so
    // the simulator proves the gate is closed without a matching context and the document shows what opens it.
    it("lets CloudWatch Logs use it for the environment's log groups only", async () => {
        const logs: Caller = { principal: `logs.${REGION}.amazonaws.com`, identity: [] };
        assert.notEqual(await onKey(logs, "kms:GenerateDataKey"), "Allowed");
        const statement = keyPolicy.Statement.filter((s) => JSON.stringify(s.Principal).includes("logs."));
        assert.deepEqual(
            statement.map((s) => s.Condition),
            [
                {
                    ArnLike: {
                        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/cicd/prod/*`,
                    },
                },
            ],
        );
        assert.ok(
            names.logGroupName(ctx, "web-prod-build").startsWith(names.logGroupPrefix(ctx)),
            "build log groups sit under the prefix the key trusts",
        );
    });

    it("lets CodeStar Notifications use it through SNS only", async () => {
        const notifications: Caller = { principal: "codestar-notifications.amazonaws.com", identity: [] };
        assert.equal(
            await onKey(notifications, "kms:GenerateDataKey", { "kms:ViaService": `sns.${REGION}.amazonaws.com` }),
            "Allowed",
        );
        assert.notEqual(await onKey(notifications, "kms:GenerateDataKey"), "Allowed");
        assert.notEqual(
            await onKey(notifications, "kms:Encrypt", { "kms:ViaService": `sns.${REGION}.amazonaws.com` }),
            "Allowed",
        );
    });

    // The simulator drops `kms:EncryptionContext:aws:s3:arn` (as it does the logs key above), so it proves the gate
    // is closed outside S3 and the document shows the conditions that open it.
    it("lets cross-account deploy roles decrypt artifacts through S3 only, and nothing else", async () => {
        const deployer: Caller = {
            principal: CROSS_ACCOUNT_DEPLOY_ROLE,
            identity: [allowAll(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], [KEY_ARN])],
        };
        assert.notEqual(await onKey(deployer, "kms:Decrypt"), "Allowed");
        assert.notEqual(
            await onKey(deployer, "kms:Decrypt", { "kms:ViaService": `sns.${REGION}.amazonaws.com` }),
            "Allowed",
        );
        const grants = keyPolicy.Statement.filter((s) => JSON.stringify(s.Principal).includes(OTHER_ACCOUNT));
        assert.deepEqual(
            grants.map((s) => [s.Principal, s.Action, s.Condition]),
            [
                [
                    { AWS: CROSS_ACCOUNT_DEPLOY_ROLE },
                    ["kms:Decrypt"],
                    {
                        StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` },
                        // The bucket's ARN (Bucket Key) or one of its objects' (no Bucket Key), never another bucket.
                        StringLike: {
                            "kms:EncryptionContext:aws:s3:arn": [
                                names.bucketArn(ctx, BUCKET),
                                `${names.bucketArn(ctx, BUCKET)}/*`,
                            ],
                        },
                    },
                ],
            ],
        );
        assert.notEqual(await onKey(deployer, "kms:Encrypt"), "Allowed");
        assert.notEqual(await onKey(deployer, "kms:GenerateDataKey"), "Allowed");
        const stranger: Caller = {
            principal: role("admin", "999988887777"),
            identity: [allowAll(["kms:Decrypt"], [KEY_ARN])],
        };
        assert.notEqual(await onKey(stranger, "kms:Decrypt"), "Allowed");
    });
});

describe("artifact bucket policy (simulated)", () => {
    const put = (caller: Caller, headers: Record<string, string>) =>
        decide(caller, req("s3:PutObject", artifact("web"), headers), bucketPolicy);

    it("accepts uploads that rely on default encryption or name our key", async () => {
        assert.equal(await put(pipelineRole, {}), "Allowed");
        assert.equal(
            await put(pipelineRole, {
                "s3:x-amz-server-side-encryption": "aws:kms",
                "s3:x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN,
            }),
            "Allowed",
        );
    });

    it("refuses uploads that ask for another encryption or another key", async () => {
        const got = {
            aes: await put(pipelineRole, { "s3:x-amz-server-side-encryption": "AES256" }),
            foreignKey: await put(pipelineRole, {
                "s3:x-amz-server-side-encryption": "aws:kms",
                "s3:x-amz-server-side-encryption-aws-kms-key-id": FOREIGN_KEY_ARN,
            }),
            awsManagedKey: await put(pipelineRole, { "s3:x-amz-server-side-encryption": "aws:kms" }),
            keyWithoutAlgorithm: await put(pipelineRole, {
                "s3:x-amz-server-side-encryption-aws-kms-key-id": FOREIGN_KEY_ARN,
            }),
        };
        assert.deepEqual(got, {
            aes: "ExplicitlyDenied",
            foreignKey: "ExplicitlyDenied",
            awsManagedKey: "ExplicitlyDenied",
            keyWithoutAlgorithm: "ExplicitlyDenied",
        });
    });

    it("refuses every request without TLS, even ones the caller's policy allows", async () => {
        const got = await decisions(
            pipelineRole,
            [
                req("s3:GetObject", artifact("web"), { "aws:SecureTransport": "false" }),
                req("s3:PutObject", artifact("web"), { "aws:SecureTransport": "false" }),
            ],
            () => bucketPolicy,
        );
        assert.deepEqual(unexpected(got, "ExplicitlyDenied"), {});
    });

    it("lets cross-account deploy roles read artifacts but not write them", async () => {
        const deployer: Caller = {
            principal: CROSS_ACCOUNT_DEPLOY_ROLE,
            identity: [
                allowAll(
                    ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                    [`${names.bucketArn(ctx, names.artifactBucketName(ctx))}/*`],
                ),
            ],
        };
        assert.equal(
            await decide(
                deployer,
                { ...req("s3:GetObject", artifact("remoteSite")), resourceAccount: ACCOUNT },
                bucketPolicy,
            ),
            "Allowed",
        );
        assert.notEqual(
            await decide(
                deployer,
                { ...req("s3:PutObject", artifact("remoteSite")), resourceAccount: ACCOUNT },
                bucketPolicy,
            ),
            "Allowed",
        );
        // Only the folders of the pipelines that deploy into the deployer's account.
        for (const id of ["web", "worker", "site"] as const)
            assert.notEqual(
                await decide(
                    deployer,
                    { ...req("s3:GetObject", artifact(id)), resourceAccount: ACCOUNT },
                    bucketPolicy,
                ),
                "Allowed",
                id,
            );
        assert.equal(
            await decide(
                deployer,
                { ...req("s3:GetObject", artifact("remoteWorker")), resourceAccount: ACCOUNT },
                bucketPolicy,
            ),
            "Allowed",
        );
        assert.notEqual(
            await decide(
                deployer,
                { ...req("s3:DeleteObject", artifact("remoteSite")), resourceAccount: ACCOUNT },
                bucketPolicy,
            ),
            "Allowed",
        );
    });
});

describe("topic policy (simulated)", () => {
    const notifications: Caller = { principal: "codestar-notifications.amazonaws.com", identity: [] };
    const publish = (caller: Caller, doc: PolicyDocument, context: Record<string, string> = {}) =>
        decide(caller, req("sns:Publish", approvalTopic("web"), context), doc);

    it("lets notification rules of this account publish when asked to", async () => {
        const doc = topicPolicy(ctx, { topicArn: approvalTopic("web"), allowNotifications: true });
        assert.equal(await publish(notifications, doc, { "aws:SourceAccount": ACCOUNT }), "Allowed");
        assert.notEqual(await publish(notifications, doc, { "aws:SourceAccount": OTHER_ACCOUNT }), "Allowed");
        assert.notEqual(
            await publish(
                notifications,
                topicPolicy(ctx, { topicArn: approvalTopic("web"), allowNotifications: false }),
                {
                    "aws:SourceAccount": ACCOUNT,
                },
            ),
            "Allowed",
        );
    });

    it("refuses publishing without TLS, even to roles allowed to publish", async () => {
        const doc = topicPolicy(ctx, { topicArn: approvalTopic("web"), allowNotifications: false });
        assert.equal(await publish(pipelineRole, doc), "Allowed");
        assert.equal(await publish(pipelineRole, doc, { "aws:SecureTransport": "false" }), "ExplicitlyDenied");
    });
});

describe("approver policy (simulated)", () => {
    const pipeline = model("web").pipelineName;
    const approver: Caller = {
        principal: role("release-manager"),
        identity: [approverPolicy(ctx, { service: "web", stageName: "Approve", actionName: "Approve" })],
    };

    it("approves exactly one action, reads its pipeline and finds it in the console's list", async () => {
        const got = await decisions(approver, [
            req("codepipeline:ListPipelines", "*"),
            req("codepipeline:PutApprovalResult", arn("codepipeline", `${pipeline}/Approve/Approve`)),
            ...["GetPipeline", "GetPipelineState", "GetPipelineExecution"].map((a) =>
                req(`codepipeline:${a}`, names.pipelineArn(ctx, "web")),
            ),
        ]);
        assert.deepEqual(unexpected(got, "Allowed"), {});
    });

    it("cannot approve anything else or change the pipeline", async () => {
        const got = await decisions(approver, [
            req("codepipeline:PutApprovalResult", arn("codepipeline", `${pipeline}/Approve/Other`)),
            req("codepipeline:PutApprovalResult", arn("codepipeline", `${pipeline}/Deploy/Approve`)),
            req(
                "codepipeline:PutApprovalResult",
                arn("codepipeline", `${model("worker").pipelineName}/Approve/Approve`),
            ),
            req("codepipeline:GetPipeline", names.pipelineArn(ctx, "worker")),
            req("codepipeline:UpdatePipeline", names.pipelineArn(ctx, "web")),
            req("codepipeline:StartPipelineExecution", names.pipelineArn(ctx, "web")),
        ]);
        assert.deepEqual(unexpected(got, "ImplicitlyDenied"), {});
    });
});

describe("trust policies (simulated)", () => {
    const pipelineArn = names.pipelineArn(ctx, "web");
    const trust = environmentPlan.pipelines.find((p) => p.service === "web")!.roleDefinitions[0].trustPolicy;
    const assume = (principal: string, context: Record<string, string>) =>
        decide(
            { principal, identity: [] },
            req("sts:AssumeRole", names.roleArn(ctx, "web", "pipeline"), context),
            trust,
        );

    it("lets CodePipeline assume the role for this account's and region's pipelines only", async () => {
        const got = {
            own: await assume("codepipeline.amazonaws.com", {
                "aws:SourceAccount": ACCOUNT,
                "aws:SourceArn": pipelineArn,
            }),
            otherAccount: await assume("codepipeline.amazonaws.com", {
                "aws:SourceAccount": OTHER_ACCOUNT,
                "aws:SourceArn": pipelineArn.replace(ACCOUNT, OTHER_ACCOUNT),
            }),
            // Account-wide on purpose: AWS does not document that CreatePipeline's role check sends this pipeline's
            // ARN, so the trust cannot name it (see model/iam/trust.ts).
            otherPipeline: await assume("codepipeline.amazonaws.com", {
                "aws:SourceAccount": ACCOUNT,
                "aws:SourceArn": names.pipelineArn(ctx, "worker"),
            }),
            otherRegion: await assume("codepipeline.amazonaws.com", {
                "aws:SourceAccount": ACCOUNT,
                "aws:SourceArn": pipelineArn.replace(REGION, "us-east-1"),
            }),
            noSourceAccount: await assume("codepipeline.amazonaws.com", { "aws:SourceArn": pipelineArn }),
            noKeys: await assume("codepipeline.amazonaws.com", {}),
            otherService: await assume("codebuild.amazonaws.com", {
                "aws:SourceAccount": ACCOUNT,
                "aws:SourceArn": pipelineArn,
            }),
            user: await assume(role("developer"), {}),
        };
        assert.deepEqual(got, {
            own: "Allowed",
            otherAccount: "ImplicitlyDenied",
            otherPipeline: "Allowed",
            otherRegion: "ImplicitlyDenied",
            // AWS does not document that CodePipeline sends the keys: absent, they do not block (model/iam/trust.ts).
            noSourceAccount: "Allowed",
            noKeys: "Allowed",
            otherService: "ImplicitlyDenied",
            user: "ImplicitlyDenied",
        });
    });

    it("lets CodeDeploy assume its role without the keys, never for another account; CodeBuild needs them", async () => {
        const deployRole = names.roleArn(ctx, "web", "deploy");
        const buildRole = names.roleArn(ctx, "web", "build");
        const as = (principal: string, roleArn: string, doc: PolicyDocument, context: Record<string, string>) =>
            decide({ principal, identity: [] }, req("sts:AssumeRole", roleArn, context), doc);
        const codeDeploy = assumeRolePolicy(ctx, "codedeploy.amazonaws.com");
        const codeBuild = assumeRolePolicy(ctx, "codebuild.amazonaws.com");
        assert.deepEqual(
            {
                deployNoKeys: await as("codedeploy.amazonaws.com", deployRole, codeDeploy, {}),
                deployOtherAccount: await as("codedeploy.amazonaws.com", deployRole, codeDeploy, {
                    "aws:SourceAccount": OTHER_ACCOUNT,
                }),
                buildNoKeys: await as("codebuild.amazonaws.com", buildRole, codeBuild, {}),
                buildOwn: await as("codebuild.amazonaws.com", buildRole, codeBuild, { "aws:SourceAccount": ACCOUNT }),
            },
            {
                deployNoKeys: "Allowed",
                deployOtherAccount: "ImplicitlyDenied",
                buildNoKeys: "ImplicitlyDenied",
                buildOwn: "Allowed",
            },
        );
    });

    it("without a source ARN still pins the source account", async () => {
        const doc = assumeRolePolicy(ctx, "codedeploy.amazonaws.com");
        const roleArn = names.roleArn(ctx, "web", "deploy");
        assert.equal(
            await decide(
                { principal: "codedeploy.amazonaws.com", identity: [] },
                req("sts:AssumeRole", roleArn, { "aws:SourceAccount": ACCOUNT }),
                doc,
            ),
            "Allowed",
        );
        assert.notEqual(
            await decide(
                { principal: "codedeploy.amazonaws.com", identity: [] },
                req("sts:AssumeRole", roleArn, { "aws:SourceAccount": OTHER_ACCOUNT }),
                doc,
            ),
            "Allowed",
        );
    });
});
