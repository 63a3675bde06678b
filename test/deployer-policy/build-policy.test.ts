import * as assert from "assert";
import { buildDeployerPolicy, type Statement } from "../../tools/deployer-policy/build-policy";
import type { PlannedStack } from "../../tools/deployer-policy/plan-source";
import { MANAGED_POLICY_MAX, policySize, splitIntoDocuments } from "../../tools/deployer-policy/split";
import { RESOURCE_TYPES } from "../../tools/deployer-policy/resource-types";
import type { PlannedResource } from "../../tools/deployer-policy/plan-source";

const options = (retain: boolean) => ({
    protect: retain,
    retainOnDelete: retain,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    additionalSecretOutputs: [],
});

const resource = (
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    extra: Partial<PlannedResource> = {},
): PlannedResource => ({
    type,
    name,
    urn: `urn:pulumi:t::p::${type}::${name}`,
    custom: true,
    inputs,
    dependencies: [],
    propertyDependencies: {},
    options: options(false),
    ...extra,
});

const stack = (resources: PlannedResource[]): PlannedStack => ({
    stack: "t",
    account: "111111111111",
    region: "eu-west-1",
    partition: "aws",
    resources,
});

const key = (retain: boolean) => resource("aws:kms/key:Key", "key", { policy: "{}" }, { options: options(retain) });
const alias = resource(
    "aws:kms/alias:Alias",
    "alias",
    { name: "alias/cicd-t", targetKeyId: "id" },
    { propertyDependencies: { targetKeyId: ["urn:pulumi:t::p::aws:kms/key:Key::key"] } },
);
const actions = (statements: Statement[]) => statements.flatMap((s) => s.Action);

describe("deployer-policy: building the statements", () => {
    it("grants deleting a key only when the plan does not retain it, and only by the stack's alias", async () => {
        const kept = await buildDeployerPolicy(stack([key(true), alias]));
        assert.ok(!actions(kept.statements).includes("kms:ScheduleKeyDeletion"));
        const dropped = await buildDeployerPolicy(stack([key(false), alias]));
        const deletion = dropped.statements.find((s) => s.Action.includes("kms:ScheduleKeyDeletion"));
        assert.deepStrictEqual(deletion?.Condition, {
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/cicd-t"] },
        });
    });

    it("leaves out key administration that could reach other keys when the key has no alias", async () => {
        const policy = await buildDeployerPolicy(stack([key(false)]));
        for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:UpdateKeyDescription"])
            assert.ok(!actions(policy.statements).includes(action), action);
        assert.deepStrictEqual(policy.wildcardActions, ["kms:CreateKey"]);
    });

    it("refuses a resource type it has no permissions for, naming it", async () => {
        await assert.rejects(
            buildDeployerPolicy(stack([resource("aws:ec2/instance:Instance", "vm", { name: "vm" })])),
            {
                message:
                    "resource vm is of type aws:ec2/instance:Instance, for which no deploy permissions are described. Add it to tools/deployer-policy/resource-types.ts.",
            },
        );
    });

    it("refuses a role policy on a role the stack does not create", async () => {
        await assert.rejects(
            buildDeployerPolicy(
                stack([resource("aws:iam/rolePolicy:RolePolicy", "p", { role: "admin", policy: "{}" })]),
            ),
            { message: "the plan attaches a policy to role admin, which the stack does not create" },
        );
    });

    it("describes every type with actions that exist and take its resource type in the reference", async () => {
        // One resource of every described type, with every input any of them reads.
        const inputs = {
            name: "r",
            bucket: "b",
            role: "r",
            arn: "arn:aws:sns:eu-west-1:111111111111:t",
            topic: "arn:aws:sns:eu-west-1:111111111111:t",
            rule: "rule",
            queueUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/q",
            dashboardName: "d",
            deploymentConfigName: "c",
            function: "f",
            appName: "app",
            deploymentGroupName: "group",
            resource: "arn:aws:codepipeline:eu-west-1:111111111111:p",
            forceDestroy: true,
            stages: [],
        };
        const all = Object.keys(RESOURCE_TYPES).map((type, i) => resource(type, `r${i}`, inputs));
        const policy = await buildDeployerPolicy(stack(all));
        assert.ok(policy.statements.length > Object.keys(RESOURCE_TYPES).length / 2);
    });

    it("passes roles of its own account only", async () => {
        const pipeline = (roleArn: string) =>
            resource("aws:codepipeline/pipeline:Pipeline", "pipe", { name: "pipe", roleArn, stages: [] });
        const own = await buildDeployerPolicy(stack([pipeline("arn:aws:iam::111111111111:role/cicd/t/pipe")]));
        assert.deepStrictEqual(own.statements.find((s) => s.Sid === "PassRoleToCodepipeline")?.Resource, [
            "arn:aws:iam::111111111111:role/cicd/t/pipe",
        ]);
        const foreign = await buildDeployerPolicy(stack([pipeline("arn:aws:iam::222222222222:role/pipe")]));
        assert.ok(!actions(foreign.statements).includes("iam:PassRole"));
    });
});

describe("deployer-policy: splitting under the managed-policy size", () => {
    const big = (sid: string, n: number): Statement => ({
        Sid: sid,
        Effect: "Allow",
        Action: ["iam:GetRole"],
        Resource: Array.from({ length: n }, (_, i) => `arn:aws:iam::111111111111:role/cicd/t/role-number-${sid}-${i}`),
    });

    it("packs statements into documents that each fit, cutting an oversized one by resources", () => {
        const statements = [big("A", 10), big("B", 200), big("C", 10)];
        const documents = splitIntoDocuments(statements);
        assert.ok(documents.length > 1);
        for (const d of documents) assert.ok(policySize(d) <= MANAGED_POLICY_MAX);
        const granted = documents.flatMap((d) => d.Statement.flatMap((s) => s.Resource));
        assert.deepStrictEqual(
            granted,
            statements.flatMap((s) => s.Resource),
        );
        const sids = documents.flatMap((d) => d.Statement.map((s) => s.Sid));
        assert.strictEqual(new Set(sids).size, sids.length);
    });

    it("keeps a policy that fits in one document", () => {
        assert.strictEqual(splitIntoDocuments([big("A", 3), big("B", 3)]).length, 1);
    });
});
