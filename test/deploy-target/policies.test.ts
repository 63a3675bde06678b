import * as assert from "assert";
import { permissionsPolicy, trustPolicy } from "../../deploy-target/policies";
import { planTarget, type TargetPlan } from "../../deploy-target/target-plan";
import { artifactBucketPolicy } from "../../model/iam/bucket-policy";
import { artifactKeyPolicy } from "../../model/iam/key-policy";
import type { PolicyDocument } from "../../model/iam/document";
import { decide, type Decision, type Request } from "../iam/sim";
import {
    DEPLOY_ROLE,
    mainStack,
    OTHER_TARGET,
    PIPELINE_ACCOUNT,
    REGION,
    TARGET_ACCOUNT,
    TASK_ROLE,
} from "./fixtures/main-stack";

const plan: TargetPlan = planTarget({ pipelineStack: "prod", accountId: TARGET_ACCOUNT }, mainStack());
const BUCKET = plan.artifactBucket;
const KEY = `arn:aws:kms:${REGION}:${PIPELINE_ACCOUNT}:key/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e`;
const OTHER_KEY = `arn:aws:kms:${REGION}:${PIPELINE_ACCOUNT}:key/99999999-6b7a-4a8e-9d0a-2f4a9b1c3d5e`;
const VIA_S3 = { "kms:ViaService": `s3.${REGION}.amazonaws.com` };

/** The pipeline account's own resource policies for the same role, as the main program writes them. */
const readers = [
    { accountId: TARGET_ACCOUNT, roleArn: DEPLOY_ROLE, folders: plan.pipelines.map((p) => p.artifactFolder) },
];
const bucketPolicy = artifactBucketPolicy(plan.pipeline, {
    bucketName: BUCKET,
    keyArn: KEY,
    crossAccountReaders: readers,
});
/**
 * The key policy as the simulator can evaluate it. Its Strict mode drops `kms:EncryptionContext:aws:s3:arn` (the
 * context key has colons in its variable part), so that one condition is taken out here; test/iam/
 * resource-policies.test.ts pins it on the document. Everything else (ViaService, the principal) is evaluated.
 */
const keyPolicy: PolicyDocument = (() => {
    const document = artifactKeyPolicy(plan.pipeline, { bucketName: BUCKET, crossAccountReaders: readers });
    for (const statement of document.Statement) {
        for (const operator of ["StringEquals", "StringLike"]) {
            const block = statement.Condition?.[operator];
            if (block) delete block["kms:EncryptionContext:aws:s3:arn"];
            if (block && Object.keys(block).length === 0) delete statement.Condition![operator];
        }
    }
    return document;
})();

const pipelineRole = (service: string, account = PIPELINE_ACCOUNT) =>
    `arn:aws:iam::${account}:role/cicd/prod/${service}-prod-pipeline`;

/** A caller in the pipeline account whose own policy lets it assume the deploy role (as the pipeline role's does). */
async function assume(principal: string, trust: PolicyDocument = trustPolicy(plan)): Promise<Decision> {
    const identity: PolicyDocument = {
        Version: "2012-10-17",
        Statement: [{ Sid: "Assume", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [DEPLOY_ROLE] }],
    };
    return decide({ principal, identity: [identity] }, { action: "sts:AssumeRole", resource: DEPLOY_ROLE }, trust);
}

/** The deploy role acting in its own account or, with the pipeline account's resource policy, on the artifacts. */
function asDeployRole(p: TargetPlan = plan) {
    const caller = { principal: p.role.arn, identity: [permissionsPolicy(p)] };
    return (req: Request, resourcePolicy?: PolicyDocument) => decide(caller, req, resourcePolicy);
}

describe("deploy-target: trust of the deploy role", () => {
    it("admits the pipeline roles of the pipelines that deploy here", async () => {
        assert.strictEqual(await assume(pipelineRole("docs")), "Allowed");
        assert.strictEqual(await assume(pipelineRole("worker")), "Allowed");
    });

    it("refuses other pipelines' roles, other roles of the pipeline account and the same name in another account", async () => {
        assert.notStrictEqual(await assume(pipelineRole("api")), "Allowed");
        assert.notStrictEqual(await assume(pipelineRole("blog")), "Allowed");
        assert.notStrictEqual(
            await assume(`arn:aws:iam::${PIPELINE_ACCOUNT}:role/cicd/prod/docs-prod-build`),
            "Allowed",
        );
        assert.notStrictEqual(await assume(`arn:aws:iam::${PIPELINE_ACCOUNT}:user/admin`), "Allowed");
        assert.notStrictEqual(await assume(pipelineRole("docs", "999999999999")), "Allowed");
    });

    it("names the account root as principal, so the policy is valid before the pipeline roles exist", () => {
        const [statement] = trustPolicy(plan).Statement;
        assert.deepStrictEqual(statement.Principal, { AWS: `arn:aws:iam::${PIPELINE_ACCOUNT}:root` });
        assert.deepStrictEqual(statement.Condition?.ArnEquals, {
            "aws:PrincipalArn": [pipelineRole("docs"), pipelineRole("worker")],
        });
    });
});

