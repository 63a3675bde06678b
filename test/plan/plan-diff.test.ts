import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { broadenings } from "../../tools/plan/iam-broadening";
import { NO_OPTIONS, type Resource, UNKNOWN } from "../../tools/shared/resource";
import { plan, readPlanFile } from "./helpers";

const policy = (name: string, document: unknown, key = "policy"): Resource => ({
    type: "aws:iam/rolePolicy:RolePolicy",
    name,
    urn: `urn:pulumi:dev::p::aws:iam/rolePolicy:RolePolicy::${name}`,
    custom: true,
    inputs: { [key]: typeof document === "string" ? document : JSON.stringify(document) },
    dependencies: [],
    propertyDependencies: {},
    options: NO_OPTIONS,
});
const doc = (...Statement: unknown[]) => ({ Version: "2012-10-17", Statement });
const allow = (Action: unknown, Resource: unknown, extra: Record<string, unknown> = {}) => ({
    Effect: "Allow",
    Action,
    Resource,
    ...extra,
});
const kinds = (base: Resource | undefined, head: Resource) =>
    broadenings(base, head).found.map((b) => [b.kind, b.action, b.resource, b.principal]);

describe("IAM permissions broadening", () => {
    const bucket = "arn:aws:s3:::artifacts/web/*";

    it("reports a new action, a wider resource and a relaxed condition", () => {
        const base = policy(
            "p",
            doc(allow("s3:GetObject", bucket, { Condition: { Bool: { "aws:SecureTransport": "true" } } })),
        );
        assert.deepStrictEqual(kinds(base, policy("p", doc(allow(["s3:GetObject", "s3:PutObject"], bucket)))), [
            ["condition relaxed", "s3:GetObject", bucket, "(identity policy)"],
            ["new action", "s3:PutObject", bucket, "(identity policy)"],
        ]);
        assert.deepStrictEqual(
            kinds(
                policy("p", doc(allow("s3:GetObject", bucket))),
                policy("p", doc(allow("s3:GetObject", "arn:aws:s3:::artifacts/*"))),
            ),
            [["wider resource", "s3:GetObject", "arn:aws:s3:::artifacts/*", "(identity policy)"]],
        );
    });

    it("reports a new principal in a trust or resource policy", () => {
        const trust = (principal: string) =>
            policy(
                "r",
                doc({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: principal } }),
                "assumeRolePolicy",
            );
        assert.deepStrictEqual(
            kinds(trust("arn:aws:iam::111111111111:root"), trust("arn:aws:iam::999999999999:root")),
            [["new principal", "sts:AssumeRole", "(none)", "AWS:arn:aws:iam::999999999999:root"]],
        );
    });

    it("does not report grants the base already allowed through a wildcard, or narrowing", () => {
        const base = policy("p", doc(allow("s3:Get*", "arn:aws:s3:::artifacts/*")));
        assert.deepStrictEqual(kinds(base, policy("p", doc(allow("S3:GetObject", bucket)))), []);
        assert.deepStrictEqual(
            kinds(
                policy("p", doc(allow(["s3:GetObject", "s3:PutObject"], bucket))),
                policy("p", doc(allow("s3:GetObject", bucket))),
            ),
            [],
        );
        assert.deepStrictEqual(kinds(base, policy("p", doc(allow("s3:*", "arn:aws:s3:::artifacts/*")))), [
            ["new action", "s3:*", "arn:aws:s3:::artifacts/*", "(identity policy)"],
        ]);
    });

    it("reports a removed Deny, and every grant of a new resource", () => {
        const deny = {
            Effect: "Deny",
            Action: "s3:PutObject",
            Resource: bucket,
            Condition: { Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" } },
        };
        assert.deepStrictEqual(
            kinds(
                policy("p", doc(allow("s3:GetObject", bucket), deny)),
                policy("p", doc(allow("s3:GetObject", bucket))),
            ),
            [["deny removed", "s3:PutObject", bucket, "(identity policy)"]],
        );
        assert.deepStrictEqual(kinds(undefined, policy("p", doc(allow("logs:CreateLogStream", "*")))), [
            ["new action", "logs:CreateLogStream", "*", "(identity policy)"],
        ]);
    });

    it("lists a document unknown in preview as not compared instead of guessing", () => {
        const result = broadenings(policy("p", doc(allow("s3:GetObject", bucket))), policy("p", UNKNOWN));
        assert.deepStrictEqual(result, {
            found: [],
            unreadable: ["urn:pulumi:dev::p::aws:iam/rolePolicy:RolePolicy::p policy"],
        });
    });
});

