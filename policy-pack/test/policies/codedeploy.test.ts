import { strict as assert } from "assert";
import { codedeployAutoRollbackMonitor, DEPLOYMENT_GROUP_TYPE } from "../../policies/codedeploy";
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