describe("deploy-target: artifacts of the pipelines that deploy here", () => {
    const as = asDeployRole();
    const object = (folder: string, bucket = BUCKET): Request => ({
        action: "s3:GetObject",
        resource: `arn:aws:s3:::${bucket}/${folder}/BuildOutput/abc.zip`,
        resourceAccount: PIPELINE_ACCOUNT,
    });

    it("reads its pipelines' folders through the pipeline account's bucket policy", async () => {
        assert.strictEqual(await as(object("docs-prod"), bucketPolicy), "Allowed");
        assert.strictEqual(await as(object("worker-prod"), bucketPolicy), "Allowed");
    });

    it("cannot read other pipelines' folders, other buckets, or write artifacts", async () => {
        assert.notStrictEqual(await as(object("api-prod"), bucketPolicy), "Allowed");
        assert.notStrictEqual(await as(object("blog-prod"), bucketPolicy), "Allowed");
        assert.notStrictEqual(await as(object("docs-prod", "someone-elses-bucket")), "Allowed");
        const put = { ...object("docs-prod"), action: "s3:PutObject" };
        assert.notStrictEqual(await as(put, bucketPolicy), "Allowed");
    });

    it("decrypts with the environment key only through S3", async () => {
        const decrypt = (context: Record<string, string | string[]>, resource = KEY): Request => ({
            action: "kms:Decrypt",
            resource,
            context,
        });
        const alias = { "kms:ResourceAliases": [plan.artifactKeyAlias] };
        assert.strictEqual(await as(decrypt({ ...VIA_S3, ...alias }), keyPolicy), "Allowed");
        assert.notStrictEqual(await as(decrypt(alias), keyPolicy), "Allowed");
        assert.notStrictEqual(
            await as(decrypt({ ...alias, "kms:ViaService": `lambda.${REGION}.amazonaws.com` }), keyPolicy),
            "Allowed",
        );
        assert.notStrictEqual(
            await as(decrypt({ ...VIA_S3, "kms:ResourceAliases": ["alias/cicd-dev"] }), keyPolicy),
            "Allowed",
        );
        assert.notStrictEqual(await as(decrypt(VIA_S3), keyPolicy), "Allowed");
    });

    it("once the key ARN is configured, decrypts that key only", async () => {
        const pinned = asDeployRole(
            planTarget({ pipelineStack: "prod", accountId: TARGET_ACCOUNT, artifactKeyArn: KEY }, mainStack()),
        );
        assert.strictEqual(
            await pinned({ action: "kms:Decrypt", resource: KEY, context: VIA_S3 }, keyPolicy),
            "Allowed",
        );
        assert.notStrictEqual(
            await pinned({ action: "kms:Decrypt", resource: OTHER_KEY, context: VIA_S3 }, keyPolicy),
            "Allowed",
        );
    });
});

describe("deploy-target: deploys only to its targets", () => {
    const as = asDeployRole();
    const here = (action: string, resource: string, context?: Record<string, string>): Request => ({
        action,
        resource,
        resourceAccount: TARGET_ACCOUNT,
        ...(context ? { context } : {}),
    });
    const service = (name: string, account = TARGET_ACCOUNT) => `arn:aws:ecs:${REGION}:${account}:service/apps/${name}`;

    it("uploads the site and updates the ECS service, passing only its task roles to ECS", async () => {
        assert.strictEqual(await as(here("s3:PutObject", "arn:aws:s3:::docs-example-com/index.html")), "Allowed");
        assert.strictEqual(await as(here("ecs:UpdateService", service("worker"))), "Allowed");
        const toEcs = { "iam:PassedToService": "ecs-tasks.amazonaws.com" };
        assert.strictEqual(await as(here("iam:PassRole", TASK_ROLE, toEcs)), "Allowed");
    });

    it("is denied other buckets, other services, other roles and IAM writes", async () => {
        const denied: Request[] = [
            here("s3:PutObject", "arn:aws:s3:::blog-example-com/index.html"),
            here("s3:PutObject", "arn:aws:s3:::api-docs-example-com/index.html"),
            here("s3:DeleteBucket", "arn:aws:s3:::docs-example-com"),
            here("ecs:UpdateService", service("payments")),
            { action: "ecs:UpdateService", resource: service("worker", PIPELINE_ACCOUNT) },
            here("iam:PassRole", `arn:aws:iam::${TARGET_ACCOUNT}:role/admin`, {
                "iam:PassedToService": "ecs-tasks.amazonaws.com",
            }),
            here("iam:PassRole", TASK_ROLE, { "iam:PassedToService": "lambda.amazonaws.com" }),
            here("iam:CreateRole", `arn:aws:iam::${TARGET_ACCOUNT}:role/new`),
            here("iam:PutRolePolicy", DEPLOY_ROLE),
            here("iam:UpdateAssumeRolePolicy", DEPLOY_ROLE),
            here("lambda:UpdateFunctionCode", `arn:aws:lambda:${REGION}:${TARGET_ACCOUNT}:function:anything`),
        ];
        for (const req of denied)
            assert.notStrictEqual(await as(req), "Allowed", `${req.action} ${req.resource} should be denied`);
    });

    it("does not write to a same-named bucket of another account, even one whose policy invites it", async () => {
        const site = "arn:aws:s3:::docs-example-com/index.html";
        const invitation: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "Invite",
                    Effect: "Allow",
                    Principal: { AWS: DEPLOY_ROLE },
                    Action: ["s3:PutObject"],
                    Resource: [site],
                },
            ],
        };
        const put = { action: "s3:PutObject", resource: site, resourceAccount: OTHER_TARGET };
        assert.notStrictEqual(await as(put, invitation), "Allowed");
    });

    it("grants no action with a wildcard and keeps every Sid unique", () => {
        const statements = permissionsPolicy(plan).Statement;
        assert.ok(statements.every((s) => s.Action.every((a) => !a.includes("*"))));
        assert.strictEqual(new Set(statements.map((s) => s.Sid)).size, statements.length);
    });
});
