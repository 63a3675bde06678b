import { strict as assert } from "assert";
import { configProblems } from "../support/config-problems";
import { configFromStackValues } from "../../stacks/platform-config";
import { AWS_REGIONS, shiftWaitMinutes } from "../../stacks/aws-values";
import regionData from "../../stacks/data/aws-regions.json";
import {
    keyed,
    lambdaDeploy,
    rawEnvironment,
    rawProdEnvironment,
    rawService,
    smokeTests,
    inAccount,
    ecsRollingDeploy,
} from "../fixtures/config";

/** The problems (one line each) of a stack with these values, as the program reads them. */
function problems(
    environment: Record<string, unknown>,
    services: Record<string, unknown>[],
    extra: Record<string, unknown> = {},
    stack = "dev",
): string[] {
    return configProblems(() =>
        configFromStackValues(
            { "cicd:environment": environment, "cicd:services": keyed(...services), ...extra },
            stack,
        ),
    );
}

describe("values AWS would reject", () => {
    describe("regions", () => {
        it("keeps the list in one data file that names its source", () => {
            assert.match(regionData.source, /^https:\/\/docs\.aws\.amazon\.com\//);
            for (const code of ["eu-west-1", "us-east-1", "cn-north-1", "us-gov-west-1", "mx-central-1"])
                assert.ok(AWS_REGIONS.includes(code), code);
            assert.ok(!AWS_REGIONS.some((code) => code.endsWith("-global")));
        });

        it("rejects a region code AWS does not have, as the environment's, `aws:region` and a wave", () => {
            const env = rawEnvironment({ region: "eu-west-9" });
            assert.deepEqual(problems(env, [rawService()]), [
                '`cicd:environment.region` must be an AWS Region code (stacks/data/aws-regions.json lists them); the nearest is "eu-west-1" (found "eu-west-9").',
            ]);
            assert.deepEqual(problems(rawEnvironment(), [rawService()], { "aws:region": "eu-west-9" }), [
                '`cicd:environment.region` is "eu-west-1" but `aws:region` is "eu-west-9", which is not an AWS Region code (stacks/data/aws-regions.json lists them); the nearest is "eu-west-1". Set `aws:region` to "eu-west-1".',
            ]);
            const waves = rawService({ deploy: lambdaDeploy, regions: ["eu-west-1", "us-esat-1"] });
            assert.deepEqual(problems(rawEnvironment(), [waves]), [
                '`cicd:services.web.regions[1]` in Pulumi.dev.yaml must be an AWS Region code (stacks/data/aws-regions.json lists them); the nearest is "us-east-1" (found "us-esat-1").',
            ]);
        });
    });

    describe("deployment window time zones", () => {
        const withZone = (timeZone: string) =>
            problems(rawEnvironment({ gates: { deploymentWindow: { cron: "* * 9-16 ? * MON-THU", timeZone } } }), [
                rawService(),
            ]);

        it("accepts IANA names and UTC", () => {
            assert.deepEqual(withZone("Europe/Dublin"), []);
            assert.deepEqual(withZone("UTC"), []);
            // ICU lists the old name (Europe/Kiev) and resolves the current one to it.
            assert.deepEqual(withZone("Europe/Kyiv"), []);
            assert.deepEqual(withZone("Etc/UTC"), []);
        });

        it("rejects an abbreviation, which is no IANA zone name", () => {
            assert.deepEqual(withZone("EST"), [
                '`cicd:environment.gates.deploymentWindow.timeZone` must be an IANA time zone name, like "Europe/Dublin"; the nearest is "UTC" (found "EST").',
            ]);
        });

        it("rejects a misspelt zone with the nearest name", () => {
            assert.deepEqual(withZone("Europe/Dublinn"), [
                '`cicd:environment.gates.deploymentWindow.timeZone` must be an IANA time zone name, like "Europe/Dublin"; the nearest is "Europe/Dublin" (found "Europe/Dublinn").',
            ]);
        });
    });

    describe("Lambda traffic shifting", () => {
        it("counts the wait of canary and linear strategies", () => {
            assert.equal(shiftWaitMinutes("AllAtOnce"), 0);
            assert.equal(shiftWaitMinutes("Canary10Percent2880Minutes"), 2880);
            assert.equal(shiftWaitMinutes("Linear10PercentEvery1Minute"), 9);
            assert.equal(shiftWaitMinutes("Linear30PercentEvery10Minutes"), 30);
        });

        it("rejects a strategy that waits longer than the action's two days", () => {
            const svc = (strategy: string) => rawService({ deploy: { ...lambdaDeploy, strategy } });
            assert.deepEqual(problems(rawEnvironment(), [svc("Canary10Percent2880Minutes")]), []);
            assert.deepEqual(problems(rawEnvironment(), [svc("Canary10Percent2881Minutes")]), [
                '`cicd:services.web.deploy.strategy` in Pulumi.dev.yaml is "Canary10Percent2881Minutes", which waits 2881 minutes while traffic shifts, over the Lambda deploy action\'s two days (2880 minutes). Shorten the interval or use fewer increments.',
            ]);
            assert.deepEqual(problems(rawEnvironment(), [svc("Linear10PercentEvery400Minutes")]), [
                '`cicd:services.web.deploy.strategy` in Pulumi.dev.yaml is "Linear10PercentEvery400Minutes", which waits 3600 minutes while traffic shifts, over the Lambda deploy action\'s two days (2880 minutes). Shorten the interval or use fewer increments.',
            ]);
        });
    });

    it("rejects a production approval that tells nobody", () => {
        const svc = rawService({ tests: smokeTests, deploy: inAccount(ecsRollingDeploy, "333333333333") });
        assert.deepEqual(problems(rawProdEnvironment({ approval: { emails: [] } }), [svc], {}, "prod"), [
            "`cicd:environment.approval.emails` is empty, but production waits for a manual approval before every deploy and only these addresses are told one is waiting. List the approvers, like [release-managers@example.com].",
        ]);
        assert.deepEqual(problems(rawEnvironment({ approval: { required: true } }), [rawService()]), []);
    });
});
