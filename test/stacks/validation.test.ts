import { strict as assert } from "assert";
import { configProblems } from "../support/config-problems";
import { planEnvironment } from "../../model/environment";
import { configFromStackValues, validatePlatformConfig } from "../../stacks/platform-config";
import {
    ecsBlueGreenDeploy,
    ecsRollingDeploy,
    inAccount,
    keyed,
    rawEnvironment,
    rawProdEnvironment,
    smokeTests,
    rawService,
} from "../fixtures/config";

/**
 * The problems (one line each, without the header) reported for this raw config before any resource exists: by
 * config validation, then by planning the environment (the rules that need the model's names and records). The
 * services (a list, each with its `name`) are written keyed by name in the stack file, as users write them.
 */
function problems(
    raw: { environment?: unknown; services: Record<string, unknown>[] },
    stack = "dev",
    awsRegion?: string,
    awsAllowedAccountIds?: unknown,
): string[] {
    return configProblems(() => {
        const { layers, ...config } = configFromStackValues(
            {
                "cicd:environment": raw.environment,
                "cicd:services": keyed(...raw.services),
                "aws:region": awsRegion,
                "aws:allowedAccountIds": awsAllowedAccountIds,
            },
            stack,
        );
        planEnvironment(config, { stackFile: `Pulumi.${stack}.yaml`, configSources: layers });
    });
}

const withService = (service: Record<string, unknown>, env = rawEnvironment()) => ({
    environment: env,
    services: [service],
});

