import { strict as assert } from "node:assert";
import {
    CodePipelineClient,
    GetPipelineExecutionCommand,
    ListActionExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import { mockClient } from "aws-sdk-client-mock";
import { configFromEnvironment, handleEvent, type CodePipelineEvent } from "../../functions/delivery-metrics/handler";
import { actionRun, execution } from "./fixtures/api";
import { actionChanged, EXECUTION, PIPELINE, pipelineSucceeded, stageChanged } from "./fixtures/events";

const mock = mockClient(CodePipelineClient);
const config = { environment: "prod", services: { [PIPELINE]: "web" }, deployStage: "Deploy" };

async function run(event: object) {
    const lines: string[] = [];
    const doc = await handleEvent(event as CodePipelineEvent, {
        client: new CodePipelineClient({ region: "eu-west-1" }),
        config,
        write: (line) => lines.push(line),
    });
    return { doc, lines };
}

const metricsOf = (doc: Record<string, unknown> | undefined) =>
    (doc?._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0].Metrics.map(
        (m) => m.Name,
    );

describe("delivery-metrics handler", () => {
    beforeEach(() => mock.reset());

    it("records a successful deployment with its lead time from the newest commit, as one EMF line", async () => {
        mock.on(GetPipelineExecutionCommand).resolves(execution(EXECUTION, { created: ["2026-11-20T09:00:00Z"] }));
        mock.on(ListActionExecutionsCommand).resolves({
            actionExecutionDetails: [
                actionRun(EXECUTION, "Deploy", "Succeeded", "2026-11-20T10:20:00Z", "2026-11-20T10:29:00Z"),
            ],
        });
        const { doc, lines } = await run(pipelineSucceeded("2026-11-20T10:30:00Z"));
        assert.equal(lines.length, 1);
        assert.deepEqual(JSON.parse(lines[0]), doc);
        assert.deepEqual(doc, {
            _aws: {
                Timestamp: Date.parse("2026-11-20T10:30:00Z"),
                CloudWatchMetrics: [
                    {
                        Namespace: "CICD/Delivery",
                        Dimensions: [["service", "environment"], ["environment"]],
                        Metrics: [
                            { Name: "Deployments", Unit: "Count" },
                            { Name: "LeadTime", Unit: "Seconds" },
                        ],
                    },
                ],
            },
            service: "web",
            environment: "prod",
            pipeline: PIPELINE,
            executionId: EXECUTION,
            Deployments: 1,
            LeadTime: 90 * 60,
        });
        assert.deepEqual(mock.commandCalls(GetPipelineExecutionCommand)[0].args[0].input, {
            pipelineName: PIPELINE,
            pipelineExecutionId: EXECUTION,
        });
    });

    it("measures a promoted release's lead time from the commit its revision summary carries, not the promotion", async () => {
        const promoted = (summary: string) => {
            const e = execution(EXECUTION, { created: ["2026-11-20T10:00:00Z", "2026-11-20T10:00:05Z"] });
            const revisions = e.pipelineExecution!.artifactRevisions!.map((r) => ({ ...r, revisionSummary: summary }));
            return { ...e, pipelineExecution: { ...e.pipelineExecution, artifactRevisions: revisions } };
        };
        mock.on(ListActionExecutionsCommand).resolves({
            actionExecutionDetails: [
                actionRun(EXECUTION, "Deploy", "Succeeded", "2026-11-20T10:20:00Z", "2026-11-20T10:29:00Z"),
            ],
        });
        mock.on(GetPipelineExecutionCommand).resolves(
            promoted(
                "Release 20261120T075900Z-4f2d8c1e9b7a (commit 4f2d8c1e, committed 2026-11-20T08:00:00Z), verified",
            ),
        );
        assert.equal((await run(pipelineSucceeded("2026-11-20T10:30:00Z"))).doc?.LeadTime, 150 * 60);
        // A release published before commit dates were carried: the newest revision's creation, as before.
        mock.on(GetPipelineExecutionCommand).resolves(promoted("Release r1 (commit 4f2d8c1e), verified"));
        assert.equal((await run(pipelineSucceeded("2026-11-20T10:30:00Z"))).doc?.LeadTime, 30 * 60 - 5);
    });

    it("records a failed Deploy stage as a failed deployment and a change failure, without reading history", async () => {
        mock.on(GetPipelineExecutionCommand).resolves(execution(EXECUTION, { status: "InProgress" }));
        const { doc } = await run(stageChanged("Deploy", "FAILED"));
        assert.deepEqual(metricsOf(doc), ["FailedDeployments", "ChangeFailures"]);
        assert.equal(doc?.FailedDeployments, 1);
        assert.equal(mock.commandCalls(ListActionExecutionsCommand).length, 0);
    });

    it("records a successful automated rollback as a rollback that restores service after the failed deploys", async () => {
        const failed = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
        mock.on(GetPipelineExecutionCommand).resolves(
            execution(EXECUTION, { type: "ROLLBACK", trigger: "AutomatedRollback" }),
        );
        mock.on(ListActionExecutionsCommand).resolves({
            actionExecutionDetails: [
                actionRun(EXECUTION, "Deploy", "Succeeded", "2026-11-20T10:22:00Z", "2026-11-20T10:29:00Z"),
                actionRun(failed, "Deploy", "Failed", "2026-11-20T09:50:00Z", "2026-11-20T10:00:00Z"),
                actionRun(failed, "Build", "Succeeded", "2026-11-20T09:40:00Z", "2026-11-20T09:45:00Z"),
            ],
        });
        const { doc } = await run(pipelineSucceeded("2026-11-20T10:30:00Z"));
        assert.deepEqual(metricsOf(doc), ["RolledBackDeployments", "TimeToRestore"]);
        assert.equal(doc?.TimeToRestore, 30 * 60);
    });

    it("counts a manual rollback as a change failure", async () => {
        mock.on(GetPipelineExecutionCommand).resolves(
            execution(EXECUTION, { type: "ROLLBACK", trigger: "ManualRollback" }),
        );
        mock.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
        const { doc } = await run(pipelineSucceeded());
        assert.deepEqual(metricsOf(doc), ["RolledBackDeployments", "ChangeFailures"]);
    });

    it("ignores other stages, other states, action events and unknown pipelines without calling the API", async () => {
        for (const event of [
            stageChanged("Build", "FAILED"),
            stageChanged("Deploy", "SUCCEEDED"),
            actionChanged(),
            { ...pipelineSucceeded(), detail: { ...pipelineSucceeded().detail, state: "FAILED" } },
        ]) {
            const { doc, lines } = await run(event);
            assert.equal(doc, undefined);
            assert.deepEqual(lines, []);
        }
        // "other": not the environment's; "billing-prod": another team's pipeline the rule's `-prod` suffix lets in.
        for (const pipeline of ["other", "billing-prod"]) {
            const { doc, lines } = await run({
                ...pipelineSucceeded(),
                detail: { ...pipelineSucceeded().detail, pipeline },
            });
            assert.equal(doc, undefined);
            assert.deepEqual(
                lines.map((l) => JSON.parse(l).message),
                [`ignored event of unknown pipeline ${pipeline}`],
            );
        }
        assert.equal(mock.calls().length, 0);
    });

    it("lets an API error propagate so Lambda retries the event", async () => {
        mock.on(GetPipelineExecutionCommand).rejects(new Error("Rate exceeded"));
        await assert.rejects(run(pipelineSucceeded()), { message: "Rate exceeded" });
    });

    it("reads its settings from the environment, takes the bundle's services, and names the missing ones", () => {
        assert.deepEqual(
            configFromEnvironment({ ENVIRONMENT: "prod", DEPLOY_STAGE: "Deploy" }, { [PIPELINE]: "web" }),
            config,
        );
        assert.throws(() => configFromEnvironment({ ENVIRONMENT: "prod" }, {}), {
            message: "environment variables DEPLOY_STAGE are not set",
        });
        assert.throws(() => configFromEnvironment({}, {}), {
            message: "environment variables ENVIRONMENT, DEPLOY_STAGE are not set",
        });
    });
});
