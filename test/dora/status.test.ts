import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import {
    CodePipelineClient,
    GetPipelineStateCommand,
    PipelineNotFoundException,
    type GetPipelineStateOutput,
} from "@aws-sdk/client-codepipeline";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { HELP, main, parseStatusArgs } from "../../tools/status";
import { ACCOUNT, run, stackDir } from "./fixtures";

const codepipeline = mockClient(CodePipelineClient);
const sts = mockClient(STSClient);

/** A GetPipelineState response in the documented shape: the Deploy stage failed in the latest execution. */
const state: GetPipelineStateOutput = {
    pipelineName: "web-test",
    pipelineVersion: 4,
    created: new Date("2026-10-01T08:00:00Z"),
    updated: new Date("2026-11-02T09:00:00Z"),
    stageStates: [
        {
            stageName: "Source",
            inboundTransitionState: { enabled: true },
            actionStates: [
                {
                    actionName: "Source",
                    latestExecution: { status: "Succeeded", lastStatusChange: new Date("2026-11-10T09:01:00Z") },
                },
            ],
            latestExecution: { pipelineExecutionId: "2c6c2b8e-8b4a-4f7e-9a34-0d1c8e6f1a01", status: "Succeeded" },
        },
        {
            stageName: "Deploy",
            inboundTransitionState: { enabled: true },
            actionStates: [
                {
                    actionName: "Deploy",
                    latestExecution: {
                        status: "Failed",
                        lastStatusChange: new Date("2026-11-10T09:20:00Z"),
                        errorDetails: { code: "JobFailed", message: "Deployment failed" },
                    },
                },
            ],
            latestExecution: { pipelineExecutionId: "2c6c2b8e-8b4a-4f7e-9a34-0d1c8e6f1a01", status: "Failed" },
        },
    ],
};

describe("npm run status", () => {
    let dir: string;
    beforeEach(() => {
        codepipeline.reset();
        sts.reset();
        sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
        dir = stackDir();
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("shows each pipeline's stages with their latest execution, and names a pipeline not created yet", async () => {
        codepipeline.on(GetPipelineStateCommand, { name: "web-test" }).resolves(state);
        codepipeline
            .on(GetPipelineStateCommand, { name: "api-test" })
            .rejects(new PipelineNotFoundException({ message: "not found", $metadata: {} }));
        const { code, out, err } = await run(main, ["--stack", "test"], dir);
        assert.equal(code, 1);
        assert.match(out, /^web-test \(version 4, updated 2026-11-02T09:00:00Z\)/);
        const rows = out
            .split("\n")
            .filter((l) => /^│ (Source|Deploy) /.test(l))
            .map((l) =>
                l
                    .split("│")
                    .map((c) => c.trim())
                    .filter(Boolean),
            );
        assert.deepEqual(rows, [
            [
                "Source",
                "Succeeded",
                "2c6c2b8e-8b4a-4f7e-9a34-0d1c8e6f1a01",
                "Source: Succeeded",
                "2026-11-10T09:01:00Z",
            ],
            ["Deploy", "Failed", "2c6c2b8e-8b4a-4f7e-9a34-0d1c8e6f1a01", "Deploy: Failed", "2026-11-10T09:20:00Z"],
        ]);
        assert.equal(
            err,
            "status: pipeline `api-test` does not exist yet in account 111111111111 (eu-west-1): run `pulumi up --stack test` to create it.",
        );
        assert.deepEqual(
            codepipeline.commandCalls(GetPipelineStateCommand).map((c) => c.args[0].input.name),
            ["web-test", "api-test"],
        );
    });

    it("exits 0 when every pipeline exists", async () => {
        codepipeline.on(GetPipelineStateCommand).resolves(state);
        assert.equal((await run(main, ["--stack", "test"], dir)).code, 0);
    });

    it("fails clearly with the wrong account before reading any pipeline", async () => {
        sts.on(GetCallerIdentityCommand).resolves({ Account: "222222222222" });
        const r = await run(main, ["--stack", "test"], dir);
        assert.equal(r.code, 1);
        assert.match(r.err, /^status: your AWS credentials are for account 222222222222, but stack `test`/);
        assert.equal(codepipeline.calls().length, 0);
    });

    it("prints its help with --help or -h, exits 0 and calls no AWS API", async () => {
        const r = await run(main, ["-h"], dir);
        assert.equal(r.code, 0);
        assert.equal(r.out, HELP);
        assert.match(HELP, /^usage: npm run status -- --stack <name>/);
        assert.equal(codepipeline.calls().length + sts.calls().length, 0);
    });

    it("requires --stack", () => {
        assert.throws(() => parseStatusArgs([]), { message: /^`--stack` is required/ });
    });
});