describe("config validation", () => {
    it("accepts a minimal environment and fills in the documented defaults", () => {
        const config = validatePlatformConfig(withService(rawService()), { stack: "dev" });
        assert.equal(config.environment.executionMode, "SUPERSEDED");
        assert.equal(config.environment.artifactRetentionDays, 30);
        assert.equal(config.environment.logRetentionDays, 90);
        assert.equal(config.environment.approval.timeoutMinutes, 10080);
        assert.equal(config.services[0].build.image, "aws/codebuild/amazonlinux-x86_64-standard:5.0");
        assert.equal(config.services[0].build.cache, "local");
        assert.equal(config.services[0].source.kind === "codestar" && config.services[0].source.branch, "main");
    });

    it("names the file and counts the problems in the error header", () => {
        assert.throws(
            () =>
                validatePlatformConfig({ environment: rawEnvironment({ name: "X" }), services: [] }, { stack: "dev" }),
            {
                message: /^Invalid configuration in Pulumi\.dev\.yaml \(2 problems\):/,
            },
        );
    });

    describe("shape errors", () => {
        it("reports a missing key with the file to add it to", () => {
            const { build: _omit, ...noBuild } = rawService();
            assert.deepEqual(problems(withService(noBuild)), [
                "`cicd:services.web.build` is required. Add it to `cicd:services.web` in Pulumi.dev.yaml, or to `cicd:serviceDefaults.web` in Pulumi.yaml for every environment.",
            ]);
        });

        it("reports a missing whole section", () => {
            assert.deepEqual(problems({ services: [rawService()] }), [
                "`cicd:environment` is required. Add it in Pulumi.dev.yaml.",
            ]);
        });

        it("reports a wrong type with what was found", () => {
            assert.deepEqual(problems(withService(rawService(), rawEnvironment({ artifactRetentionDays: "30" }))), [
                '`cicd:environment.artifactRetentionDays` must be a number, not string "30".',
            ]);
        });

        it("reports an unknown key (a typo) at its own path", () => {
            assert.deepEqual(problems(withService({ ...rawService(), deplyo: {} })), [
                "`cicd:services.web.deplyo` in Pulumi.dev.yaml is not a known key. Did you mean `deploy`? Rename it (the keys are documented in docs/config-reference.md).",
            ]);
        });

        it("suggests the nearest key at the misspelt key's own path, into the deploy kind the service uses, first", () => {
            const { listenerArn, ...deploy } = ecsBlueGreenDeploy;
            const svc = {
                ...rawService({ deploy: { ...deploy, listnerArn: listenerArn } }),
                build: { comands: { build: ["make"] } },
                tests: { unti: { commands: ["npm test"] } },
            };
            const known = (key: string, nearest: string) =>
                `\`cicd:services.web.${key}\` in Pulumi.dev.yaml is not a known key. Did you mean \`${nearest}\`? Rename it (the keys are documented in docs/config-reference.md).`;
            assert.deepEqual(problems(withService(svc, rawEnvironment({ aproval: { required: true } }))), [
                "`cicd:environment.aproval` is not a known key. Did you mean `approval`? Rename it (the keys are documented in docs/config-reference.md).",
                known("build.comands", "commands"),
                known("tests.unti", "unit"),
                known("deploy.listnerArn", "listenerArn"),
                "`cicd:services.web.deploy.listenerArn` is required. Add it to `cicd:services.web` in Pulumi.dev.yaml, or to `cicd:serviceDefaults.web` in Pulumi.yaml for every environment.",
            ]);
        });

        it("lists the keys of that path when none is near, leaving out a service's name (its key)", () => {
            assert.deepEqual(problems(withService({ ...rawService(), nmae: "web" })), [
                "`cicd:services.web.nmae` in Pulumi.dev.yaml is not a known key. The keys here are `source`, `build`, `tests`, `approval`, `deploy`, `checks`, `triggers`, `regions`, `waveOrder`: check its spelling or remove it (the keys are documented in docs/config-reference.md).",
            ]);
        });

        it("reports an unknown deploy kind with the supported ones", () => {
            assert.deepEqual(problems(withService(rawService({ deploy: { kind: "ecs-canary" } }))), [
                '`cicd:services.web.deploy.kind` in Pulumi.dev.yaml is "ecs-canary", which is not supported. Use one of: ecs-rolling, ecs-blue-green, lambda, s3-site, ec2-codedeploy, cloudformation.',
            ]);
        });

        it("reports a missing deploy kind", () => {
            assert.deepEqual(problems(withService(rawService({ deploy: { bucket: "x" } }))), [
                "`cicd:services.web.deploy.kind` is missing. Use one of: ecs-rolling, ecs-blue-green, lambda, s3-site, ec2-codedeploy, cloudformation.",
            ]);
        });

        it("reports an invalid repository id with an example", () => {
            const source = {
                kind: "codestar",
                connectionArn: (rawService().source as { connectionArn: string }).connectionArn,
                repository: "acme",
            };
            assert.deepEqual(problems(withService(rawService({ source }))), [
                '`cicd:services.web.source.repository` in Pulumi.dev.yaml must be a repository id in the form owner/name, like "acme/checkout" (found "acme").',
            ]);
        });

        it("reports an out-of-range approval timeout with CodePipeline's limit", () => {
            assert.deepEqual(problems(withService(rawService({ approval: { timeoutMinutes: 2 } }))), [
                "`cicd:services.web.approval.timeoutMinutes` in Pulumi.dev.yaml must be at least 5 minutes (CodePipeline's minimum for a manual approval) (found 2).",
            ]);
            assert.deepEqual(problems(withService(rawService({ approval: { timeoutMinutes: 90000 } }))), [
                "`cicd:services.web.approval.timeoutMinutes` in Pulumi.dev.yaml must be at most 86400 minutes, i.e. 60 days (CodePipeline's maximum for a manual approval) (found 90000).",
            ]);
        });

        it("reports an enum value with the allowed ones", () => {
            assert.deepEqual(problems(withService(rawService(), rawEnvironment({ executionMode: "SERIAL" }))), [
                '`cicd:environment.executionMode` is "SERIAL". Use one of: SUPERSEDED, QUEUED, PARALLEL.',
            ]);
        });

        it("rejects an empty trigger filter list, which CodePipeline would reject at deploy time", () => {
            assert.deepEqual(problems(withService(rawService({ triggers: { filePaths: { includes: [] } } }))), [
                "`cicd:services.web.triggers.filePaths.includes` in Pulumi.dev.yaml must not be empty: leave the key out instead (CodePipeline rejects empty filter lists).",
            ]);
        });

        it("rejects a log retention CloudWatch does not offer", () => {
            assert.match(
                problems(withService(rawService(), rawEnvironment({ logRetentionDays: 45 })))[0],
                /^`cicd:environment\.logRetentionDays` must be one of CloudWatch Logs' retention periods: 1, 3, 5/,
            );
        });

        it("requires at least one service", () => {
            assert.deepEqual(problems({ environment: rawEnvironment(), services: [] }), [
                "`cicd:services` must define at least one service: add one, keyed by its name, under `cicd:serviceDefaults` in Pulumi.yaml or under `cicd:services` in the stack file.",
            ]);
        });
    });

    describe("cross-field rules", () => {
        it("rejects a duplicate service name in a list given to the validator (keys in a stack file cannot repeat)", () => {
            assert.throws(
                () =>
                    validatePlatformConfig(
                        { environment: rawEnvironment(), services: [rawService(), rawService()] },
                        { stack: "dev" },
                    ),
                (err: Error) =>
                    err.message.endsWith(
                        '\n  - `cicd:services.web` has a key (the service name) that is "web", already used by `cicd:services.web`. Service names must be unique in an environment: rename one.',
                    ),
            );
        });

        it("rejects names whose artifact folders collide after CodePipeline's 20-character cut", () => {
            const a = rawService({ name: "payments-reconciler-a" });
            const b = rawService({ name: "payments-reconciler-b" });
            assert.deepEqual(problems({ environment: rawEnvironment(), services: [a, b] }), [
                '`cicd:services.payments-reconciler-b` in Pulumi.dev.yaml has a key (the service name) that gives the artifact folder "payments-reconciler-", the same as `cicd:services.payments-reconciler-a` (CodePipeline keeps only the first 20 characters of the pipeline name). Make the names differ within their first 16 characters.',
            ]);
        });

        it("requires a deploy role for a cross-account deploy", () => {
            const svc = rawService({
                deploy: { kind: "s3-site", bucket: "www-example-com", accountId: "444444444444" },
            });
            assert.deepEqual(problems(withService(svc)), [
                '`cicd:services.web.deploy.accountId` in Pulumi.dev.yaml is "444444444444", but `cicd:environment.deployRoleArns` has no role for that account. Add "444444444444": <ARN of the deploy role in that account>.',
            ]);
        });

        it("rejects a deploy role filed under another account id", () => {
            const env = rawEnvironment({
                deployRoleArns: { "444444444444": "arn:aws:iam::555555555555:role/deployer" },
            });
            assert.deepEqual(problems(withService(rawService(), env)), [
                "`cicd:environment.deployRoleArns.444444444444` is a role in another account. Use a role in account 444444444444.",
            ]);
        });

        it("rejects triggers on a source that has none", () => {
            const svc = rawService({
                source: { kind: "codecommit", repository: "web" },
                triggers: { branches: { includes: ["main"] } },
            });
            assert.deepEqual(problems(withService(svc)), [
                '`cicd:services.web.triggers` in Pulumi.dev.yaml only applies to CodeConnections sources (source.kind "codestar"); a codecommit source runs on every change. Remove it.',
            ]);
        });

        it("rejects an aws:allowedAccountIds that disagrees with the environment's account", () => {
            assert.deepEqual(problems(withService(rawService()), "dev", undefined, ["222222222222"]), [
                '`cicd:environment.accountId` is "111111111111" but `aws:allowedAccountIds` is ["222222222222"]. Set it to ["111111111111"] or remove it (the program allows only `cicd:environment.accountId`).',
            ]);
            assert.deepEqual(problems(withService(rawService()), "dev", undefined, ["111111111111"]), []);
        });

        it("tells to quote account ids that YAML read as numbers", () => {
            assert.deepEqual(problems(withService(rawService()), "dev", undefined, [111111111111]), [
                '`cicd:environment.accountId` is "111111111111" but `aws:allowedAccountIds` holds a number: YAML reads unquoted digits as a number (and drops leading zeros). Quote each account id, like ["111111111111"].',
            ]);
            assert.deepEqual(problems(withService(rawService(), rawEnvironment({ accountId: 111111111111 }))), [
                '`cicd:environment.accountId` is the number 111111111111, but must be a string: YAML reads unquoted digits as a number (and drops leading zeros). Quote it, like "111111111111".',
            ]);
        });

        it("rejects a test-traffic wait, which CodeDeploy cannot combine with continuing on its own", () => {
            const listener = ecsBlueGreenDeploy.listenerArn.replace(/[^/]+$/, "9c8b7a6f5e4d3c2b");
            const svc = rawService({
                deploy: { ...ecsBlueGreenDeploy, testListenerArn: listener, testTrafficMinutes: 15 },
            });
            assert.deepEqual(problems(withService(svc)), [
                "`cicd:services.web.deploy.testTrafficMinutes` in Pulumi.dev.yaml is no longer read: CodeDeploy moves production traffic as soon as green is healthy and the `AfterAllowTestTraffic` hooks of the service's appspec pass, so test green in those hooks. Remove this key.",
            ]);
        });

        it("requires an S3 source bucket to send its events to EventBridge", () => {
            const svc = rawService({ source: { kind: "s3", bucket: "acme-source", objectKey: "web.zip" } });
            const [problem] = problems(withService(svc));
            assert.match(problem, /^`cicd:services\.web\.source\.eventBridgeEnabled` must be true: /);
            assert.match(problem, /turn on EventBridge notifications on the source bucket/);
        });

        it("rejects a Lambda strategy written the CodeDeploy way", () => {
            const svc = rawService({
                deploy: {
                    kind: "lambda",
                    functionName: "orders",
                    alarms: ["e"],
                    strategy: "LambdaCanary10Percent5Minutes",
                },
            });
            assert.deepEqual(problems(withService(svc)), [
                '`cicd:services.web.deploy.strategy` in Pulumi.dev.yaml must be "AllAtOnce", "Canary<percent>Percent<minutes>Minutes" or "Linear<percent>PercentEvery<minutes>Minutes", like "Canary10Percent5Minutes" (no "Lambda" prefix) (found "LambdaCanary10Percent5Minutes").',
            ]);
        });

        it("rejects an environment region that differs from aws:region", () => {
            assert.deepEqual(problems(withService(rawService()), "dev", "us-east-1"), [
                '`cicd:environment.region` is "eu-west-1" but `aws:region` is "us-east-1". Make them the same.',
            ]);
        });
    });

    describe("production rules cannot be configured away", () => {
        const approvalOff =
            "is false, but production requires a manual approval before every deploy. Remove the key or set it to true.";

        it("rejects switching approval off for the environment or a service", () => {
            const env = rawProdEnvironment({ approval: { required: false, emails: ["release-managers@example.com"] } });
            const svc = rawService({ approval: { required: false }, tests: smokeTests });
            assert.deepEqual(problems(withService(svc, env), "prod"), [
                `\`cicd:environment.approval.required\` ${approvalOff}`,
                `\`cicd:services.web.approval.required\` in Pulumi.prod.yaml ${approvalOff}`,
            ]);
        });

        it("requires QUEUED execution", () => {
            assert.deepEqual(
                problems(
                    withService(rawService({ tests: smokeTests }), rawProdEnvironment({ executionMode: "PARALLEL" })),
                    "prod",
                ),
                [
                    '`cicd:environment.executionMode` is "PARALLEL", but production must run "QUEUED" so an approved release is never superseded or run alongside another. Set it to QUEUED.',
                ],
            );
        });

        it("refuses to turn data protection off", () => {
            assert.deepEqual(
                problems(
                    withService(rawService({ tests: smokeTests }), rawProdEnvironment({ dataProtection: false })),
                    "prod",
                ),
                [
                    "`cicd:environment.dataProtection` is false, but production keeps its key and artifacts protected from deletion. Remove the key or set it to true.",
                ],
            );
        });

        it("accepts production with approval left to its default", () => {
            assert.deepEqual(
                problems(
                    {
                        environment: rawProdEnvironment(),
                        services: [
                            rawService({ deploy: inAccount(ecsRollingDeploy, "333333333333"), tests: smokeTests }),
                        ],
                    },
                    "prod",
                ),
                [],
            );
        });
    });
});
