/**
 * npm run dora -- --stack <env> [--since 30d] [--format table|json]
 *
 * The four DORA measures of a stack's pipelines, computed from the CodePipeline API with the caller's AWS
 * credentials, in the stack's account and region (from `cicd:environment`). Exit codes: 0 ok, 1 AWS or setup
 * problem (message says which), 2 usage.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { STSClient } from "@aws-sdk/client-sts";
import { doraReport, reportTable } from "./codepipeline/dora-report";
import { CliError, checkAccount } from "./codepipeline/session";
import { ToolError } from "./shared/errors";
import { stackTargets } from "./codepipeline/stack";

const REPO_ROOT = path.resolve(__dirname, "..");
export const USAGE = "usage: npm run dora -- --stack <name> [--since 30d] [--format table|json]";

export const HELP = `${USAGE}

The four DORA measures of a stack's pipelines (deployment frequency, lead time, change failure rate, time to
restore), computed from the CodePipeline API with your AWS credentials, in the stack's account and region.

  --stack <name>    the stack whose pipelines to measure (Pulumi.<name>.yaml)
  --since <n><u>    how far back: a count and h, d or w (default 30d)
  --format <f>      table (default) or json
  --help, -h        this text

Exit codes: 0 ok, 1 AWS or setup problem (the message says which), 2 usage.`;

/** \`--help\` or \`-h\` anywhere: print the help and do nothing else. */
export const wantsHelp = (argv: readonly string[]): boolean => argv.includes("--help") || argv.includes("-h");

export interface Clients {
    readonly codepipeline: CodePipelineClient;
    readonly sts: STSClient;
}

export interface DoraArgs {
    readonly stack: string;
    readonly sinceMs: number;
    readonly format: "table" | "json";
}

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function parseDoraArgs(argv: string[]): DoraArgs {
    let values: { stack?: string; since?: string; format?: string };
    try {
        values = parseArgs({
            args: argv,
            strict: true,
            allowPositionals: false,
            options: { stack: { type: "string" }, since: { type: "string" }, format: { type: "string" } },
        }).values;
    } catch (err) {
        throw new CliError(`${(err as Error).message}\n${USAGE}`);
    }
    if (!values.stack) throw new CliError(`\`--stack\` is required: name the stack, e.g. --stack prod\n${USAGE}`);
    const since = values.since ?? "30d";
    const match = /^([1-9][0-9]*)([hdw])$/.exec(since);
    if (!match)
        throw new CliError(`\`--since\` must be a count and a unit (h, d or w), like 30d or 12h; got "${since}".`);
    const format = values.format ?? "table";
    if (format !== "table" && format !== "json")
        throw new CliError(`\`--format\` must be table or json; got "${format}".`);
    return { stack: values.stack, sinceMs: Number(match[1]) * UNITS[match[2]], format };
}

export async function main(
    argv: string[],
    options: {
        dir?: string;
        clients?: (region: string) => Clients;
        now?: Date;
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
        const args = parseDoraArgs(argv);
        const targets = stackTargets(options.dir ?? REPO_ROOT, args.stack);
        const clients = (options.clients ?? defaultClients)(targets.region);
        await checkAccount(clients.sts, targets);
        const now = options.now ?? new Date();
        const report = await doraReport(clients.codepipeline, targets, new Date(now.getTime() - args.sinceMs), now);
        if (report.missing.length === targets.pipelines.length)
            throw new CliError(`none of stack \`${args.stack}\`'s pipelines exist yet: ${report.missing.join(" ")}`);
        out(args.format === "json" ? JSON.stringify(report, null, 2) : reportTable(report));
        return 0;
    } catch (e) {
        return failure(e, err, "dora");
    }
}

export const defaultClients = (region: string): Clients => ({
    codepipeline: new CodePipelineClient({ region }),
    sts: new STSClient({ region }),
});

/**
 * Node's socket errors (`code`, https://nodejs.org/api/errors.html#common-system-errors) and the SDK's timeout
 * (`TimeoutError`) mean AWS was not reached: one line, no stack.
 */
const NETWORK_CODES = [
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
];

function networkFailure(error: Error & { code?: unknown }): string | undefined {
    if (typeof error?.code === "string" && NETWORK_CODES.includes(error.code)) return error.code;
    return error?.name === "TimeoutError" ? "TimeoutError" : undefined;
}

/** Known problems print one line; anything else keeps its stack for a bug report. */
export function failure(e: unknown, err: (s: string) => void, tool: string): number {
    const error = e as Error;
    if (error instanceof CliError) {
        err(`${tool}: ${error.message}`);
        return error.message.includes(USAGE) || error.message.startsWith("`--") ? 2 : 1;
    }
    if (error?.name === "ConfigError" || error instanceof ToolError) {
        err(`${tool}: ${error.message}`);
        return 2;
    }
    const network = networkFailure(error);
    if (network) {
        err(
            `${tool}: could not reach AWS (${network}). Check the network, any proxy (HTTPS_PROXY), and that the stack's region is reachable from here.`,
        );
        return 1;
    }
    if (error?.name === "AccessDeniedException")
        err(
            `${tool}: AWS denied a read (${error.message}). Your role needs codepipeline:List*/Get* on the stack's pipelines.`,
        );
    else err(`${tool}: ${error?.stack ?? String(e)}`);
    return 1;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => (process.exitCode = code));
