import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { contractViolations } from "../../model/pipeline";
import { planEnvironment } from "../../model/environment";
import { serviceSchema } from "../../stacks/service-schema";
import { environment, lambdaDeploy, service } from "../fixtures/config";
import { cloudFormationDeploy, ratingsCheck } from "../kinds/fixtures";
import { withMocks } from "../support/mock-runtime";
import { prodEnv, stagingEnv } from "./fixtures";

const smoke = { smoke: { commands: ["make verify"] } };
const network = serviceSchema.parse({
    name: "network",
    source: { kind: "codecommit", repository: "network" },
    build: { commands: { build: ["make templates"] } },
    tests: smoke,
    deploy: cloudFormationDeploy,
    checks: [ratingsCheck("after-deploy")],
});
const pipelineOf = (env: typeof prodEnv) =>
    planEnvironment({ environment: env, services: [network] }, { stackFile: `Pulumi.${env.name}.yaml` }).pipelines[0];
const layout = (p: ReturnType<typeof pipelineOf>) =>
    p.stages.map((s) => `${s.name}: ${s.actions.map((a) => `${a.runOrder}.${a.name}`).join(",")}`);

describe("deploy steps on the release chain", () => {
    it("prod deploys a promoted change set: provenance, approval, then create → review → execute → check, gated", () => {
        const p = pipelineOf({ ...prodEnv, gates: { deploymentWindow: { cron: "* * 9-16 ? * MON-THU" } } });
        assert.deepEqual(layout(p), [
            "Source: 1.Release,1.Source",
            "Approve: 1.ReadProvenance,2.Approve",
            "Deploy: 1.CreateChangeSet,2.ReviewChangeSet,3.ExecuteChangeSet,4.RatingsHold,5.SmokeTests",
        ]);
        // The change set is created from the release's build output, never from a build in prod.
        const deploy = p.stages.find((s) => s.id === "deploy")!;
        assert.deepEqual(deploy.actions[0].inputArtifacts, ["BuildOutput"]);
        assert.equal(
            p.projects.some((x) => x.id === "build"),
            false,
        );
        // The release approvers answer the change set's review too, through the same topic.
        assert.deepEqual(p.approval?.reviews, [{ stageName: "Deploy", actionName: "ReviewChangeSet" }]);
        assert.equal(deploy.actions[1].configuration.NotificationArn, p.approval?.topicArn);
        // Production gates still wrap the multi-step stage, and the whole pipeline keeps its contracts.
        assert.deepEqual(
            deploy.beforeEntry?.rules.map((r) => r.provider),
            ["DeploymentWindow"],
        );
        assert.deepEqual(contractViolations(p), []);
    });

    it("staging (no approval) executes the change set straight away and reports no reviews", () => {
        const p = pipelineOf(stagingEnv);
        const deploy = p.stages.find((s) => s.id === "deploy")!;
        assert.deepEqual(
            deploy.actions.map((a) => `${a.runOrder}.${a.name}`),
            ["1.CreateChangeSet", "2.ExecuteChangeSet", "3.RatingsHold", "4.SmokeTests"],
        );
        assert.equal(p.approval, undefined);
    });
});

describe("waves with checks", () => {
    const waved = (checks: unknown[]) =>
        planEnvironment(
            {
                environment: environment(),
                services: [service({ deploy: lambdaDeploy, regions: ["eu-west-1", "eu-central-1"], checks })],
            },
            { stackFile: "Pulumi.dev.yaml" },
        ).pipelines[0];

    it("copies only the deploy action per region, in sequence; checks run once, in the pipeline's region, around the wave", () => {
        const p = waved([ratingsCheck("before-deploy"), { ...ratingsCheck("after-deploy"), name: "AfterHold" }]);
        const deploy = p.stages.find((s) => s.id === "deploy")!;
        assert.deepEqual(
            deploy.actions.map((a) => [a.runOrder, a.name, a.region]),
            [
                [1, "RatingsHold", undefined],
                [2, "Deploy-eu-west-1", "eu-west-1"],
                [3, "Deploy-eu-central-1", "eu-central-1"],
                [4, "AfterHold", undefined],
            ],
        );
        assert.deepEqual(contractViolations(p), []);
    });
});

describe("offline plan mocks", () => {
    it("give resources created with another region's provider that region's ARNs", async () => {
        let frankfurt: string | undefined;
        let home: string | undefined;
        await withMocks("dev", () => {
            const provider = new aws.Provider("aws-eu-central-1", { region: "eu-central-1" });
            new aws.kms.Key("regional", {}, { provider }).arn.apply((arn) => (frankfurt = arn));
            new aws.kms.Key("home", {}).arn.apply((arn) => (home = arn));
        });
        assert.match(frankfurt ?? "", /^arn:aws:kms:eu-central-1:111111111111:key\//);
        assert.match(home ?? "", /^arn:aws:kms:eu-west-1:111111111111:key\//);
    });
});
