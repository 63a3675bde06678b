import * as assert from "assert";
import * as path from "path";
import { deployerPolicy, main } from "../../tools/deployer-policy";
import type { PlannedResource } from "../../tools/deployer-policy/plan-source";
import { MANAGED_POLICY_MAX, policySize, type PolicyDocument } from "../../tools/deployer-policy/split";
import type { PolicyDocument as SimDocument } from "../../model/iam/document";
import { decide, type Request } from "../iam/sim";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const ACCOUNT = "111111111111";
const REGION = "eu-west-1";
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const arn = (service: string, rest: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${rest}`;

describe("deployer-policy: the identity that runs pulumi up (IAM simulator)", function () {
    this.timeout(120000);
    let documents: PolicyDocument[] = [];
    let resources: PlannedResource[] = [];
    const of = (type: string) => resources.filter((r) => r.type === type);

    before(async () => {
        const args = {
            stack: "fixture",
            dir: REPO_ROOT,
            stackFile: path.join(__dirname, "fixtures", "Pulumi.fixture.yaml"),
        };
        ({ documents } = await deployerPolicy(args));
        // The same evaluation the tool made, to name the stack's resources in the requests below.
        const { planStack } = await import("../../tools/deployer-policy/plan-source");
        resources = [...(await planStack(args.dir, args.stack, args.stackFile)).resources];
    });

    /** KMS needs the key policy to delegate to IAM policies: requests on keys carry the stack's own key policy. */
    const keyPolicy = (): SimDocument => JSON.parse(of("aws:kms/key:Key")[0].inputs.policy as string);
    const as = (req: Request) =>
        decide(
            { principal: DEPLOYER, identity: documents as unknown as SimDocument[] },
            { resourceAccount: ACCOUNT, ...req },
            req.action.startsWith("kms:") && req.resource !== "*" ? keyPolicy() : undefined,
        );
    const allowed = async (reqs: Request[]) => {
        for (const r of reqs) assert.strictEqual(await as(r), "Allowed", `${r.action} ${r.resource} should be allowed`);
    };
    const denied = async (reqs: Request[]) => {
        for (const r of reqs)
            assert.notStrictEqual(await as(r), "Allowed", `${r.action} ${r.resource} should be denied`);
    };
    const roleArn = (r: PlannedResource) =>
        `arn:aws:iam::${ACCOUNT}:role${r.inputs.path as string}${r.inputs.name as string}`;

    it("fits IAM's managed-policy size, in as many documents as needed", () => {
        assert.ok(documents.length >= 1);
        for (const d of documents) assert.ok(policySize(d) <= MANAGED_POLICY_MAX, `${policySize(d)} characters`);
        const sids = documents.flatMap((d) => d.Statement.map((s) => s.Sid));
        assert.strictEqual(new Set(sids).size, sids.length);
        const wildcard = documents.flatMap((d) => d.Statement).filter((s) => s.Resource.includes("*"));
        assert.deepStrictEqual(
            wildcard.map((s) => s.Sid),
            ["ActionsWithoutResourceTypes"],
        );
        assert.ok(documents.flatMap((d) => d.Statement).every((s) => s.Action.every((a) => !a.includes("*"))));
    });

    it("creates, updates and deletes the stack's roles, projects, pipelines, topics and log groups", async () => {
        assert.ok(of("aws:iam/role:Role").length > 0 && of("aws:codepipeline/pipeline:Pipeline").length > 0);
        await allowed([
            ...of("aws:iam/role:Role").flatMap((r) =>
                ["iam:CreateRole", "iam:DeleteRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"].map(
                    (action) => ({
                        action,
                        resource: roleArn(r),
                    }),
                ),
            ),
            ...of("aws:codepipeline/pipeline:Pipeline").flatMap((r) =>
                ["codepipeline:CreatePipeline", "codepipeline:UpdatePipeline", "codepipeline:DeletePipeline"].map(
                    (action) => ({
                        action,
                        resource: arn("codepipeline", r.inputs.name as string),
                    }),
                ),
            ),
            ...of("aws:codebuild/project:Project").map((r) => ({
                action: "codebuild:UpdateProject",
                resource: arn("codebuild", `project/${r.inputs.name as string}`),
            })),
            ...of("aws:sns/topic:Topic").map((r) => ({
                action: "sns:CreateTopic",
                resource: arn("sns", r.inputs.name as string),
            })),
            ...of("aws:cloudwatch/logGroup:LogGroup").map((r) => ({
                action: "logs:CreateLogGroup",
                resource: arn("logs", `log-group:${r.inputs.name as string}`),
            })),
            ...of("aws:s3/bucket:Bucket").flatMap((r) => [
                { action: "s3:CreateBucket", resource: `arn:aws:s3:::${r.inputs.bucket as string}` },
                { action: "s3:PutBucketPolicy", resource: `arn:aws:s3:::${r.inputs.bucket as string}` },
            ]),
            ...of("aws:codedeploy/deploymentGroup:DeploymentGroup").map((r) => ({
                action: "codedeploy:CreateDeploymentGroup",
                resource: arn(
                    "codedeploy",
                    `deploymentgroup:${r.inputs.appName as string}/${r.inputs.deploymentGroupName as string}`,
                ),
            })),
            ...of("aws:cloudwatch/eventRule:EventRule").map((r) => ({
                action: "events:PutRule",
                // A rule with a name keeps it; otherwise Pulumi auto-names it after its logical name.
                resource: arn(
                    "events",
                    `rule/${typeof r.inputs.name === "string" ? r.inputs.name : `${r.name}-a1b2c3d`}`,
                ),
            })),
            { action: "kms:CreateKey", resource: "*" },
        ]);
    });

    it("passes the stack's roles only to the service each is made for", async () => {
        const pipelineRoles = of("aws:codepipeline/pipeline:Pipeline").map((r) => r.inputs.roleArn as string);
        const buildRoles = of("aws:codebuild/project:Project").map((r) => r.inputs.serviceRole as string);
        const pass = (role: string, service: string): Request => ({
            action: "iam:PassRole",
            resource: role,
            context: { "iam:PassedToService": service },
        });
        await allowed([
            ...pipelineRoles.map((r) => pass(r, "codepipeline.amazonaws.com")),
            ...buildRoles.map((r) => pass(r, "codebuild.amazonaws.com")),
        ]);
        await denied([
            ...pipelineRoles.map((r) => pass(r, "ec2.amazonaws.com")),
            ...buildRoles.map((r) => pass(r, "lambda.amazonaws.com")),
            pass(`arn:aws:iam::${ACCOUNT}:role/admin`, "codepipeline.amazonaws.com"),
            pass(`arn:aws:iam::${ACCOUNT}:role/cicd/qa/other-qa-pipeline`, "codepipeline.amazonaws.com"),
        ]);
    });

    it("passes only the configured connection, only to CodePipeline, under both service prefixes", async () => {
        const connection = arn("codeconnections", "connection/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e");
        const toPipeline = (prefix: string) => ({ [`${prefix}:PassedToService`]: "codepipeline.amazonaws.com" });
        await allowed([
            { action: "codeconnections:PassConnection", resource: connection, context: toPipeline("codeconnections") },
            {
                action: "codestar-connections:PassConnection",
                resource: connection.replace(":codeconnections:", ":codestar-connections:"),
                context: toPipeline("codestar-connections"),
            },
        ]);
        await denied([
            {
                action: "codeconnections:PassConnection",
                resource: arn("codeconnections", "connection/99999999-6b7a-4a8e-9d0a-2f4a9b1c3d5e"),
                context: toPipeline("codeconnections"),
            },
            {
                action: "codeconnections:PassConnection",
                resource: connection,
                context: { "codeconnections:PassedToService": "codebuild.amazonaws.com" },
            },
        ]);
    });

    it("creates CodeStar Notifications' service-linked role and rules about its own pipelines only", async () => {
        const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/codestar-notifications.amazonaws.com/AWSServiceRoleForCodeStarNotifications`;
        const pipelines = of("aws:codepipeline/pipeline:Pipeline").map((r) =>
            arn("codepipeline", r.inputs.name as string),
        );
        const rule = (resource: string): Request => ({
            action: "codestar-notifications:CreateNotificationRule",
            resource: arn("codestar-notifications", "notificationrule/0123456789abcdef"),
            context: { "codestar-notifications:NotificationsForResource": resource },
        });
        await allowed([
            {
                action: "iam:CreateServiceLinkedRole",
                resource: slr,
                context: { "iam:AWSServiceName": "codestar-notifications.amazonaws.com" },
            },
            ...pipelines.map(rule),
        ]);
        await denied([
            {
                action: "iam:CreateServiceLinkedRole",
                resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
                context: { "iam:AWSServiceName": "autoscaling.amazonaws.com" },
            },
            rule(arn("codepipeline", "someone-elses-pipeline")),
        ]);
    });

    it("administers only the stack's key (by alias) and may delete it only where the plan does not retain it", async () => {
        const key = arn("kms", "key/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e");
        const alias = of("aws:kms/alias:Alias").map((r) => r.inputs.name as string);
        assert.deepStrictEqual(alias, ["alias/cicd-qa"]);
        const onKey = (action: string, aliases: string[]): Request => ({
            action,
            resource: key,
            context: { "kms:ResourceAliases": aliases },
        });
        await allowed([onKey("kms:ScheduleKeyDeletion", alias), onKey("kms:PutKeyPolicy", alias)]);
        await denied([
            onKey("kms:ScheduleKeyDeletion", ["alias/cicd-prod"]),
            onKey("kms:ScheduleKeyDeletion", []),
            onKey("kms:PutKeyPolicy", ["alias/other"]),
            onKey("kms:Decrypt", alias),
        ]);
    });

    it("is denied other buckets, other pipelines, new users, keys and policy attachments", async () => {
        const someRole = roleArn(of("aws:iam/role:Role")[0]);
        await denied([
            { action: "iam:CreateUser", resource: `arn:aws:iam::${ACCOUNT}:user/mallory` },
            { action: "iam:CreateAccessKey", resource: `arn:aws:iam::${ACCOUNT}:user/admin` },
            { action: "iam:CreateRole", resource: `arn:aws:iam::${ACCOUNT}:role/cicd/qa/extra-qa-pipeline` },
            { action: "iam:AttachRolePolicy", resource: someRole },
            { action: "iam:PutRolePolicy", resource: `arn:aws:iam::${ACCOUNT}:role/admin` },
            { action: "s3:PutBucketPolicy", resource: "arn:aws:s3:::someone-elses-bucket" },
            { action: "s3:DeleteBucket", resource: "arn:aws:s3:::qa-site-example-com" },
            { action: "s3:PutObject", resource: "arn:aws:s3:::qa-site-example-com/index.html" },
            { action: "codepipeline:DeletePipeline", resource: arn("codepipeline", "payments-qa") },
            { action: "codebuild:StartBuild", resource: arn("codebuild", "project/shop-qa-build") },
            { action: "lambda:UpdateFunctionCode", resource: arn("lambda", "function:qa-shop") },
        ]);
    });
});

