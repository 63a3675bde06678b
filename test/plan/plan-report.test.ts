import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { plan, PlanRun, readPlanFile } from "./helpers";

const COMPONENT = "urn:pulumi:dev::plan-fixture::fixture:cicd:ServicePipeline::fx-web";

describe("plan report (fixture program, stack dev)", function () {
    this.timeout(120_000);
    let run: PlanRun;

    before(async () => {
        run = await plan("--stack", "dev", "--no-policy");
    });

    it("says it is an offline plan, not a preview, and exits 0", () => {
        assert.strictEqual(run.code, 0, run.err.join("\n"));
        assert.match(run.out[0], /^Offline plan of plan-fixture\/dev: .*not a Pulumi preview/);
    });

    it("groups resources under their component", () => {
        const start = run.out.indexOf("  pulumi:pulumi:Stack plan-fixture-dev (component)");
        assert.deepStrictEqual(run.out.slice(start, start + 9), [
            "  pulumi:pulumi:Stack plan-fixture-dev (component)",
            "  └─ fixture:cicd:ServicePipeline fx-web (component)",
            "     ├─ aws:codebuild/project:Project fx-web-build",
            "     ├─ aws:codepipeline/pipeline:Pipeline fx-web-pipeline",
            "     ├─ aws:iam/role:Role fx-web-role",
            "     ├─ aws:iam/rolePolicy:RolePolicy fx-web-policy",
            "     ├─ aws:kms/key:Key fx-web-key [protect]",
            "     ├─ aws:s3/bucket:Bucket fx-web-artifacts [retainOnDelete]",
            "     └─ aws:sns/topic:Topic fx-web-approvals",
        ]);
    });

    it("writes resources.json with SDK child URNs, parents, dependencies and options", () => {
        const file = readPlanFile(run, "dev");
        assert.strictEqual(file.stack, "dev");
        assert.strictEqual(file.project, "plan-fixture");
        const key = file.resources.find((r: any) => r.name === "fx-web-key");
        assert.strictEqual(
            key.urn,
            "urn:pulumi:dev::plan-fixture::fixture:cicd:ServicePipeline$aws:kms/key:Key::fx-web-key",
        );
        assert.strictEqual(key.parent, COMPONENT);
        assert.strictEqual(key.options.protect, true);
        const component = file.resources.find((r: any) => r.urn === COMPONENT);
        assert.strictEqual(component.parent, "urn:pulumi:dev::plan-fixture::pulumi:pulumi:Stack::plan-fixture-dev");
        const project = file.resources.find((r: any) => r.name === "fx-web-build");
        assert.deepStrictEqual(project.propertyDependencies.serviceRole, [
            "urn:pulumi:dev::plan-fixture::fixture:cicd:ServicePipeline$aws:iam/role:Role::fx-web-role",
        ]);
    });

    it("gives mocked resources realistic ARNs built from type, name, account and region", () => {
        const file = readPlanFile(run, "dev");
        const project = file.resources.find((r: any) => r.name === "fx-web-build");
        assert.match(project.properties.serviceRole, /^arn:aws:iam::111122223333:role\/fx-web-role-[0-9a-f]{7}$/);
        assert.match(project.properties.encryptionKey, /^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/);
    });

    it("draws the stage picture from the pipeline's stages input", () => {
        const start = run.out.indexOf("  pipeline fx-web-pipeline (V2, QUEUED)");
        assert.deepStrictEqual(run.out.slice(start, start + 10), [
            "  pipeline fx-web-pipeline (V2, QUEUED)",
            "    1. Source    [1] Checkout (Source/CodeStarSourceConnection)",
            "    2. Build     [1] Compile (Build/CodeBuild)",
            "    3. Test      [1] Unit (Build/CodeBuild) | Integration (Build/CodeBuild)",
            "                 [2] SecurityScan (Build/CodeBuild)",
            "                 on failure: RETRY, retry FAILED_ACTIONS",
            "    4. Approval  [1] Approve (Approval/Manual)  <- approval gate",
            "    5. Deploy    [1] Deploy-web (Deploy/ECS)",
            "                 on failure: ROLLBACK",
            "",
        ]);
    });

    it("writes a Mermaid file with the stage edges, the gate and the failure conditions", () => {
        const mermaid = fs.readFileSync(path.join(run.outDir, "dev", "pipelines.mmd"), "utf8");
        assert.match(mermaid, /^flowchart TB$/m);
        for (const edge of ["p0s0 --> p0s1", "p0s1 --> p0s2", "p0s2 --> p0s3", "p0s3 --> p0s4"]) {
            assert.ok(mermaid.includes(`    ${edge}\n`), `missing edge ${edge}`);
        }
        assert.match(mermaid, /p0s3\{\{"<b>Approval<\/b><br\/>1: Approve \(Manual\)"\}\}/);
        assert.match(
            mermaid,
            /p0s2\["<b>Test<\/b><br\/>1: Unit \(CodeBuild\) ‖ Integration \(CodeBuild\)<br\/>2: SecurityScan \(CodeBuild\)"\]/,
        );
        assert.ok(mermaid.includes('p0s4 -. "on failure: ROLLBACK" .-> p0s4'));
    });

    it("prints totals, counting policy statements with * in Action", () => {
        const start = run.out.indexOf("Totals");
        assert.deepStrictEqual(run.out.slice(start + 1, start + 6), [
            "  resources: 7 (+ 2 components)",
            "  IAM roles: 1",
            "  pipelines: 1",
            "  roles per pipeline: 1",
            "  IAM statements with * in Action: 1",
        ]);
    });
});
