import { strict as assert } from "node:assert";
import * as names from "../../model/names";
import {
    alarmsPublishStatement,
    alarmsUseKeyStatement,
    deliveryMetricsRolePolicy,
    deliveryMetricsTrustPolicy,
} from "../../model/metrics";
import { policy } from "../../model/iam/document";
import { ACCOUNT, ctx, OTHER_ACCOUNT, REGION } from "../iam/fixtures";
import { decide, decisions, req, unexpected, type Caller } from "../iam/sim";

const caller: Caller = {
    principal: names.deliveryMetricsRoleArn(ctx),
    identity: [deliveryMetricsRolePolicy(ctx, ["web", "orders-api"])],
};
const logGroup = names.logGroupArn(ctx, names.deliveryMetricsLogGroupName(ctx));
const stream = `${logGroup}:log-stream:2026/11/20/[$LATEST]0f6c1c5e6b7a4a8e`;
const pipeline = (service: string) => names.pipelineArn(ctx, service);

describe("delivery-metrics handler role (IAM simulator)", () => {
    it("writes its own log streams and reads its environment's pipeline executions", async () => {
        const got = await decisions(caller, [
            req("logs:CreateLogStream", stream),
            req("logs:PutLogEvents", stream),
            req("codepipeline:GetPipelineExecution", pipeline("web")),
            req("codepipeline:ListActionExecutions", pipeline("orders-api")),
        ]);
        assert.deepEqual(unexpected(got, "Allowed"), {});
    });

    it("may not publish metrics, touch other logs or pipelines, or change anything", async () => {
        const otherGroup = names.logGroupArn(ctx, names.logGroupName(ctx, "web-prod-build"));
        const got = await decisions(caller, [
            req("cloudwatch:PutMetricData", "*"),
            req("logs:PutLogEvents", `${otherGroup}:log-stream:abc`),
            req("logs:CreateLogGroup", logGroup),
            req("logs:DeleteLogGroup", logGroup),
            req("logs:PutRetentionPolicy", logGroup),
            req("codepipeline:GetPipelineExecution", pipeline("payments")),
            req("codepipeline:GetPipelineExecution", `arn:aws:codepipeline:${REGION}:${OTHER_ACCOUNT}:web-prod`),
            req("codepipeline:StartPipelineExecution", pipeline("web")),
            req("codepipeline:RetryStageExecution", `${pipeline("web")}/Deploy`),
            req("codepipeline:UpdatePipeline", pipeline("web")),
        ]);
        assert.deepEqual(unexpected(got, "ImplicitlyDenied"), {});
    });

    it("is assumable by Lambda only", async () => {
        const trust = deliveryMetricsTrustPolicy();
        const role = names.deliveryMetricsRoleArn(ctx);
        const asService = (service: string) =>
            decide(
                { principal: service, identity: [] },
                { action: "sts:AssumeRole", resource: role, context: { "aws:PrincipalServiceName": service } },
                trust,
            );
        assert.equal(await asService("lambda.amazonaws.com"), "Allowed");
        assert.equal(await asService("codebuild.amazonaws.com"), "ImplicitlyDenied");
    });

    it("grants no wildcard action and lists no resource outside the environment", () => {
        const doc = deliveryMetricsRolePolicy(ctx, ["web"]);
        for (const s of doc.Statement) {
            assert.ok(
                s.Action.every((a) => !a.includes("*")),
                `${s.Sid} has a wildcard action`,
            );
            assert.ok(
                s.Resource!.every((r) => r.includes(`:${ACCOUNT}:`)),
                `${s.Sid} reaches outside the account`,
            );
        }
    });
});

describe("alarm access to the encrypted topic (statements for the key and topic policies)", () => {
    const topic = names.topicArn(ctx, names.topicName(ctx, "pipeline-events"));
    const alarm = names.cloudWatchAlarmArn(ctx, names.deliveryAlarmName(ctx, "failed-deployments"));
    const cloudwatch = { principal: "cloudwatch.amazonaws.com", identity: [] };
    const publish = (sourceArn: string, account = ACCOUNT) =>
        decide(
            cloudwatch,
            {
                action: "sns:Publish",
                resource: topic,
                context: {
                    "aws:SourceArn": sourceArn,
                    "aws:SourceAccount": account,
                    "aws:PrincipalServiceName": "cloudwatch.amazonaws.com",
                },
            },
            policy([alarmsPublishStatement(ctx, topic)]),
        );

    it("lets this environment's alarms publish, and no other alarm or account", async () => {
        assert.equal(await publish(alarm), "Allowed");
        assert.equal(await publish(alarm.replace(":alarm:cicd-prod-", ":alarm:team-")), "ImplicitlyDenied");
        assert.equal(await publish(alarm, OTHER_ACCOUNT), "ImplicitlyDenied");
    });

    it("lets CloudWatch use the key for the topic's data keys", () => {
        const s = alarmsUseKeyStatement();
        assert.deepEqual(s.Principal, { Service: "cloudwatch.amazonaws.com" });
        assert.deepEqual(s.Action, ["kms:GenerateDataKey", "kms:Decrypt"]);
    });
});