describe("deployer-policy: a deploy-target stack", function () {
    this.timeout(120000);

    it("may create and change only the deploy role that stack makes, and pass no role", async () => {
        const { documents } = await deployerPolicy({
            stack: "target",
            dir: path.join(REPO_ROOT, "deploy-target"),
            stackFile: path.join(__dirname, "fixtures", "Pulumi.target.yaml"),
        });
        const caller = {
            principal: "arn:aws:iam::444444444444:role/deployer",
            identity: documents as unknown as SimDocument[],
        };
        const role = "arn:aws:iam::444444444444:role/cicd/prod-deployer";
        for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"])
            assert.strictEqual(await decide(caller, { action, resource: role }), "Allowed", action);
        for (const [action, resource] of [
            ["iam:CreateRole", "arn:aws:iam::444444444444:role/cicd/other"],
            ["iam:PutRolePolicy", "arn:aws:iam::444444444444:role/admin"],
            ["iam:PassRole", role],
            ["iam:AttachRolePolicy", role],
        ])
            assert.notStrictEqual(await decide(caller, { action, resource }), "Allowed", `${action} ${resource}`);
    });
});

describe("deployer-policy: command line", () => {
    it("explains its usage", async () => {
        const errors: string[] = [];
        assert.strictEqual(
            await main(
                ["--stack"],
                () => undefined,
                (l) => errors.push(l),
            ),
            2,
        );
        assert.deepStrictEqual(errors, [
            "deployer-policy: --stack needs a value\nusage: npm run deployer-policy -- --stack <env> [--out <dir>] (--help: every option)",
        ]);
        errors.length = 0;
        assert.strictEqual(
            await main(
                ["--region", "x"],
                () => undefined,
                (l) => errors.push(l),
            ),
            2,
        );
        assert.strictEqual(errors[0].split("\n")[0], "deployer-policy: unknown argument --region");
    });

    it("fails with the plan's own message when the stack does not exist", async () => {
        const errors: string[] = [];
        const code = await main(
            ["--stack", "nope", "--dir", path.join(__dirname, "fixtures")],
            () => undefined,
            (l) => errors.push(l),
        );
        assert.strictEqual(code, 3);
        assert.match(errors[0], /^deployer-policy: no Pulumi.yaml in .*fixtures; pass --dir <program dir>/);
    });
});
