import { strict as assert } from "assert";
import { stageInputs } from "../../components/pipeline-stages";
import { conditionProblems } from "../../model/gates";
import { buildPipelineModel, contractViolations, type StageModel } from "../../model/pipeline";
import { ecsBlueGreenDeploy, environment, prodEnvironment, service, smokeTests } from "../fixtures/config";

const deployOf = (m: ReturnType<typeof buildPipelineModel>) => m.stages.find((s) => s.id === "deploy")!;
const gates = { deploymentWindow: { cron: "* * 9-16 ? * MON-THU", timeZone: "Europe/Dublin" }, bakeMinutes: 30 };
const web = (overrides: Record<string, unknown> = {}) =>
    service({ deploy: { ...ecsBlueGreenDeploy, alarms: ["web-5xx", "web-latency"] }, tests: smokeTests, ...overrides });

describe("gates around the production deploy", () => {
    it("enters only inside the window and while no alarm fires, then bakes watching the same alarms", () => {
        const deploy = deployOf(buildPipelineModel(prodEnvironment({ gates }), web()));
        assert.deepEqual(deploy.beforeEntry, {
            result: "FAIL",
            rules: [
                {
                    name: "DeploymentWindow",
                    provider: "DeploymentWindow",
                    configuration: { Cron: "* * 9-16 ? * MON-THU", TimeZone: "Europe/Dublin" },
                },
                {
                    name: "NoAlarm1",
                    provider: "CloudWatchAlarm",
                    configuration: { AlarmName: "web-5xx", AlarmStates: "ALARM" },
                },
                {
                    name: "NoAlarm2",
                    provider: "CloudWatchAlarm",
                    configuration: { AlarmName: "web-latency", AlarmStates: "ALARM" },
                },
            ],
        });
        assert.equal(deploy.onSuccess?.result, "ROLLBACK");
        assert.deepEqual(
            deploy.onSuccess?.rules.map((r) => [r.configuration.AlarmName, r.configuration.WaitTime]),
            [
                ["web-5xx", "30"],
                ["web-latency", "30"],
            ],
        );
    });

    it("checks the alarms on entry in production even without gates config; nothing elsewhere", () => {
        const prod = deployOf(buildPipelineModel(prodEnvironment(), web()));
        assert.deepEqual(
            prod.beforeEntry?.rules.map((r) => r.provider),
            ["CloudWatchAlarm", "CloudWatchAlarm"],
        );
        assert.equal(deployOf(buildPipelineModel(environment(), web({ tests: {} }))).beforeEntry, undefined);
    });

    it("translates the conditions to the provider's beforeEntry/onSuccess/onFailure blocks", () => {
        const deploy = deployOf(buildPipelineModel(prodEnvironment({ gates }), web()));
        const [input] = stageInputs([deploy]) as any[];
        assert.deepEqual(input.beforeEntry.condition.rules[0], {
            name: "DeploymentWindow",
            ruleTypeId: { category: "Rule", owner: "AWS", provider: "DeploymentWindow", version: "1" },
            configuration: { Cron: "* * 9-16 ? * MON-THU", TimeZone: "Europe/Dublin" },
        });
        assert.equal(input.beforeEntry.condition.result, "FAIL");
        assert.equal(input.onSuccess.condition.result, "ROLLBACK");
        assert.deepEqual(input.onFailure, { result: "ROLLBACK" });
    });

    it("rejects more rules than a condition takes, naming the limit", () => {
        const alarms = ["a1", "a2", "a3", "a4", "a5"];
        const m = buildPipelineModel(prodEnvironment({ gates }), web({ deploy: { ...ecsBlueGreenDeploy, alarms } }));
        assert.deepEqual(contractViolations(m), [
            "Deploy entry condition has 6 rules; CodePipeline allows 1-5 per condition. List at most 5 alarms for the service (with a deployment window, at most 4).",
        ]);
    });

    describe("documented combinations", () => {
        const rule = { name: "A", provider: "CloudWatchAlarm" as const, configuration: { AlarmName: "a" } };
        const stage = (extra: Record<string, unknown>): StageModel =>
            ({ id: "deploy", name: "Deploy", actions: [], ...extra }) as StageModel;

        it("entry: FAIL or SKIP, SKIP only with LambdaInvoke or VariableCheck", () => {
            assert.deepEqual(
                conditionProblems(stage({ beforeEntry: { result: "ROLLBACK", rules: [rule] } }), "QUEUED"),
                ["Deploy entry condition has result ROLLBACK; entry conditions take FAIL or SKIP."],
            );
            assert.deepEqual(conditionProblems(stage({ beforeEntry: { result: "SKIP", rules: [rule] } }), "QUEUED"), [
                "Deploy entry condition has result SKIP, which only LambdaInvoke and VariableCheck rules allow; use FAIL.",
            ]);
            assert.deepEqual(
                conditionProblems(stage({ beforeEntry: { result: "FAIL", rules: [rule] } }), "QUEUED"),
                [],
            );
        });

        it("on success: ROLLBACK or FAIL, and no rollback in PARALLEL", () => {
            assert.deepEqual(conditionProblems(stage({ onSuccess: { result: "RETRY", rules: [rule] } }), "QUEUED"), [
                "Deploy on-success condition has result RETRY; on-success conditions take ROLLBACK or FAIL.",
            ]);
            assert.deepEqual(
                conditionProblems(stage({ onSuccess: { result: "ROLLBACK", rules: [rule] } }), "PARALLEL"),
                [
                    "Deploy on-success condition rolls back, which PARALLEL executions cannot do; use FAIL, or QUEUED or SUPERSEDED mode.",
                ],
            );
        });

        it("on failure: ROLLBACK or RETRY, no automatic retry inside a condition, no rollback in PARALLEL", () => {
            assert.deepEqual(conditionProblems(stage({ onFailure: { result: "SKIP" } }), "QUEUED"), [
                "Deploy on-failure condition has result SKIP; on-failure takes ROLLBACK or RETRY.",
            ]);
            assert.deepEqual(conditionProblems(stage({ onFailure: { result: "RETRY", rules: [rule] } }), "QUEUED"), [
                "Deploy on-failure condition retries automatically inside a condition with rules, which CodePipeline does not allow; use ROLLBACK there, or RETRY without rules.",
            ]);
            assert.deepEqual(conditionProblems(stage({ onFailure: { result: "ROLLBACK" } }), "PARALLEL"), [
                "Deploy on-failure condition rolls back, which PARALLEL executions cannot do; leave it out, or use QUEUED or SUPERSEDED mode.",
            ]);
        });

        it("rule keys follow the rule records", () => {
            const bad = { name: "W", provider: "DeploymentWindow" as const, configuration: { Schedule: "x" } };
            assert.deepEqual(conditionProblems(stage({ beforeEntry: { result: "FAIL", rules: [bad] } }), "QUEUED"), [
                "Deploy entry condition rule W sets `Schedule`, which the DeploymentWindow rule does not take",
                "Deploy entry condition rule W lacks `Cron`, which the DeploymentWindow rule requires",
            ]);
        });
    });
});
