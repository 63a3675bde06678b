import { strict as assert } from "assert";
import { PIPELINE_TYPE } from "../../policies/codepipeline";
import {
    codepipelineDeploymentCount,
    codepipelineRegionFanout,
    deploymentCountProblem,
    deploymentSteps,
    fanoutProblem,
} from "../../policies/codepipeline-waves";
import { stackMessages, stackResource, UNKNOWN } from "./helpers";

const PROD = 'stack name "prod" matches /(?<![a-z0-9])(?<!pre[-_.])(?<!non[-_.])prod(uction)?(?![a-z0-9])/i';
const FIX =
    "Give the other regions' Deploy actions later runOrders or later stages, so fewer regions take the change at a time.";

const deploy = (name: string, runOrder: unknown, region?: unknown) => ({
    name,
    category: "Deploy",
    provider: "Lambda",
    runOrder,
    ...(region === undefined ? {} : { region }),
});
const approve = { name: "Approve", category: "Approval", provider: "Manual", runOrder: 1 };
const pipeline = (stages: unknown[], stack = "prod") =>
    stackResource(PIPELINE_TYPE, "orders", { stages: [{ name: "Source", actions: [] }, ...stages] }, {}, stack);

describe("codepipeline-region-fanout", () => {
    it("reports a production pipeline that deploys to several regions at once first, naming them and the fix", async () => {
        const stages = [
            { name: "Approve", actions: [approve] },
            {
                name: "Deploy",
                actions: [deploy("Deploy-eu-west-1", 1, "eu-west-1"), deploy("Deploy-eu-central-1", 1, "eu-central-1")],
            },
        ];
        assert.deepEqual(await stackMessages(codepipelineRegionFanout, [pipeline(stages)]), [
            `CodePipeline 'orders' in a production stack (${PROD}) deploys to 2 regions at once in its first deployment step (stage 'Deploy', runOrder 1: eu-central-1, eu-west-1); a first deployment proves a change in one region. ${FIX}`,
        ]);
    });

    it("passes regions deployed one after another, by runOrder or by stage, and any pipeline outside production", async () => {
        const sequential = [
            {
                name: "Deploy",
                actions: [deploy("Deploy-eu-west-1", 1, "eu-west-1"), deploy("Deploy-eu-central-1", 2, "eu-central-1")],
            },
        ];
        const staged = [
            { name: "Home", actions: [deploy("Deploy", 1)] },
            {
                name: "Rest",
                actions: ["eu-central-1", "us-east-1", "ap-southeast-2"].map((r) => deploy(`Deploy-${r}`, 1, r)),
            },
        ];
        const parallel = [{ name: "Deploy", actions: [deploy("A", 1, "eu-west-1"), deploy("B", 1, "us-east-1")] }];
        assert.deepEqual(await stackMessages(codepipelineRegionFanout, [pipeline(sequential), pipeline(staged)]), []);
        assert.deepEqual(await stackMessages(codepipelineRegionFanout, [pipeline(parallel, "dev")]), []);
    });

    it("limits each later step to regionFanoutFactor times the regions before it, as configured", async () => {
        const regions = ["eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2"];
        const stages = [
            { name: "Home", actions: [deploy("Deploy", 1, "eu-west-1")] },
            { name: "Rest", actions: regions.map((r) => deploy(`Deploy-${r}`, 1, r)) },
        ];
        assert.deepEqual(await stackMessages(codepipelineRegionFanout, [pipeline(stages)]), [
            `CodePipeline 'orders' in a production stack (${PROD}) deploys to 4 regions at once in deployment step 2 (stage 'Rest', runOrder 1: ap-southeast-2, eu-central-1, us-east-1, us-west-2); at most 3 (regionFanoutFactor 3 × the 1 region(s) deployed before). ${FIX}`,
        ]);
        const config = { regionFanoutFactor: 4 };
        assert.deepEqual(await stackMessages(codepipelineRegionFanout, [pipeline(stages)], { config }), []);
    });

    it("counts actions without a region as the pipeline's region, and gives unknown orders or regions the benefit of the doubt", () => {
        assert.deepEqual(deploymentSteps([{ name: "D", actions: [deploy("A", undefined), deploy("B", 1)] }]), [
            { stage: "D", runOrder: 1, regions: ["the pipeline's region"], actions: ["A", "B"], regionUnknown: false },
        ]);
        assert.equal(deploymentSteps([{ name: "D", actions: [deploy("A", UNKNOWN, "eu-west-1")] }]), undefined);
        const unknownRegions = deploymentSteps([
            { name: "D", actions: [deploy("A", 1, UNKNOWN), deploy("B", 1, "eu-west-1"), deploy("C", 1, "us-east-1")] },
        ]);
        assert.equal(fanoutProblem(unknownRegions!, 3), undefined);
        assert.equal(fanoutProblem([], 3), undefined);
    });

    it("never crashes on malformed stages", async () => {
        for (const stages of [UNKNOWN, "x", [null], [{ actions: "x" }], [{ actions: [null, 3] }]])
            assert.deepEqual(
                await stackMessages(codepipelineRegionFanout, [
                    stackResource(PIPELINE_TYPE, "p", { stages }, {}, "prod"),
                ]),
                [],
            );
    });
});