describe("plan --base", function () {
    this.timeout(180_000);

    it("lists resources added, changed and removed against a plan file, and the IAM grants the change adds", async () => {
        const first = await plan("--stack", "dev", "--no-policy");
        const file = readPlanFile(first, "dev");
        const base = {
            ...file,
            resources: file.resources
                // The topic did not exist before; a since-deleted queue did.
                .filter((r) => r.name !== "fx-web-notify-approvals")
                .concat([
                    {
                        ...file.resources[0],
                        type: "aws:sqs/queue:Queue",
                        name: "old",
                        urn: "urn:pulumi:dev::plan-fixture::aws:sqs/queue:Queue::old",
                    },
                ])
                .map((r) => {
                    if (r.name === "fx-web-policy") {
                        const statements = JSON.parse(String(r.inputs.policy)).Statement.slice(0, 1);
                        return { ...r, inputs: { ...r.inputs, policy: JSON.stringify(doc(...statements)) } };
                    }
                    return r.name === "fx-web-build" ? { ...r, inputs: { ...r.inputs, badgeEnabled: true } } : r;
                }),
        };
        const baseFile = path.join(first.outDir, "base.json");
        fs.writeFileSync(baseFile, JSON.stringify(base));
        const run = await plan("--stack", "dev", "--no-policy", "--base", baseFile);
        assert.strictEqual(run.code, 0, run.err.join("\n"));
        const start = run.out.findIndex((l) => l.startsWith("Changes against"));
        assert.deepStrictEqual(run.out.slice(start, start + 6), [
            `Changes against ${baseFile}: 1 to add, 2 to change, 1 to remove`,
            "  + aws:sns/topic:Topic fx-web-notify-approvals",
            "  ~ aws:codebuild/project:Project fx-web-build (badgeEnabled)",
            "  ~ aws:iam/rolePolicy:RolePolicy fx-web-policy (policy)",
            "  - aws:sqs/queue:Queue old",
            "IAM permissions broadened: 1 (confirm before merging)",
        ]);
        const table = run.out.slice(start + 6).join("\n");
        assert.match(table, /fx-web-policy.*│ policy +│ new action +│ logs:\* +│ \* +│ \(identity policy\)/s);
        const json = await plan("--stack", "dev", "--no-policy", "--base", baseFile, "--json");
        const diff = JSON.parse(json.out.join("\n")).diff;
        assert.deepStrictEqual(diff.broadened, [
            {
                urn: "urn:pulumi:dev::plan-fixture::fixture:cicd:ServicePipeline$aws:iam/rolePolicy:RolePolicy::fx-web-policy",
                document: "policy",
                kind: "new action",
                action: "logs:*",
                resource: "*",
                principal: "(identity policy)",
            },
        ]);
    });

    it("plans the program at a git ref as the base", async () => {
        const run = await plan("--stack", "dev", "--no-policy", "--base", "HEAD");
        assert.strictEqual(run.code, 0, run.err.join("\n"));
        assert.ok(run.out.some((l) => /^Changes against HEAD: \d+ to add, \d+ to change, \d+ to remove$/.test(l)));
    });

    it("rejects a base that is neither a plan file nor a git ref, or a plan of another stack", async () => {
        const run = await plan("--stack", "dev", "--no-policy", "--base", "no-such-ref");
        assert.strictEqual(run.code, 2);
        assert.match(
            run.err[0],
            /^plan: `--base` no-such-ref is neither a plan file nor a git ref of .*; pass one of them$/,
        );
        const other = path.join(run.outDir, "staging.json");
        fs.writeFileSync(other, JSON.stringify({ kind: "offline-plan", stack: "staging", resources: [] }));
        const wrong = await plan("--stack", "dev", "--no-policy", "--base", other);
        assert.deepStrictEqual(wrong.err, [
            `plan: \`--base\` ${other} is a plan of stack staging, not dev; pass that stack's plan`,
        ]);
    });
});
