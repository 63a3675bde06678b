import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import {
    CodePipelineClient,
    GetPipelineExecutionCommand,
    ListActionExecutionsCommand,
    ListPipelineExecutionsCommand,
    PipelineNotFoundException,
} from "@aws-sdk/client-codepipeline";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { HELP, main, parseDoraArgs } from "../../tools/dora";
import { duration } from "../../tools/codepipeline/dora-report";
import { actionRun, execution, summary } from "../metrics/fixtures/api";
import { ACCOUNT, run, stackDir } from "./fixtures";

const codepipeline = mockClient(CodePipelineClient);
const sts = mockClient(STSClient);
const NOW = new Date("2026-11-11T00:00:00Z");
const id = (n: number) => `0000000${n}-1111-4222-8333-444444444444`;
const day = (d: number, hhmm: string) => `2026-11-0${d}T${hhmm}:00Z`;

/** web-test over ten days: a deploy, a failed deploy rolled back automatically, a deploy, a failed build. */
function webHistory() {
    codepipeline.on(ListPipelineExecutionsCommand, { pipelineName: "web-test" }).resolves({
        pipelineExecutionSummaries: [
            summary(id(5), "Failed", day(4, "08:00")),
            summary(id(4), "Succeeded", day(3, "10:00")),
            summary(id(3), "Succeeded", day(2, "10:10"), { type: "ROLLBACK", trigger: "AutomatedRollback" }),
            summary(id(2), "Failed", day(2, "09:00")),
            summary(id(1), "Succeeded", day(1, "09:30")),
        ],
    });
    codepipeline.on(ListActionExecutionsCommand, { pipelineName: "web-test" }).resolves({
        actionExecutionDetails: [
            actionRun(id(5), "Build", "Failed", day(4, "08:01"), day(4, "08:05")),
            actionRun(id(4), "Deploy", "Succeeded", day(3, "11:50"), day(3, "12:00")),
            actionRun(id(3), "Deploy", "Succeeded", day(2, "10:11"), day(2, "10:20")),
            actionRun(id(2), "Deploy", "Failed", day(2, "09:50"), day(2, "10:00")),
            actionRun(id(1), "Deploy", "Succeeded", day(1, "09:50"), day(1, "10:00")),
        ],
    });
    codepipeline
        .on(GetPipelineExecutionCommand, { pipelineName: "web-test", pipelineExecutionId: id(1) })
        .resolves(execution(id(1), { created: [day(1, "09:00")] }));
    codepipeline
        .on(GetPipelineExecutionCommand, { pipelineName: "web-test", pipelineExecutionId: id(4) })
        .resolves(execution(id(4), { created: [day(3, "09:00")] }));
}

const notFound = () => new PipelineNotFoundException({ message: "Pipeline not found", $metadata: {} });

