/**
 * npm run status -- --stack <env>
 *
 * Each pipeline of the stack with its stages and their latest execution, from GetPipelineState
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineState.html), with the caller's AWS
 * credentials in the stack's account and region. Exit codes: 0 all pipelines found, 1 AWS or setup problem or a
 * pipeline missing, 2 usage.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
    GetPipelineStateCommand,
    type CodePipelineClient,
    type GetPipelineStateOutput,
} from "@aws-sdk/client-codepipeline";
import Table from "cli-table3";
import { CliError, checkAccount, isPipelineNotFound, notDeployedYet } from "./codepipeline/session";
import { stackTargets } from "./codepipeline/stack";
import { defaultClients, failure, wantsHelp, type Clients } from "./dora";

const REPO_ROOT = path.resolve(__dirname, "..");
const USAGE = "usage: npm run status -- --stack <name>";

export const HELP = `${USAGE}

Each pipeline of the stack with its stages and their latest execution (GetPipelineState), with your AWS
credentials, in the stack's account and region; a pipeline that does not exist yet is named, not an error trace.

  --stack <name>    the stack whose pipelines to show (Pulumi.<name>.yaml)
  --help, -h        this text

Exit codes: 0 all pipelines found, 1 AWS or setup problem or a pipeline missing, 2 usage.`;

export function parseStatusArgs(argv: string[]): { stack: string } {
    let stack: string | undefined;
    try {
        stack = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { stack: { type: "string" } } })
            .values.stack;
    } catch (err) {
        throw new CliError(`${(err as Error).message}\n${USAGE}`);
    }
    if (!stack) throw new CliError(`\`--stack\` is required: name the stack, e.g. --stack prod\n${USAGE}`);
    return { stack };
}

const when = (d: Date | undefined): string => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : "–");

/** One pipeline's stages as rows: stage, latest status, execution id, its actions and when they last changed. */
export function stateTable(state: GetPipelineStateOutput): string {
    const table = new Table({
        head: ["stage", "status", "execution", "actions", "last change"],
        style: { head: [], border: [] },
    });
    for (const stage of state.stageStates ?? []) {
        const latest = stage.latestExecution;
        const actions = (stage.actionStates ?? []).map(
            (a) => `${a.actionName}: ${a.latestExecution?.status ?? "not run"}`,
        );
        const changed = (stage.actionStates ?? [])
            .map((a) => a.latestExecution?.lastStatusChange)
            .filter((d): d is Date => d instanceof Date)
            .sort((a, b) => b.getTime() - a.getTime())[0];
        table.push([
            stage.stageName ?? "?",
            latest?.status ?? "not run",
            latest?.pipelineExecutionId ?? "–",
            actions.join("\n"),
            when(changed),
        ]);
    }
    return `${state.pipelineName} (version ${state.pipelineVersion ?? "?"}, updated ${when(state.updated)})\n${table.toString()}`;
}

export async function pipelineStates(client: CodePipelineClient, names: readonly string[]) {
    const found: GetPipelineStateOutput[] = [];
    const missing: string[] = [];
    for (const name of names) {
        try {
            found.push(await client.send(new GetPipelineStateCommand({ name })));
        } catch (err) {
            if (!isPipelineNotFound(err)) throw err;
            missing.push(name);
        }
    }
    return { found, missing };
}

export async function main(
    argv: string[],
    options: {
        dir?: string;
        clients?: (region: string) => Clients;
        out?: (s: string) => void;
        err?: (s: string) => void;
    } = {},
): Promise<number> {
    const out = options.out ?? ((s: string) => console.log(s));
    const err = options.err ?? ((s: string) => console.error(s));
    if (wantsHelp(argv)) {
        out(HELP);
        return 0;
    }
    try {
        const { stack } = parseStatusArgs(argv);
        const targets = stackTargets(options.dir ?? REPO_ROOT, stack);
        const clients = (options.clients ?? defaultClients)(targets.region);
        await checkAccount(clients.sts, targets);
        const { found, missing } = await pipelineStates(
            clients.codepipeline,
            targets.pipelines.map((p) => p.pipelineName),
        );
        for (const state of found) out(stateTable(state));
        for (const name of missing) err(`status: ${notDeployedYet(targets, name)}`);
        return missing.length > 0 ? 1 : 0;
    } catch (e) {
        return failure(e, err, "status");
    }
}

if (require.main === module) main(process.argv.slice(2)).then((code) => (process.exitCode = code));
