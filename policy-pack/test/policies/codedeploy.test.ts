import { strict as assert } from "assert";
import {
    APPLICATION_TYPE,
    codedeployAutoRollbackMonitor,
    DEPLOYMENT_CONFIG_TYPE,
    DEPLOYMENT_GROUP_TYPE,
} from "../../policies/codedeploy";
import { codedeployMinimumHealthyHosts } from "../../policies/codedeploy-hosts";
import { codedeployLambdaGradualTrafficShift } from "../../policies/codedeploy-traffic";
import { PIPELINE_TYPE } from "../../policies/codepipeline";
import { stackMessages, stackResource, UNKNOWN, validateStack } from "./helpers";

const ROLE = "arn:aws:iam::111111111111:role/codedeploy";
const PROD = 'stack name "prod" matches /(?<![a-z0-9])(?<!pre[-_.])(?<!non[-_.])prod(uction)?(?![a-z0-9])/i';
const ROLLBACK_FIX =
    'Set autoRollbackConfiguration to { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } ' +
    "and alarmConfiguration to { enabled: true, alarms: [<CloudWatch alarm names>] }.";

function group(props: Record<string, unknown>, stack = "prod", name = "web") {
    return stackResource(DEPLOYMENT_GROUP_TYPE, name, { appName: "web", serviceRoleArn: ROLE, ...props }, {}, stack);
}

const GOOD_GROUP = {
    autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    alarmConfiguration: { enabled: true, alarms: ["web-5xx"] },
};

describe("codedeploy-auto-rollback-monitor", () => {
    it("reports a production group with neither rollback nor alarms, naming both and the fix, even in preview", async () => {
        const reports = await validateStack(codedeployAutoRollbackMonitor, [group({ deploymentGroupName: UNKNOWN })]);
        assert.deepEqual(reports, [
            {
                message: `CodeDeploy deployment group 'web' in a production stack (${PROD}) has no autoRollbackConfiguration, so a failed or alarmed deployment is left in place. ${ROLLBACK_FIX}`,
                urn: "urn:pulumi:prod::app::aws:codedeploy/deploymentGroup:DeploymentGroup::web",
            },
            {
                message: `CodeDeploy deployment group 'web' in a production stack (${PROD}) has no alarmConfiguration, so no CloudWatch alarm can stop a deployment. ${ROLLBACK_FIX}`,
                urn: "urn:pulumi:prod::app::aws:codedeploy/deploymentGroup:DeploymentGroup::web",
            },
        ]);
    });

    it("reports disabled blocks, a missing rollback event and an empty alarm list, each on its own", async () => {
        const cases: [Record<string, unknown>, string][] = [
            [
                {
                    ...GOOD_GROUP,
                    autoRollbackConfiguration: { enabled: false, events: GOOD_GROUP.autoRollbackConfiguration.events },
                },
                "does not enable autoRollbackConfiguration (enabled is not true)",
            ],
            [
                { ...GOOD_GROUP, autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] } },
                "does not roll back on DEPLOYMENT_STOP_ON_ALARM (autoRollbackConfiguration.events)",
            ],
            [
                { ...GOOD_GROUP, autoRollbackConfiguration: { enabled: true } },
                "does not roll back on DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM (autoRollbackConfiguration.events)",
            ],
            [
                { ...GOOD_GROUP, alarmConfiguration: { alarms: ["web-5xx"] } },
                "does not enable alarmConfiguration (enabled is not true)",
            ],
            [
                { ...GOOD_GROUP, alarmConfiguration: { enabled: true, alarms: [] } },
                "names no alarm in alarmConfiguration.alarms",
            ],
            [{ ...GOOD_GROUP, alarmConfiguration: { enabled: true } }, "names no alarm in alarmConfiguration.alarms"],
        ];
        for (const [props, problem] of cases) {
            assert.deepEqual(await stackMessages(codedeployAutoRollbackMonitor, [group(props)]), [
                `CodeDeploy deployment group 'web' in a production stack (${PROD}) ${problem}. ${ROLLBACK_FIX}`,
            ]);
        }
    });

    it("passes a complete group, and Terraform-shaped one-element blocks", async () => {
        assert.deepEqual(await stackMessages(codedeployAutoRollbackMonitor, [group(GOOD_GROUP)]), []);
        const listed = {
            autoRollbackConfiguration: [GOOD_GROUP.autoRollbackConfiguration],
            alarmConfiguration: [{ enabled: "true", alarms: ["a"] }],
        };
        assert.deepEqual(await stackMessages(codedeployAutoRollbackMonitor, [group(listed)]), []);
    });

    it("passes values unknown in preview: whole blocks, flags, event lists and entries, alarm lists", async () => {
        const unknowns: Record<string, unknown>[] = [
            { autoRollbackConfiguration: UNKNOWN, alarmConfiguration: UNKNOWN },
            {
                autoRollbackConfiguration: { enabled: UNKNOWN, events: UNKNOWN },
                alarmConfiguration: { enabled: UNKNOWN, alarms: UNKNOWN },
            },
            {
                autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", UNKNOWN] },
                alarmConfiguration: { enabled: true, alarms: [UNKNOWN] },
            },
        ];
        for (const props of unknowns) {
            assert.deepEqual(await stackMessages(codedeployAutoRollbackMonitor, [group(props)]), []);
        }
    });

    it("judges only production groups: other stacks pass, a production tag or account makes one production", async () => {
        assert.deepEqual(await stackMessages(codedeployAutoRollbackMonitor, [group({}, "dev")]), []);
        const tagged = group({ tags: { "cicd:tier": "production" } }, "dev");
        assert.equal((await stackMessages(codedeployAutoRollbackMonitor, [tagged])).length, 2);
        const inAccount = await stackMessages(codedeployAutoRollbackMonitor, [group({}, "dev")], {
            config: { productionAccountIds: ["111111111111"] },
        });
        assert.equal(inAccount.length, 2);
        assert.match(inAccount[0], /\(account 111111111111 is in productionAccountIds\)/);
    });

    it("does not crash on malformed props, nor judge other resource types", async () => {
        for (const props of [
            { autoRollbackConfiguration: null, alarmConfiguration: "x" },
            { autoRollbackConfiguration: [], alarmConfiguration: [null] },
            { autoRollbackConfiguration: { events: "DEPLOYMENT_FAILURE" }, alarmConfiguration: { alarms: 3 } },
        ]) {
            const messages = await stackMessages(codedeployAutoRollbackMonitor, [group(props)]);
            assert.ok(messages.length > 0, JSON.stringify(props));
        }
        const other = stackResource("aws:codedeploy/application:Application", "web", {}, {}, "prod");
        assert.deepEqual(await stackMessages(codedeployAutoRollbackMonitor, [other]), []);
    });
});