describe("npm run dora", () => {
    let dir: string;
    beforeEach(() => {
        codepipeline.reset();
        sts.reset();
        sts.on(GetCallerIdentityCommand).resolves({
            Account: ACCOUNT,
            Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dev/me`,
            UserId: "AROA:me",
        });
        dir = stackDir();
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("computes the four measures from the API, as JSON, and notes a pipeline that does not exist yet", async () => {
        webHistory();
        codepipeline.on(ListPipelineExecutionsCommand, { pipelineName: "api-test" }).rejects(notFound());
        codepipeline.on(ListActionExecutionsCommand, { pipelineName: "api-test" }).rejects(notFound());
        const { code, out, err } = await run(main, ["--stack", "test", "--since", "10d", "--format", "json"], dir, NOW);
        assert.equal(err, "");
        assert.equal(code, 0);
        const report = JSON.parse(out);
        assert.deepEqual(report.services, [
            {
                service: "web",
                deployments: 2,
                deploymentsPerDay: 0.2,
                failedDeployments: 1,
                rollbacks: 1,
                changeFailureRate: 1 / 3,
                medianLeadTimeSeconds: 2 * 3600,
                meanTimeToRestoreSeconds: 20 * 60,
                failing: false,
            },
        ]);
        assert.deepEqual(report.missing, [
            "pipeline `api-test` does not exist yet in account 111111111111 (eu-west-1): run `pulumi up --stack test` to create it.",
        ]);
        // Commit times are read only for successful standard deployments.
        assert.deepEqual(
            codepipeline
                .commandCalls(GetPipelineExecutionCommand)
                .map((c) => c.args[0].input.pipelineExecutionId)
                .sort(),
            [id(1), id(4)],
        );
    });

    it("prints a table with every service, including one with no deployment in the window", async () => {
        webHistory();
        codepipeline
            .on(ListPipelineExecutionsCommand, { pipelineName: "api-test" })
            .resolves({ pipelineExecutionSummaries: [] });
        codepipeline
            .on(ListActionExecutionsCommand, { pipelineName: "api-test" })
            .resolves({ actionExecutionDetails: [] });
        const { code, out } = await run(main, ["--stack", "test", "--since", "10d"], dir, NOW);
        assert.equal(code, 0);
        assert.match(out, /^DORA measures for stack test \(test\) since 2026-11-01T00:00:00.000Z \(10.0 days\)/);
        const rows = out
            .split("\n")
            .filter((l) => /^│ (web|api) /.test(l))
            .map((l) =>
                l
                    .split("│")
                    .map((c) => c.trim())
                    .filter(Boolean),
            );
        assert.deepEqual(rows, [
            ["api", "0", "0.00", "–", "–", "–", "0", "ok"],
            ["web", "2", "0.20", "2h 00m", "33.3%", "20m", "1", "ok"],
        ]);
    });

    it("leaves out deploys before --since", async () => {
        webHistory();
        codepipeline.on(ListPipelineExecutionsCommand, { pipelineName: "api-test" }).resolves({});
        codepipeline.on(ListActionExecutionsCommand, { pipelineName: "api-test" }).resolves({});
        const { out } = await run(main, ["--stack", "test", "--since", "8d", "--format", "json"], dir, NOW);
        const web = JSON.parse(out).services.find((s: { service: string }) => s.service === "web");
        assert.deepEqual([web.deployments, web.failedDeployments, web.medianLeadTimeSeconds], [1, 0, 3 * 3600]);
    });

    it("fails clearly without credentials, with the wrong account, and when no pipeline exists", async () => {
        sts.on(GetCallerIdentityCommand).rejects(
            Object.assign(new Error("Could not load credentials from any providers"), {
                name: "CredentialsProviderError",
            }),
        );
        let r = await run(main, ["--stack", "test"], dir, NOW);
        assert.deepEqual(
            [r.code, r.err],
            [
                1,
                `dora: no AWS credentials found. Sign in to account ${ACCOUNT} (e.g. \`aws sso login\` or set \`AWS_PROFILE\`), then run the command again.`,
            ],
        );

        sts.on(GetCallerIdentityCommand).resolves({ Account: "999999999999" });
        r = await run(main, ["--stack", "test"], dir, NOW);
        assert.deepEqual(
            [r.code, r.err],
            [
                1,
                "dora: your AWS credentials are for account 999999999999, but stack `test` runs its pipelines in account 111111111111 (`cicd:environment.accountId`). Use credentials for 111111111111.",
            ],
        );
        assert.equal(codepipeline.calls().length, 0);

        sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
        codepipeline.on(ListPipelineExecutionsCommand).rejects(notFound());
        codepipeline.on(ListActionExecutionsCommand).rejects(notFound());
        r = await run(main, ["--stack", "test"], dir, NOW);
        assert.equal(r.code, 1);
        assert.match(
            r.err,
            /^dora: none of stack `test`'s pipelines exist yet: pipeline `web-test` does not exist yet/,
        );
    });

    it("rejects bad flags naming the flag, and an unknown stack", async () => {
        assert.throws(() => parseDoraArgs([]), {
            message: /^`--stack` is required: name the stack, e.g. --stack prod\n/,
        });
        assert.throws(() => parseDoraArgs(["--stack", "x", "--since", "30"]), {
            message: '`--since` must be a count and a unit (h, d or w), like 30d or 12h; got "30".',
        });
        assert.throws(() => parseDoraArgs(["--stack", "x", "--format", "csv"]), {
            message: '`--format` must be table or json; got "csv".',
        });
        assert.deepEqual(parseDoraArgs(["--stack", "x", "--since", "2w"]), {
            stack: "x",
            sinceMs: 14 * 86_400_000,
            format: "table",
        });
        const r = await run(main, ["--stack", "nope"], dir, NOW);
        assert.equal(r.code, 2);
        assert.match(r.err, /^dora: unknown stack "nope": no Pulumi.nope.yaml/);
    });

    it("prints one line, not a stack trace, when AWS cannot be reached", async () => {
        const offline = Object.assign(new Error("getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com"), {
            code: "ENOTFOUND",
        });
        sts.on(GetCallerIdentityCommand).rejects(offline);
        const r = await run(main, ["--stack", "test"], dir, NOW);
        assert.equal(r.code, 1);
        assert.equal(
            r.err,
            "dora: could not reach AWS (ENOTFOUND). Check the network, any proxy (HTTPS_PROXY), and that the stack's region is reachable from here.",
        );
    });

    it("prints its help with --help or -h, exits 0 and calls no AWS API", async () => {
        for (const flag of ["--help", "-h"]) {
            const r = await run(main, [flag], dir, NOW);
            assert.equal(r.code, 0);
            assert.equal(r.out, HELP);
        }
        assert.match(HELP, /^usage: npm run dora -- --stack <name>/);
        assert.equal(codepipeline.calls().length + sts.calls().length, 0);
    });

    it("formats durations for people", () => {
        assert.deepEqual(
            [duration(undefined), duration(40), duration(720), duration(3 * 3600 + 300), duration(28 * 3600)],
            ["–", "40s", "12m", "3h 05m", "1d 4h"],
        );
    });
});
