import { strict as assert } from "assert";
import { configProblems } from "../support/config-problems";
import { planEnvironment } from "../../model/environment";
import { validatePlatformConfig } from "../../stacks/platform-config";
import {
    inAccount,
    RELEASE_FROM,
    rawEnvironment,
    rawProdEnvironment,
    rawService,
    smokeTests,
} from "../fixtures/config";

/** Each problem line (without the header) the config gets before any resource exists. */
function problems(raw: unknown, stack: string): string[] {
    return configProblems(() => {
        const config = validatePlatformConfig(raw, { stack });
        planEnvironment(config, { stackFile: `Pulumi.${stack}.yaml` });
    });
}

const config = (environment: Record<string, unknown>, service: Record<string, unknown> = {}) => ({
    environment,
    services: [rawService({ tests: smokeTests, ...service })],
});
const rawStaging = (overrides: Record<string, unknown> = {}) =>
    rawEnvironment({
        name: "staging",
        tier: "staging",
        accountId: "222222222222",
        release: { from: { environment: "dev", accountId: "111111111111", region: "eu-west-1" } },
        ...overrides,
    });

// A source the prod account owns, for a production that (wrongly) builds from git and so reads it.
const prodSource = { source: inAccount(rawService().source, "333333333333") };

describe("release chain rules", () => {
    it("refuses to make production build from git", () => {
        assert.deepEqual(
            problems(
                config(rawProdEnvironment({ release: { role: "build", from: RELEASE_FROM } }), prodSource),
                "prod",
            ),
            [
                '`cicd:environment.release.role` is "build", but production deploys only promoted releases and never builds from git. Remove the key or set it to "release".',
            ],
        );
        assert.deepEqual(
            problems(config(rawProdEnvironment({ release: { role: "verify", from: RELEASE_FROM } })), "prod"),
            [
                '`cicd:environment.release.role` is "verify", but production deploys only promoted releases and never builds from git. Remove the key or set it to "release".',
            ],
        );
    });

    it("requires the upstream link where pipelines start from releases", () => {
        assert.deepEqual(problems(config(rawProdEnvironment({ release: {} })), "prod"), [
            '`cicd:environment.release.from` is required when the release role is "release": name the environment (name, accountId, region) whose pipelines write this environment\'s releases.',
        ]);
        assert.deepEqual(problems(config(rawStaging({ release: {} })), "staging"), [
            '`cicd:environment.release.from` is required when the release role is "verify": name the environment (name, accountId, region) whose pipelines write this environment\'s releases.',
        ]);
    });

    it("ends the chain at a release environment", () => {
        const release = {
            from: RELEASE_FROM,
            promoteTo: { environment: "dr", accountId: "444444444444", region: "eu-west-1" },
        };
        assert.deepEqual(problems(config(rawProdEnvironment({ release })), "prod"), [
            '`cicd:environment.release.promoteTo` is set, but a "release" environment is the last link of the chain and promotes nowhere. Remove it.',
        ]);
    });

    it("needs a post-deploy suite, and no pre-deploy suite, where releases are deployed", () => {
        assert.deepEqual(problems(config(rawProdEnvironment(), { tests: {} }), "prod"), [
            '`cicd:services.web.tests` has no `smoke` or `integration` suite, but web deploys releases here ("release") and every such pipeline tests the deployed service. Add `tests.smoke`.',
        ]);
        assert.deepEqual(
            problems(config(rawStaging(), { tests: { ...smokeTests, unit: { commands: ["npm test"] } } }), "staging"),
            [
                '`cicd:services.web.tests.unit` runs before the deploy where releases are built; a "verify" environment starts from a release that was already tested. Remove it, or move its checks to `smoke` or `integration`.',
            ],
        );
    });

    it("needs a suite in every pipeline that builds from git, before or after the deploy", () => {
        assert.deepEqual(problems(config(rawEnvironment(), { tests: {} }), "dev"), [
            '`cicd:services.web.tests` is empty, but every pipeline runs at least one Test action: web builds from git here ("build"), and a change must be tested before it deploys or is published. Add `tests.unit` (before the deploy) or `tests.smoke` (after it).',
        ]);
        assert.deepEqual(
            problems(config(rawEnvironment(), { tests: { security: { commands: ["npm audit"] } } }), "dev"),
            [],
        );
    });

    it("accepts the three links, and a build environment that publishes nowhere", () => {
        const devToStaging = rawEnvironment({
            release: { promoteTo: { environment: "staging", accountId: "222222222222", region: "eu-west-1" } },
        });
        assert.deepEqual(problems(config(devToStaging), "dev"), []);
        assert.deepEqual(problems(config(rawEnvironment()), "dev"), []);
        assert.deepEqual(problems(config(rawStaging()), "staging"), []);
        assert.deepEqual(problems(config(rawProdEnvironment()), "prod"), []);
    });

    it("names an unknown key of the release block", () => {
        const [message] = problems(
            config(rawProdEnvironment({ release: { from: RELEASE_FROM, source: "git" } })),
            "prod",
        );
        assert.match(message, /^`cicd:environment\.release\.source` /);
    });
});