describe("codedeploy-lambda-gradual-traffic-shift", () => {
    const GROUP_FIX =
        "Set deploymentConfigName to a canary or linear configuration, e.g. 'CodeDeployDefault.LambdaCanary10Percent5Minutes'.";
    const lambdaApp = (stack = "prod") =>
        stackResource(APPLICATION_TYPE, "orders", { name: "orders", computePlatform: "Lambda" }, {}, stack);
    const lambdaGroup = (props: Record<string, unknown>, stack = "prod") =>
        stackResource(
            DEPLOYMENT_GROUP_TYPE,
            "orders",
            { appName: "orders", serviceRoleArn: ROLE, ...props },
            {},
            stack,
        );

    function pipeline(configuration: unknown, stack = "prod", extra: Record<string, unknown> = {}) {
        const deploy = {
            name: "Deploy",
            category: "Deploy",
            owner: "AWS",
            provider: "Lambda",
            version: "1",
            configuration,
            ...extra,
        };
        return stackResource(
            PIPELINE_TYPE,
            "orders-pipeline",
            { stages: [{ name: "Prod", actions: [deploy] }] },
            {},
            stack,
        );
    }

    it("reports a production group on CodeDeployDefault.LambdaAllAtOnce, even when its application is elsewhere", async () => {
        const reports = await validateStack(codedeployLambdaGradualTrafficShift, [
            lambdaGroup({ deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }),
        ]);
        assert.deepEqual(reports, [
            {
                message: `CodeDeploy deployment group 'orders' in a production stack (${PROD}) uses deploymentConfigName 'CodeDeployDefault.LambdaAllAtOnce', which shifts all traffic to the new version at once. ${GROUP_FIX}`,
                urn: "urn:pulumi:prod::app::aws:codedeploy/deploymentGroup:DeploymentGroup::orders",
            },
        ]);
    });

    it("reports a group of a Lambda application without deploymentConfigName, joined by name or, in preview, by dependency", async () => {
        const message = `CodeDeploy deployment group 'orders' in a production stack (${PROD}) belongs to a Lambda application and sets no deploymentConfigName, so it gets the default all-at-once shift. ${GROUP_FIX}`;
        assert.deepEqual(await stackMessages(codedeployLambdaGradualTrafficShift, [lambdaApp(), lambdaGroup({})]), [
            message,
        ]);
        const app = lambdaApp();
        const fed = stackResource(DEPLOYMENT_GROUP_TYPE, "orders", { appName: UNKNOWN }, { appName: [app] }, "prod");
        assert.deepEqual(await stackMessages(codedeployLambdaGradualTrafficShift, [app, fed]), [message]);
    });

    it("passes canary and linear groups, unknown names, groups of Server applications and unseen applications", async () => {
        const passing = [
            [lambdaApp(), lambdaGroup({ deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes" })],
            [lambdaApp(), lambdaGroup({ deploymentConfigName: UNKNOWN })],
            [stackResource(APPLICATION_TYPE, "orders", { name: "orders" }, {}, "prod"), lambdaGroup({})],
            [lambdaGroup({})],
            [lambdaApp("dev"), lambdaGroup({ deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }, "dev")],
        ];
        for (const resources of passing) {
            assert.deepEqual(await stackMessages(codedeployLambdaGradualTrafficShift, resources), []);
        }
    });

    it("reports a production custom Lambda configuration that shifts all at once or names no routing", async () => {
        const config = (props: Record<string, unknown>) =>
            stackResource(DEPLOYMENT_CONFIG_TYPE, "orders-shift", { computePlatform: "Lambda", ...props }, {}, "prod");
        const fix =
            'Set trafficRoutingConfig to { type: "TimeBasedCanary", timeBasedCanary: { percentage, interval } } or ' +
            '{ type: "TimeBasedLinear", timeBasedLinear: { percentage, interval } }, or give the groups a predefined one ' +
            "such as 'CodeDeployDefault.LambdaCanary10Percent5Minutes'.";
        const prefix = `CodeDeploy deployment config 'orders-shift' in a production stack (${PROD})`;
        assert.deepEqual(
            await stackMessages(codedeployLambdaGradualTrafficShift, [
                config({ trafficRoutingConfig: { type: "AllAtOnce" } }),
            ]),
            [`${prefix} is a Lambda configuration whose trafficRoutingConfig shifts all traffic at once. ${fix}`],
        );
        assert.deepEqual(await stackMessages(codedeployLambdaGradualTrafficShift, [config({})]), [
            `${prefix} is a Lambda configuration without trafficRoutingConfig. ${fix}`,
        ]);
        for (const props of [
            { trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { percentage: 10, interval: 5 } } },
            { trafficRoutingConfig: UNKNOWN },
            { trafficRoutingConfig: { type: UNKNOWN } },
            { computePlatform: "Server", minimumHealthyHosts: { type: "HOST_COUNT", value: 1 } },
            { computePlatform: UNKNOWN },
        ]) {
            assert.deepEqual(await stackMessages(codedeployLambdaGradualTrafficShift, [config(props)]), []);
        }
    });

    it("reports a production pipeline's Lambda deploy action that shifts all at once or has no alias", async () => {
        const prefix = `CodePipeline 'orders-pipeline' in a production stack (${PROD}): Lambda deploy action 'Deploy' (stage 'Prod')`;
        const allAtOnce =
            "which moves all traffic to the new version at once. Set DeployStrategy to a Canary or Linear strategy, " +
            "e.g. 'Canary10Percent5Minutes' or 'Linear10PercentEvery1Minute'.";
        const cases: [unknown, string][] = [
            [
                { FunctionName: "orders", FunctionAlias: "live" },
                `${prefix} sets no DeployStrategy (the default is AllAtOnce), ${allAtOnce}`,
            ],
            [
                { FunctionName: "orders", FunctionAlias: "live", DeployStrategy: "AllAtOnce" },
                `${prefix} sets DeployStrategy 'AllAtOnce', ${allAtOnce}`,
            ],
            [
                { FunctionName: "orders", FunctionAlias: "live", DeployStrategy: "CodeDeployDefault.LambdaAllAtOnce" },
                `${prefix} sets DeployStrategy 'CodeDeployDefault.LambdaAllAtOnce', ${allAtOnce}`,
            ],
            [
                { FunctionName: "orders", DeployStrategy: "Canary10Percent5Minutes" },
                `${prefix} sets no FunctionAlias, so the new code goes to $LATEST with no traffic shifting. Set FunctionAlias to the alias callers use and DeployStrategy to a Canary or Linear strategy (e.g. 'Canary10Percent5Minutes').`,
            ],
        ];
        for (const [configuration, message] of cases) {
            const reports = await validateStack(codedeployLambdaGradualTrafficShift, [pipeline(configuration)]);
            assert.deepEqual(reports, [
                { message, urn: "urn:pulumi:prod::app::aws:codepipeline/pipeline:Pipeline::orders-pipeline" },
            ]);
        }
    });

    it("passes canary and linear actions, unknowns, pipeline variables, other providers and non-production pipelines", async () => {
        const passing: unknown[] = [
            { FunctionName: "orders", FunctionAlias: "live", DeployStrategy: "Canary10Percent5Minutes" },
            { FunctionName: "orders", FunctionAlias: "live", DeployStrategy: "Linear10PercentEvery1Minute" },
            { FunctionName: "orders", FunctionAlias: "live", DeployStrategy: UNKNOWN },
            { FunctionName: "orders", FunctionAlias: UNKNOWN, DeployStrategy: "#{variables.strategy}" },
            UNKNOWN,
        ];
        for (const configuration of passing) {
            assert.deepEqual(await stackMessages(codedeployLambdaGradualTrafficShift, [pipeline(configuration)]), []);
        }
        const invoke = pipeline({ FunctionName: "orders" }, "prod", { category: "Invoke" });
        const dev = pipeline({ FunctionName: "orders", DeployStrategy: "AllAtOnce" }, "dev");
        assert.deepEqual(await stackMessages(codedeployLambdaGradualTrafficShift, [invoke, dev]), []);
        const prodAccount = pipeline({ FunctionName: "orders", FunctionAlias: "live" }, "dev", {
            roleArn: "arn:aws:iam::111111111111:role/deploy",
        });
        const byAccount = await stackMessages(codedeployLambdaGradualTrafficShift, [prodAccount], {
            config: { productionAccountIds: ["111111111111"] },
        });
        assert.equal(byAccount.length, 1);
    });

    it("does not crash on malformed stages, configurations or groups", async () => {
        const resources = [
            stackResource(PIPELINE_TYPE, "p", { stages: UNKNOWN }, {}, "prod"),
            stackResource(
                PIPELINE_TYPE,
                "q",
                {
                    stages: [
                        null,
                        { actions: [null, 3, { category: "Deploy", provider: "Lambda", configuration: null }] },
                    ],
                },
                {},
                "prod",
            ),
            stackResource(DEPLOYMENT_GROUP_TYPE, "g", { appName: 3, deploymentConfigName: 4 }, {}, "prod"),
            stackResource(
                DEPLOYMENT_CONFIG_TYPE,
                "c",
                { computePlatform: "Lambda", trafficRoutingConfig: [] },
                {},
                "prod",
            ),
            stackResource(APPLICATION_TYPE, "a", { name: UNKNOWN, computePlatform: UNKNOWN }, {}, "prod"),
        ];
        const messages = await stackMessages(codedeployLambdaGradualTrafficShift, resources);
        assert.deepEqual(
            messages.map((m) => m.split(" in a production stack")[0]),
            ["CodeDeploy deployment config 'c'", "CodePipeline 'q'"],
        );
    });
});

describe("codedeploy-minimum-healthy-hosts", () => {
    const config = (props: Record<string, unknown>, stack = "prod") =>
        stackResource(DEPLOYMENT_CONFIG_TYPE, "fleet", { deploymentConfigName: "fleet-min", ...props }, {}, stack);
    const example = '(e.g. { type: "FLEET_PERCENT", value: 75 } or { type: "HOST_COUNT", value: 1 }).';

    it("reports a production group on CodeDeployDefault.AllAtOnce with the fix", async () => {
        const reports = await validateStack(codedeployMinimumHealthyHosts, [
            group({ ...GOOD_GROUP, deploymentConfigName: "CodeDeployDefault.AllAtOnce" }),
        ]);
        assert.deepEqual(reports, [
            {
                message: `CodeDeploy deployment group 'web' in a production stack (${PROD}) uses deploymentConfigName 'CodeDeployDefault.AllAtOnce', which may take every instance out of service at once. Use 'CodeDeployDefault.HalfAtATime' or 'CodeDeployDefault.OneAtATime', or a custom configuration that keeps hosts healthy (e.g. minimumHealthyHosts { type: "FLEET_PERCENT", value: 75 }).`,
                urn: "urn:pulumi:prod::app::aws:codedeploy/deploymentGroup:DeploymentGroup::web",
            },
        ]);
    });

    it("reports a production Server configuration keeping 0 hosts healthy, by percent or count", async () => {
        const prefix = `CodeDeploy deployment config 'fleet' in a production stack (${PROD})`;
        assert.deepEqual(
            await stackMessages(codedeployMinimumHealthyHosts, [
                config({ computePlatform: "Server", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 0 } }),
            ]),
            [
                `${prefix} keeps minimumHealthyHosts FLEET_PERCENT 0 healthy, below the floor of 1 (policy config minimumHealthyHostsFleetPercent), so a deployment may take every instance out of service at once. Raise minimumHealthyHosts.value to at least 1 ${example}`,
            ],
        );
        assert.deepEqual(
            await stackMessages(codedeployMinimumHealthyHosts, [
                config({ minimumHealthyHosts: [{ type: "HOST_COUNT", value: "0" }] }),
            ]),
            [
                `${prefix} keeps minimumHealthyHosts HOST_COUNT 0 healthy, below the floor of 1 (policy config minimumHealthyHostsHostCount), so a deployment may take every instance out of service at once. Raise minimumHealthyHosts.value to at least 1 ${example}`,
            ],
        );
    });

    it("applies configured floors like the AWS Config rule's parameters", async () => {
        const options = { config: { minimumHealthyHostsFleetPercent: 66, minimumHealthyHostsHostCount: 2 } };
        const percent = config({ minimumHealthyHosts: { type: "FLEET_PERCENT", value: 50 } });
        assert.deepEqual(await stackMessages(codedeployMinimumHealthyHosts, [percent], options), [
            `CodeDeploy deployment config 'fleet' in a production stack (${PROD}) keeps minimumHealthyHosts FLEET_PERCENT 50 healthy, below the floor of 66 (policy config minimumHealthyHostsFleetPercent). Raise minimumHealthyHosts.value to at least 66 ${example}`,
        ]);
        const count = config({ minimumHealthyHosts: { type: "HOST_COUNT", value: 1 } });
        assert.equal((await stackMessages(codedeployMinimumHealthyHosts, [count], options)).length, 1);
        const enough = config({ minimumHealthyHosts: { type: "FLEET_PERCENT", value: 66 } });
        assert.deepEqual(await stackMessages(codedeployMinimumHealthyHosts, [enough], options), []);
    });

    it("passes healthy configurations, other platforms, unknowns and non-production stacks", async () => {
        const passing = [
            config({ minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 } }),
            config({ minimumHealthyHosts: { type: "HOST_COUNT", value: 1 } }),
            config({ computePlatform: "Lambda", trafficRoutingConfig: { type: "TimeBasedLinear" } }),
            config({ computePlatform: UNKNOWN, minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } }),
            config({ minimumHealthyHosts: UNKNOWN }),
            config({ minimumHealthyHosts: { type: UNKNOWN, value: 0 } }),
            config({ minimumHealthyHosts: { type: "HOST_COUNT", value: UNKNOWN } }),
            config({ minimumHealthyHosts: { type: "HOST_COUNT", value: 0 } }, "dev"),
            group({ deploymentConfigName: "CodeDeployDefault.HalfAtATime" }),
            group({ deploymentConfigName: UNKNOWN }),
            group({}),
            group({ deploymentConfigName: "CodeDeployDefault.AllAtOnce" }, "staging"),
        ];
        for (const resource of passing) {
            assert.deepEqual(await stackMessages(codedeployMinimumHealthyHosts, [resource]), [], resource.name);
        }
    });

    it("does not crash on malformed configurations", async () => {
        const resources = [
            config({ minimumHealthyHosts: null }),
            config({ minimumHealthyHosts: [] }),
            config({ minimumHealthyHosts: { type: 3, value: "x" } }),
            config({ minimumHealthyHosts: "HOST_COUNT" }),
            config({ minimumHealthyHosts: { value: 0 } }),
        ];
        const messages = await stackMessages(codedeployMinimumHealthyHosts, resources);
        assert.deepEqual(messages.length, 1);
        assert.match(messages[0], /keeps minimumHealthyHosts \(no type\) 0 healthy, below the floor of 1 /);
    });
});
