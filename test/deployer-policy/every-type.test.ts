import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildDeployerPolicy, planGrants } from "../../tools/deployer-policy/build-policy";
import type { PlannedStack } from "../../tools/deployer-policy/plan-source";
import { RESOURCE_TYPES } from "../../tools/deployer-policy/resource-types";
import { splitIntoDocuments } from "../../tools/deployer-policy/split";
import type { PolicyDocument as SimDocument } from "../../model/iam/document";
import { decide } from "../iam/sim";
import { coverageGaps, planChain, WAVE_REGION, type PlannedChain } from "../support/every-type-stacks";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** `.ts` files of a folder of the repository, recursively. */
const sources = (folder: string): string[] =>
    fs.readdirSync(path.join(REPO_ROOT, folder), { withFileTypes: true }).flatMap((e) => {
        const rel = path.join(folder, e.name);
        return e.isDirectory() ? sources(rel) : e.name.endsWith(".ts") ? [rel] : [];
    });
const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");

/** `new aws.s3.BucketNotification(` → `aws:s3/bucketNotification:BucketNotification` (the SDK's type tokens). */
const awsClassesIn = (folder: string): string[] =>
    sources(folder).flatMap((f) =>
        [...read(f).matchAll(/new aws\.([a-z0-9]+)\.([A-Z][A-Za-z0-9]*)\(/g)].map(
            ([, module, cls]) => `aws:${module}/${cls[0].toLowerCase()}${cls.slice(1)}:${cls}`,
        ),
    );
const componentTypesIn = (folder: string): string[] =>
    sources(folder).flatMap((f) => [...read(f).matchAll(/super\("(cicd:[^"]+)"/g)].map(([, type]) => type));

describe("deployer-policy: every resource type the program can register has deploy permissions", function () {
    this.timeout(180000);
    let chain: PlannedChain;
    let stacks: PlannedStack[] = [];
    const registered = () => new Set(stacks.flatMap((s) => s.resources.map((r) => r.type)));

    before(async () => {
        chain = await planChain();
        stacks = [...chain.main.values(), ...chain.targets.values()];
    });

    it("samples every deploy kind, source kind, check kind, test suite and release role", () => {
        assert.deepStrictEqual(coverageGaps(), []);
    });

    it("registers every component, and every AWS resource class components/ and deploy-target/ construct", () => {
        const expected = [
            ...componentTypesIn("components"),
            ...componentTypesIn("deploy-target"),
            ...awsClassesIn("components"),
            ...awsClassesIn("deploy-target").filter((t) => t !== "aws:index/provider:Provider"),
        ];
        assert.ok(expected.includes("aws:s3/bucketNotification:BucketNotification"), "the source scan finds classes");
        const seen = registered();
        assert.deepStrictEqual(
            [...new Set(expected)].filter((t) => !seen.has(t)),
            [],
            "the stacks of test/support/every-type-stacks.ts do not make the program register these types",
        );
    });

    it("registers no custom resource outside the AWS provider, which the deployer policy would not cover", () => {
        const foreign = stacks.flatMap((s) =>
            s.resources
                .filter((r) => r.custom && !r.type.startsWith("aws:") && r.type !== "pulumi:providers:aws")
                .map((r) => `${r.type} (${r.name} in ${s.stack})`),
        );
        assert.deepStrictEqual(foreign, []);
    });

    it("describes the deploy permissions of every registered AWS type in tools/deployer-policy/resource-types.ts", () => {
        const missing = new Map<string, string>();
        for (const s of stacks)
            for (const r of s.resources)
                if (r.custom && r.type.startsWith("aws:") && !RESOURCE_TYPES[r.type] && !missing.has(r.type))
                    missing.set(r.type, `${r.type} (e.g. ${r.name} in stack ${s.stack})`);
        assert.deepStrictEqual([...missing.values()], [], "no entry in tools/deployer-policy/resource-types.ts");
    });

    it("builds each stack's policy, every action checked against the Service Authorization Reference data", async () => {
        for (const s of stacks) {
            const policy = await buildDeployerPolicy(s);
            assert.ok(policy.statements.length > 0, s.stack);
        }
    });

    it("grants the resources of a wave region in that region, not the stack's", async () => {
        const dev = chain.main.get("dev")!;
        const wave = (await planGrants(dev)).filter((g) => g.resource.provider?.endsWith(`::aws-${WAVE_REGION}`));
        assert.deepStrictEqual(
            [...new Set(wave.map((g) => g.resource.type))].filter((t) => t.startsWith("aws:kms/")).sort(),
            ["aws:kms/alias:Alias", "aws:kms/key:Key"],
        );
        const regions = new Set(
            wave.flatMap((g) => g.grants.flatMap((grant) => grant.arns.map((arn) => arn.split(":")[3]))),
        );
        regions.delete("");
        assert.deepStrictEqual([...regions], [WAVE_REGION]);
        // Through the built documents, as the IAM simulator decides them: the wave region's key is administered.
        const identity = splitIntoDocuments((await buildDeployerPolicy(dev)).statements) as unknown as SimDocument[];
        const key = wave.find((g) => g.resource.type === "aws:kms/key:Key")!;
        const keyPolicy = JSON.parse(key.resource.inputs.policy as string) as SimDocument;
        const caller = { principal: `arn:aws:iam::${dev.account}:role/deployer`, identity };
        for (const g of key.grants.filter((grant) => !grant.condition))
            for (const action of g.actions) {
                const resource = g.arns[0].replace("*", "0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e");
                const decision = await decide(caller, { action: `kms:${action}`, resource }, keyPolicy);
                assert.strictEqual(decision, "Allowed", `kms:${action} on ${resource}`);
            }
    });
});