describe("codepipeline-deployment-count", () => {
    const FIX_COUNT = "Give the other Deploy actions later runOrders or later stages.";

    it("reports a production pipeline whose first deployment step runs several Deploy actions, in one region or many", async () => {
        const stages = [
            { name: "Approve", actions: [approve] },
            { name: "Deploy", actions: [deploy("Api", 1), deploy("Worker", 1), deploy("Web", 2)] },
        ];
        assert.deepEqual(await stackMessages(codepipelineDeploymentCount, [pipeline(stages)]), [
            `CodePipeline 'orders' in a production stack (${PROD}) performs 2 deployments at once in its first deployment step (stage 'Deploy', runOrder 1: 'Api', 'Worker'); a first deployment step performs one deployment, so a bad change stops there. ${FIX_COUNT}`,
        ]);
        assert.deepEqual(await stackMessages(codepipelineDeploymentCount, [pipeline(stages, "dev")]), []);
    });

    it("limits later steps only when deploymentLimit is set, counting actions even when their regions are unknown", async () => {
        const stages = [
            { name: "Canary", actions: [deploy("Canary", 1, "eu-west-1")] },
            { name: "Rest", actions: [deploy("A", 1, UNKNOWN), deploy("B", 1, "us-east-1"), deploy("C", 1)] },
        ];
        assert.deepEqual(await stackMessages(codepipelineDeploymentCount, [pipeline(stages)]), []);
        assert.deepEqual(
            await stackMessages(codepipelineDeploymentCount, [pipeline(stages)], { config: { deploymentLimit: 2 } }),
            [
                `CodePipeline 'orders' in a production stack (${PROD}) performs 3 deployments at once in deployment step 2 (stage 'Rest', runOrder 1: 'A', 'B', 'C'); at most 2 (deploymentLimit) per later step. ${FIX_COUNT}`,
            ],
        );
        assert.deepEqual(
            await stackMessages(codepipelineDeploymentCount, [pipeline(stages)], { config: { deploymentLimit: 3 } }),
            [],
        );
    });

    it("passes unknown run orders, a single deployment per step, and a pipeline without Deploy actions", async () => {
        const unknownOrder = [{ name: "D", actions: [deploy("A", UNKNOWN), deploy("B", UNKNOWN)] }];
        const one = [{ name: "D", actions: [deploy("A", 1), deploy("B", 2)] }];
        assert.deepEqual(
            await stackMessages(codepipelineDeploymentCount, [pipeline(unknownOrder), pipeline(one), pipeline([])]),
            [],
        );
        assert.equal(deploymentCountProblem([], 1), undefined);
    });

    it("never crashes on malformed stages", async () => {
        for (const stages of [UNKNOWN, "x", [null], [{ actions: "x" }], [{ actions: [null, 3] }]])
            assert.deepEqual(
                await stackMessages(codepipelineDeploymentCount, [
                    stackResource(PIPELINE_TYPE, "p", { stages }, {}, "prod"),
                ]),
                [],
            );
    });
});
