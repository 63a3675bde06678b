import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DeliveryPipeline } from "../../components/delivery-pipeline";
import { planEnvironment } from "../../model/environment";
import * as names from "../../model/names";
import { validatePlatformConfig } from "../../stacks/platform-config";
import { ConfigError } from "../../stacks/config-error";
import { ecsBlueGreenDeploy, environment, lambdaDeploy, rawEnvironment, rawService, service } from "../fixtures/config";
import { find, withMocks } from "../support/mock-runtime";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const FRANKFURT_KEY = "arn:aws:kms:eu-central-1:111111111111:key/5678abcd-12ab-34cd-56ef-1234567890ab";
const waved = (waveOrder: "sequential" | "parallel" = "parallel", extra: Record<string, unknown> = {}) =>
    planEnvironment(
        {
            environment: environment(),
            services: [service({ deploy: lambdaDeploy, regions: ["eu-west-1", "eu-central-1"], waveOrder, ...extra })],
        },
        { stackFile: "Pulumi.dev.yaml" },
    );

describe("waves: one Deploy action per region", () => {
    it("deploys to every region side by side, each action with its region", () => {
        const [pipeline] = waved().pipelines;
        const deploy = pipeline.stages.find((s) => s.id === "deploy")!;
        assert.deepEqual(
            deploy.actions.map((a) => [a.name, a.runOrder, a.region, a.configuration.FunctionName]),
            [
                ["Deploy-eu-west-1", 1, "eu-west-1", "orders-api"],
                ["Deploy-eu-central-1", 1, "eu-central-1", "orders-api"],
            ],
        );
        assert.deepEqual(pipeline.regions, ["eu-central-1"]);
    });

    it("deploys region after region by default, in the order listed, with what follows the deploy after the wave", () => {
        const regions = ["eu-central-1", "eu-west-1", "us-east-1"];
        const checks = [{ kind: "lambda-check", name: "Hold", functionName: "hold", when: "after-deploy" }];
        const tests = { unit: { commands: ["npm test"] }, smoke: { commands: ["curl -fsS https://www.example.com/"] } };
        const [pipeline] = waved("sequential", { regions, checks, tests }).pipelines;
        const deploy = pipeline.stages.find((s) => s.id === "deploy")!;
        assert.deepEqual(
            deploy.actions.map((a) => `${a.runOrder}.${a.name}${a.region ? `@${a.region}` : ""}`),
            [
                "1.Deploy-eu-central-1@eu-central-1",
                "2.Deploy-eu-west-1@eu-west-1",
                "3.Deploy-us-east-1@us-east-1",
                "4.Hold",
                "5.SmokeTests",
            ],
        );
        const [defaulted] = planEnvironment(
            {
                environment: environment(),
                services: [service({ deploy: lambdaDeploy, regions: ["eu-west-1", "eu-central-1"] })],
            },
            { stackFile: "Pulumi.dev.yaml" },
        ).pipelines;
        assert.deepEqual(
            defaulted.stages.find((s) => s.id === "deploy")!.actions.map((a) => a.runOrder),
            [1, 2],
        );
    });

    it("plans an artifact store with its own key in each other region", () => {
        const [store] = waved().artifactStore.regions;
        const frankfurt = { ...waved().ctx, region: "eu-central-1" };
        assert.deepEqual(
            [store.region, store.bucketName, store.keyAlias],
            ["eu-central-1", "cicd-artifacts-dev-111111111111-eu-central-1", "alias/cicd-dev"],
        );
        assert.equal(store.bucketPolicy(FRANKFURT_KEY).Statement[0].Sid, "DenyInsecureTransport");
        assert.ok(JSON.stringify(store.keyPolicy).includes(`logs.${frankfurt.region}.amazonaws.com`));
    });

    it("lets the pipeline role deploy in each region and use that region's store and key", () => {
        const [pipeline] = waved().pipelines;
        const role = pipeline.roleDefinitions.find((r) => r.kind === "pipeline")!;
        const doc = role.policy({
            keyArn: KEY,
            bucketName: "cicd-artifacts-dev-111111111111-eu-west-1",
            regionalKeyArns: { "eu-central-1": FRANKFURT_KEY },
        })!;
        const text = JSON.stringify(doc);
        assert.ok(text.includes("arn:aws:lambda:eu-central-1:111111111111:function:orders-api"));
        assert.ok(text.includes("arn:aws:lambda:eu-west-1:111111111111:function:orders-api"));
        assert.ok(
            text.includes(`arn:aws:s3:::cicd-artifacts-dev-111111111111-eu-central-1/${pipeline.artifactFolder}/*`),
        );
        const key = doc.Statement.find((s) => s.Sid === "ArtifactKeyEuCentral1");
        assert.deepEqual(key?.Resource, [FRANKFURT_KEY]);
        // Without the region's key, nothing on any key of that region is granted.
        const without = role.policy({ keyArn: KEY, bucketName: "b" })!;
        assert.ok(!JSON.stringify(without).includes("arn:aws:kms:eu-central-1"));
    });

    it("names its artifact stores with their regions in the pipeline", async () => {
        const plan = waved();
        const resources = await withMocks("dev", () => {
            new DeliveryPipeline("orders-api", {
                pipeline: plan.pipelines[0],
                artifactStore: { keyArn: KEY, bucketName: "home-bucket" },
                regionalStores: [{ region: "eu-central-1", keyArn: FRANKFURT_KEY, bucketName: "frankfurt-bucket" }],
                notificationTopicArn: "arn:aws:sns:eu-west-1:111111111111:t",
            });
        });
        const inputs = find(resources, "aws:codepipeline/pipeline:Pipeline", "orders-api-pipeline").inputs as any;
        assert.deepEqual(inputs.artifactStores, [
            { location: "home-bucket", type: "S3", encryptionKey: { id: KEY, type: "KMS" }, region: "eu-west-1" },
            {
                location: "frankfurt-bucket",
                type: "S3",
                encryptionKey: { id: FRANKFURT_KEY, type: "KMS" },
                region: "eu-central-1",
            },
        ]);
        const deploy = inputs.stages.find((s: any) => s.name === "Deploy");
        assert.deepEqual(
            deploy.actions.map((a: any) => a.region),
            ["eu-west-1", "eu-central-1"],
        );
    });

    it("watches the service's alarms in every region it deploys to, before and after the deploy", async () => {
        const gated = planEnvironment(
            {
                environment: environment({ gates: { bakeMinutes: 15 } }),
                services: [service({ deploy: lambdaDeploy, regions: ["eu-west-1", "eu-central-1"] })],
            },
            { stackFile: "Pulumi.dev.yaml" },
        );
        const [pipeline] = gated.pipelines;
        const deploy = pipeline.stages.find((s) => s.id === "deploy")!;
        const rules = (r: readonly { name: string; region?: string; configuration: Record<string, string> }[]) =>
            r.map((x) => [x.name, x.region, x.configuration.AlarmName]);
        assert.deepEqual(rules(deploy.beforeEntry!.rules), [
            ["NoAlarm1", undefined, "orders-errors"],
            ["NoAlarm1-eu-central-1", "eu-central-1", "orders-errors"],
        ]);
        assert.deepEqual(rules(deploy.onSuccess!.rules), [
            ["Alarm1", undefined, "orders-errors"],
            ["Alarm1-eu-central-1", "eu-central-1", "orders-errors"],
        ]);
        // The pipeline role reads the alarm in each region its rules run in.
        const role = pipeline.roleDefinitions.find((r) => r.kind === "pipeline")!;
        const doc = role.policy({
            keyArn: KEY,
            bucketName: "b",
            regionalKeyArns: { "eu-central-1": FRANKFURT_KEY },
        })!;
        const read = doc.Statement.find((st) => st.Action.includes("cloudwatch:DescribeAlarms"))!;
        assert.deepEqual(read.Resource, [
            "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:orders-errors",
            "arn:aws:cloudwatch:eu-central-1:111111111111:alarm:orders-errors",
        ]);
        // The component sends each rule's region.
        const resources = await withMocks("dev", () => {
            new DeliveryPipeline("orders-api", {
                pipeline,
                artifactStore: { keyArn: KEY, bucketName: "home-bucket" },
                regionalStores: [{ region: "eu-central-1", keyArn: FRANKFURT_KEY, bucketName: "frankfurt-bucket" }],
                notificationTopicArn: "arn:aws:sns:eu-west-1:111111111111:t",
            });
        });
        const inputs = find(resources, "aws:codepipeline/pipeline:Pipeline", "orders-api-pipeline").inputs as any;
        const stage = inputs.stages.find((st: any) => st.name === "Deploy");
        assert.deepEqual(
            stage.onSuccess.condition.rules.map((r: any) => [r.name, r.region]),
            [
                ["Alarm1", undefined],
                ["Alarm1-eu-central-1", "eu-central-1"],
            ],
        );
    });

    it("refuses to build a waved pipeline without the other region's store", async () => {
        const plan = waved();
        await assert.rejects(
            withMocks("dev", () => {
                new DeliveryPipeline("orders-api", {
                    pipeline: plan.pipelines[0],
                    artifactStore: { keyArn: KEY, bucketName: "home-bucket" },
                    notificationTopicArn: "arn:aws:sns:eu-west-1:111111111111:t",
                });
            }),
            (err: Error) => {
                assert.ok(err instanceof pulumi.ResourceError);
                assert.match(err.message, /^`regionalStores` lacks eu-central-1: web deploys there\./);
                return true;
            },
        );
    });

    it("rejects regions for kinds that exist once, and a region listed twice", () => {
        const problems = (svc: Record<string, unknown>) => {
            try {
                validatePlatformConfig(
                    { environment: rawEnvironment(), services: [rawService(svc)] },
                    { stack: "dev" },
                );
                return [];
            } catch (err) {
                assert.ok(err instanceof ConfigError);
                return err.issues.map((i) => i.message);
            }
        };
        assert.deepEqual(problems({ deploy: ecsBlueGreenDeploy, regions: ["eu-west-1", "us-east-1"] }), [
            "is set, but a ecs-blue-green deploy cannot run in several regions (its CodeDeploy resources or bucket exist once). Remove it, or use one of: lambda, ecs-rolling.",
        ]);
        assert.deepEqual(problems({ deploy: lambdaDeploy, regions: ["eu-west-1", "eu-west-1"] }), [
            'lists "eu-west-1" twice. List each region once.',
        ]);
        assert.deepEqual(problems({ deploy: lambdaDeploy, regions: ["eu-west-1", "us-east-1"] }), []);
        assert.equal(
            names.artifactBucketName({ ...waved().ctx, region: "us-east-1" }),
            "cicd-artifacts-dev-111111111111-us-east-1",
        );
    });
});
