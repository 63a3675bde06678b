import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { plan, PlanRun, readPlanFile } from "./helpers";

const PREFIX = "urn:pulumi:dev::plan-fixture::";
const COMPONENT = `${PREFIX}fixture:cicd:ServicePipeline::fx-web`;

describe("plan report (fixture program, stack dev)", function () {
    this.timeout(120_000);
    let run: PlanRun;

    before(async () => {
        run = await plan("--stack", "dev", "--no-policy");
    });

    it("says it is an offline plan, not a preview, and that the pack did not check it", () => {
        assert.strictEqual(run.code, 0, run.err.join("\n"));
        assert.match(run.out[0], /^Offline plan of plan-fixture\/dev: .*not a Pulumi preview/);
        assert.ok(run.out.includes("Policy pack: NOT CHECKED (--no-policy)"));
    });

    it("groups resources under their components, nested ones included", () => {
        const start = run.out.indexOf("  pulumi:pulumi:Stack plan-fixture-dev (component)");
        assert.deepStrictEqual(run.out.slice(start, start + 11), [
            "  pulumi:pulumi:Stack plan-fixture-dev (component)",
            "  └─ fixture:cicd:ServicePipeline fx-web (component)",
            "     ├─ fixture:cicd:Notifications fx-web-notify (component)",
            "     │  └─ aws:sns/topic:Topic fx-web-notify-approvals",
            "     ├─ aws:codebuild/project:Project fx-web-build",
            "     ├─ aws:codepipeline/pipeline:Pipeline fx-web-pipeline",
            "     ├─ aws:iam/role:Role fx-web-role",
            "     ├─ aws:iam/rolePolicy:RolePolicy fx-web-policy",
            "     ├─ aws:kms/key:Key fx-web-key [protect]",
            "     └─ aws:s3/bucket:Bucket fx-web-artifacts [retainOnDelete]",
            "",
        ]);
    });

    it("writes URNs with the full parent-type chain, as the engine does, in every reference", () => {
        const file = readPlanFile(run, "dev");
        const topic = file.resources.find((r) => r.name === "fx-web-notify-approvals")!;
        assert.strictEqual(
            topic.urn,
            `${PREFIX}fixture:cicd:ServicePipeline$fixture:cicd:Notifications$aws:sns/topic:Topic::fx-web-notify-approvals`,
        );
        assert.strictEqual(
            topic.parent,
            `${PREFIX}fixture:cicd:ServicePipeline$fixture:cicd:Notifications::fx-web-notify`,
        );
        const key = file.resources.find((r) => r.name === "fx-web-key")!;
        assert.strictEqual(key.urn, `${PREFIX}fixture:cicd:ServicePipeline$aws:kms/key:Key::fx-web-key`);
        assert.strictEqual(key.parent, COMPONENT);
        assert.strictEqual(key.options.protect, true);
        const component = file.resources.find((r) => r.urn === COMPONENT)!;
        assert.strictEqual(component.parent, `${PREFIX}pulumi:pulumi:Stack::plan-fixture-dev`);
        const urns = new Set(file.resources.map((r) => r.urn));
        const references = file.resources.flatMap((r) => [
            ...(r.parent ? [r.parent] : []),
            ...r.dependencies,
            ...Object.values(r.propertyDependencies).flat(),
        ]);
        assert.deepStrictEqual(
            references.filter((u) => !urns.has(u)),
            [],
        );
    });

    it("records dependencies and the default AWS provider with the stack's aws: config", () => {
        const file = readPlanFile(run, "dev");
        const project = file.resources.find((r) => r.name === "fx-web-build")!;
        assert.deepStrictEqual(project.propertyDependencies.serviceRole, [
            `${PREFIX}fixture:cicd:ServicePipeline$aws:iam/role:Role::fx-web-role`,
        ]);
        const provider = file.resources.find((r) => r.type === "pulumi:providers:aws")!;
        assert.strictEqual(provider.inputs.region, "eu-west-1");
        assert.match(provider.urn, /^urn:pulumi:dev::plan-fixture::pulumi:providers:aws::default_\d+_\d+_\d+$/);
        const aws = file.resources.filter((r) => r.type.startsWith("aws:"));
        assert.deepStrictEqual(new Set(aws.map((r) => r.provider)), new Set([provider.urn]));
    });

    it("keeps an explicit provider and then adds no default one", async () => {
        const staging = await plan("--stack", "staging", "--no-policy");
        assert.strictEqual(staging.code, 0, staging.err.join("\n"));
        const resources = readPlanFile(staging, "staging").resources;
        const explicit = "urn:pulumi:staging::plan-fixture::pulumi:providers:aws::explicit";
        assert.deepStrictEqual(
            resources.filter((r) => r.type === "pulumi:providers:aws").map((r) => [r.urn, r.inputs.region]),
            [[explicit, "eu-west-1"]],
        );
        const aws = resources.filter((r) => r.type.startsWith("aws:"));
        assert.deepStrictEqual(new Set(aws.map((r) => r.provider)), new Set([explicit]));
    });

    it("gives mocked resources realistic ARNs built from type, name, account and region", () => {
        const project = readPlanFile(run, "dev").resources.find((r) => r.name === "fx-web-build")!;
        assert.match(String(project.inputs.serviceRole), /^arn:aws:iam::111122223333:role\/fx-web-role-[0-9a-f]{7}$/);
        assert.match(String(project.inputs.encryptionKey), /^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/);
    });

    it("draws the stage picture from the pipeline's stages input, naming each deploy's target", () => {
        const start = run.out.indexOf("  pipeline fx-web-pipeline (V2, QUEUED)");
        assert.deepStrictEqual(run.out.slice(start, start + 10), [
            "  pipeline fx-web-pipeline (V2, QUEUED)",
            "    1. Source    [1] Checkout (Source/CodeStarSourceConnection)",
            "    2. Build     [1] Compile (Build/CodeBuild)",
            "    3. Test      [1] Unit (Build/CodeBuild) | Integration (Build/CodeBuild)",
            "                 [2] SecurityScan (Build/CodeBuild)",
            "                 on failure: RETRY, retry FAILED_ACTIONS",
            "    4. Approval  [1] Approve (Approval/Manual)  <- approval gate",
            "    5. Deploy    [1] Deploy-web (Deploy/ECS) -> fx-cluster/web",
            "                 on failure: ROLLBACK",
            "",
        ]);
    });

    it("writes one Mermaid file per pipeline, with the stage edges, the gate and the failure conditions, and an index", () => {
        const dir = path.join(run.outDir, "dev", "pipelines");
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["fx-web-pipeline.mmd", "index.mmd"]);
        const mermaid = fs.readFileSync(path.join(dir, "fx-web-pipeline.mmd"), "utf8");
        assert.match(mermaid, /^flowchart LR$/m);
        for (const edge of ["s0 --> s1", "s1 --> s2", "s2 --> s3", "s3 --> s4"]) {
            assert.ok(mermaid.includes(`  ${edge}\n`), `missing edge ${edge}`);
        }
        assert.match(mermaid, /s3\{\{"<b>Approval<\/b><br\/>1: Approve \(Manual\)"\}\}/);
        assert.match(
            mermaid,
            /s2\["<b>Test<\/b><br\/>1: Unit \(CodeBuild\) ‖ Integration \(CodeBuild\)<br\/>2: SecurityScan \(CodeBuild\)"\]/,
        );
        assert.ok(mermaid.includes('s4["<b>Deploy</b><br/>1: Deploy-web (ECS → fx-cluster/web)"]'));
        assert.ok(mermaid.includes('s4 -. "on failure: ROLLBACK" .-> s4'));
        const index = fs.readFileSync(path.join(dir, "index.mmd"), "utf8");
        assert.ok(index.includes('p0["fx-web-pipeline<br/>5 stages, 1 approval gate(s)<br/>fx-web-pipeline.mmd"]'));
    });

    it("prints totals, counting policy statements with * in Action", () => {
        const start = run.out.indexOf("Totals");
        assert.deepStrictEqual(run.out.slice(start + 1, start + 6), [
            "  resources: 7 (+ 3 components)",
            "  IAM roles: 1",
            "  pipelines: 1",
            "  roles per pipeline: 1",
            "  IAM statements with * in Action: 1",
        ]);
    });
});
