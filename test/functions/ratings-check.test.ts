import { strict as assert } from "assert";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
    CodePipelineClient,
    PutJobFailureResultCommand,
    PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { mockClient } from "aws-sdk-client-mock";
import { check, type JobEvent } from "../../functions/ratings-check";

const NOW = new Date("2026-11-22T12:00:00Z");
const PARAMS = {
    namespace: "Acme/Feedback",
    metric: "Rating",
    service: "fleet-api",
    minimumAverage: 4.2,
    minimumCount: 50,
    hours: 24,
};

const event = (userParameters: unknown = PARAMS): JobEvent => ({
    "CodePipeline.job": {
        id: "job-1",
        data: {
            actionConfiguration: {
                configuration: {
                    UserParameters:
                        typeof userParameters === "string" ? userParameters : JSON.stringify(userParameters),
                },
            },
        },
    },
});

describe("ratings-check function", () => {
    const pipeline = mockClient(CodePipelineClient);
    const cloudwatch = mockClient(CloudWatchClient);
    const clients = () => ({
        codepipeline: new CodePipelineClient({}),
        cloudwatch: new CloudWatchClient({}),
        now: () => NOW,
    });

    beforeEach(() => {
        pipeline.reset();
        cloudwatch.reset();
    });

    /** The one result the function reported: "success" or the failure message. */
    function reported(): string {
        const ok = pipeline.commandCalls(PutJobSuccessResultCommand);
        const failed = pipeline.commandCalls(PutJobFailureResultCommand);
        assert.equal(ok.length + failed.length, 1, "exactly one result is reported");
        if (ok.length === 1) {
            assert.equal(ok[0].args[0].input.jobId, "job-1");
            return "success";
        }
        assert.equal(failed[0].args[0].input.jobId, "job-1");
        assert.equal(failed[0].args[0].input.failureDetails?.type, "JobFailed");
        return failed[0].args[0].input.failureDetails?.message ?? "";
    }

    it("succeeds when enough ratings average above the threshold, over the configured window", async () => {
        cloudwatch.on(GetMetricStatisticsCommand).resolves({
            Datapoints: [{ Average: 4.5, SampleCount: 60 }],
        });
        await check(event(), clients());
        assert.equal(reported(), "success");
        const query = cloudwatch.commandCalls(GetMetricStatisticsCommand)[0].args[0].input;
        assert.deepEqual(query.Dimensions, [{ Name: "Service", Value: "fleet-api" }]);
        assert.deepEqual([query.StartTime, query.EndTime], [new Date("2026-11-21T12:00:00Z"), NOW]);
        assert.deepEqual(query.Statistics, ["Average", "SampleCount"]);
    });

    it("fails when the weighted average is below the threshold", async () => {
        cloudwatch.on(GetMetricStatisticsCommand).resolves({
            Datapoints: [
                { Average: 5, SampleCount: 30 },
                { Average: 3, SampleCount: 70 },
            ],
        });
        await check(event(), clients());
        assert.equal(reported(), "average rating 3.60 is below 4.2");
    });

    it("fails when too few ratings were given to judge (fail safe)", async () => {
        cloudwatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Average: 5, SampleCount: 3 }] });
        await check(event(), clients());
        assert.equal(reported(), "only 3 ratings in 24 h, fewer than the 50 needed");
    });

    it("fails, and still reports, when CloudWatch cannot be read", async () => {
        cloudwatch.on(GetMetricStatisticsCommand).rejects(new Error("AccessDenied"));
        await check(event(), clients());
        assert.equal(reported(), "could not read the ratings: AccessDenied");
    });

    it("fails on parameters that are not what it needs, without querying", async () => {
        await check(event("not json"), clients());
        assert.equal(
            reported(),
            "UserParameters must be JSON: { namespace, metric, service, minimumAverage, minimumCount, hours }",
        );
        pipeline.reset();
        await check(event({ ...PARAMS, minimumAverage: "high" }), clients());
        assert.equal(reported(), "UserParameters.minimumAverage must be a number");
        assert.equal(cloudwatch.commandCalls(GetMetricStatisticsCommand).length, 0);
    });
});
