import { strict as assert } from "assert";
import { ACTIONS, contractProblems, type ActionRecord } from "../../model/actions";
import { DEPLOY_KINDS, type DeployKindRecord } from "../../model/deploy-kinds";
import { buildPipelineModel, contractViolations, type PipelineModel } from "../../model/pipeline";
import type { DeployKindName } from "../../stacks/deploy-kinds";
import {
    ecsBlueGreenDeploy,
    ecsRollingDeploy,
    environment,
    lambdaDeploy,
    prodEnvironment,
    service,
} from "../fixtures/config";

const shape = (configuration: Record<string, string>, inputs = 1, outputs = 0) => ({
    configuration,
    inputArtifacts: Array.from({ length: inputs }, (_, i) => `In${i}`),
    outputArtifacts: Array.from({ length: outputs }, (_, i) => `Out${i}`),
});

describe("action records", () => {
    for (const [id, record] of Object.entries(ACTIONS) as [string, ActionRecord][]) {
        it(`${id} cites its CodePipeline reference page and states a complete contract`, () => {
            assert.match(
                record.reference,
                /^https:\/\/docs\.aws\.amazon\.com\/codepipeline\/latest\/userguide\/[\w-]+\.html$/,
            );
            assert.equal(record.owner, "AWS");
            assert.equal(record.version, "1");
            assert.equal(
                new Set([...record.requiredKeys, ...record.optionalKeys]).size,
                record.requiredKeys.length + record.optionalKeys.length,
            );
            assert.ok(record.inputArtifacts.min <= record.inputArtifacts.max);
            assert.ok(record.outputArtifacts.min <= record.outputArtifacts.max);
        });
    }

    it("marks the Lambda deploy action V2-only, as its page says, and no other", () => {
        const v2 = Object.entries(ACTIONS)
            .filter(([, r]) => r.v2Only)
            .map(([id]) => id);
        assert.deepEqual(v2, ["lambdaDeploy"]);
        assert.deepEqual([ACTIONS.lambdaDeploy.category, ACTIONS.lambdaDeploy.provider], ["Deploy", "Lambda"]);
    });

    it("reports unknown keys, missing keys and artifact counts against the record", () => {
        assert.deepEqual(contractProblems(ACTIONS.ecsDeploy, shape({ ClusterName: "c", ServiceName: "s" })), []);
        assert.deepEqual(contractProblems(ACTIONS.ecsDeploy, shape({ ClusterName: "c", ServiceNam: "s" }, 2, 1)), [
            "sets `ServiceNam`, which the ECS action does not take",
            "lacks `ServiceName`, which the ECS action requires",
            "has 2 input artifact(s), but the action takes 1",
            "has 1 output artifact(s), but the action takes 0",
        ]);
    });

    it("needs an input artifact or PublishedTargetVersion for a Lambda deploy", () => {
        assert.deepEqual(contractProblems(ACTIONS.lambdaDeploy, shape({ FunctionName: "f" }, 0)), [
            "needs an input artifact (the function package) or `PublishedTargetVersion`",
        ]);
        assert.deepEqual(
            contractProblems(ACTIONS.lambdaDeploy, shape({ FunctionName: "f", PublishedTargetVersion: "3" }, 0)),
            [],
        );
        assert.deepEqual(contractProblems(ACTIONS.lambdaDeploy, shape({ FunctionName: "f" }, 1)), []);
    });

    it("grants the Lambda deploy action what its page lists, scoped to the function, alarms and its log group", () => {
        const ctx = { environment: "prod", accountId: "111122223333", region: "eu-west-1", partition: "aws" };
        const statements = ACTIONS.lambdaDeploy.permissions({
            ctx,
            configuration: { FunctionName: "orders-api", FunctionAlias: "live", Alarms: "errors,latency" },
            pipelineName: "orders-api-prod",
        });
        const fn = "arn:aws:lambda:eu-west-1:111122223333:function:orders-api";
        const logs = "arn:aws:logs:eu-west-1:111122223333:log-group:/eu-west-1/codepipeline/orders-api-prod";
        assert.deepEqual(
            statements.map((st) => [st?.Action, st?.Resource]),
            [
                [
                    [
                        "lambda:GetFunctionConfiguration",
                        "lambda:UpdateFunctionCode",
                        "lambda:PublishVersion",
                        "lambda:GetAlias",
                        "lambda:UpdateAlias",
                        "lambda:GetProvisionedConcurrencyConfig",
                    ],
                    [fn, `${fn}:*`],
                ],
                [
                    ["cloudwatch:DescribeAlarms"],
                    [
                        "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:errors",
                        "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:latency",
                    ],
                ],
                [["logs:CreateLogGroup"], [logs, `${logs}:*`]],
                [["logs:CreateLogStream", "logs:PutLogEvents"], [`${logs}:log-stream:*`]],
            ],
        );
        assert.deepEqual(
            contractProblems(ACTIONS.lambdaDeploy, shape({ FunctionName: "f", Alarms: "a,b,c,d,e,f,g,h,i,j,k" })),
            ["`Alarms` may list at most 10 alarms"],
        );
    });

    it("holds for every action the model plans, of every source and deploy kind", () => {
        const sources = [
            undefined,
            { kind: "codecommit", repository: "web" },
            { kind: "s3", bucket: "acme-source", objectKey: "web.zip", eventBridgeEnabled: true },
        ];
        const deploys = [
            ecsBlueGreenDeploy,
            ecsRollingDeploy,
            lambdaDeploy,
            { kind: "s3-site", bucket: "www-example-com" },
        ];
        const tests = { unit: { commands: ["u"] }, integration: { commands: ["i"] }, security: { commands: ["s"] } };
        for (const source of sources)
            for (const deploy of deploys) {
                const m = buildPipelineModel(
                    prodEnvironment(),
                    service({ ...(source ? { source } : {}), deploy, tests }),
                );
                assert.deepEqual(contractViolations(m), [], `${source?.kind ?? "codestar"} → ${deploy.kind}`);
            }
    });

    it("names the stage and action of a broken action", () => {
        const m = buildPipelineModel(environment(), service());
        const broken: PipelineModel = {
            ...m,
            stages: m.stages.map((s) =>
                s.id === "deploy"
                    ? {
                          ...s,
                          actions: [{ ...s.actions[0], configuration: { ...s.actions[0].configuration, Extract: "" } }],
                      }
                    : s,
            ),
        };
        assert.deepEqual(contractViolations(broken), ["Deploy.Deploy lacks `Extract`, which the S3 action requires"]);
    });
});

describe("deploy-kind records", () => {
    it("has one record per config schema, each naming an action record of the Deploy category", () => {
        for (const [kind, record] of Object.entries(DEPLOY_KINDS)) {
            assert.equal(record.kind, kind);
            assert.equal(ACTIONS[record.action].category, "Deploy", kind);
        }
    });

    it("is a compile error when a kind has no record", () => {
        // @ts-expect-error -- "s3-site" is missing: the mapped type over the config schemas' kinds rejects it.
        const incomplete: { readonly [K in DeployKindName]: DeployKindRecord<K> } = {
            "ecs-rolling": DEPLOY_KINDS["ecs-rolling"],
            "ecs-blue-green": DEPLOY_KINDS["ecs-blue-green"],
            lambda: DEPLOY_KINDS.lambda,
        };
        assert.ok(incomplete);
    });
});
