import * as assert from "assert";
import * as path from "path";
import { trustPolicy } from "../../deploy-target/policies";
import { readPipelineStack } from "../../deploy-target/program";
import { planTarget } from "../../deploy-target/target-plan";
import { planStack } from "../../tools/deployer-policy/plan-source";
import type { PlannedResource } from "../../tools/deployer-policy/plan-source";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "fixtures");

describe("deploy-target agrees with what the main program plans", function () {
    this.timeout(120000);
    let resources: readonly PlannedResource[] = [];
    const plan = planTarget(
        { pipelineStack: "fixture", accountId: "444444444444" },
        readPipelineStack(FIXTURES, "fixture"),
    );
    const of = (type: string) => resources.filter((r) => r.type === type);

    before(async () => {
        resources = (await planStack(REPO_ROOT, "fixture", path.join(FIXTURES, "Pulumi.fixture.yaml"))).resources;
    });

    it("trusts exactly the pipeline roles of the planned pipelines whose deploy runs as this role", () => {
        const deploying = of("aws:codepipeline/pipeline:Pipeline").filter((p) =>
            JSON.stringify(p.inputs.stages).includes(plan.role.arn),
        );
        assert.ok(deploying.length > 0);
        const [statement] = trustPolicy(plan).Statement;
        assert.deepStrictEqual(
            statement.Condition?.ArnEquals?.["aws:PrincipalArn"],
            deploying.map((p) => p.inputs.roleArn),
        );
        assert.deepStrictEqual(
            plan.pipelines.map((p) => p.pipelineName),
            deploying.map((p) => p.inputs.name),
        );
    });

    it("reads the planned artifact bucket and decrypts by the planned key alias", () => {
        // The other bucket is the environment's release bucket (release chain), which no deploy role reads.
        assert.deepStrictEqual(
            of("aws:s3/bucket:Bucket")
                .filter((b) => b.name === "artifacts-bucket")
                .map((b) => b.inputs.bucket),
            [plan.artifactBucket],
        );
        assert.deepStrictEqual(
            of("aws:kms/alias:Alias").map((a) => a.inputs.name),
            [plan.artifactKeyAlias],
        );
    });
});
