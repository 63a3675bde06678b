import { strict as assert } from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { buildPipelineModel } from "../../model/pipeline";
import { validatePlatformConfig, type PlatformConfig } from "../../stacks/platform-config";

const ROOT = path.join(__dirname, "..", "..");

function load(stack: string): PlatformConfig {
    const config = parse(readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")).config;
    return validatePlatformConfig(
        { environment: config["cicd:environment"], services: config["cicd:services"] },
        { stack, awsRegion: config["aws:region"] },
    );
}

const kinds = (config: PlatformConfig) => config.services.map((s) => s.deploy.kind).sort();

describe("the stacks we ship", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: validates and has the four example services of every kind`, () => {
            const config = load(stack);
            assert.deepEqual(kinds(config), ["ecs-blue-green", "ecs-rolling", "lambda-canary", "s3-site"]);
            assert.equal(config.environment.name, stack);
        });
    }

    it("dev deploys straight after the tests, with no approval", () => {
        const config = load("dev");
        for (const service of config.services) {
            assert.equal(buildPipelineModel(config.environment, service).approval, undefined, service.name);
        }
    });

    it("staging runs integration tests before deploying its services", () => {
        const config = load("staging");
        const withIntegration = config.services.filter((s) =>
            buildPipelineModel(config.environment, s).stages.some((st) =>
                st.actions.some((a) => a.name === "IntegrationTests"),
            ),
        );
        assert.deepEqual(
            withIntegration.map((s) => s.name),
            ["web", "orders-api"],
        );
    });

    it("prod gates every deploy behind a manual approval in an earlier stage, runs QUEUED and protects data", () => {
        const config = load("prod");
        assert.equal(config.environment.tier, "production");
        assert.equal(config.environment.executionMode, "QUEUED");
        assert.equal(config.environment.dataProtection, true);
        for (const service of config.services) {
            const stages = buildPipelineModel(config.environment, service).stages;
            const approve = stages.findIndex((s) =>
                s.actions.some((a) => a.category === "Approval" && a.provider === "Manual"),
            );
            const deploy = stages.findIndex((s) => s.actions.some((a) => a.category === "Deploy"));
            assert.ok(
                approve >= 0 && approve < deploy,
                `${service.name}: approval (stage ${approve}) before deploy (stage ${deploy})`,
            );
        }
    });

    it("prod deploys the docs site cross-account through the configured role", () => {
        const config = load("prod");
        const site = config.services.find((s) => s.name === "docs-site")!;
        const deploy = buildPipelineModel(config.environment, site).stages.at(-1)!.actions[0];
        assert.equal(deploy.roleArn, "arn:aws:iam::444444444444:role/cicd-prod-site-deployer");
    });
});
