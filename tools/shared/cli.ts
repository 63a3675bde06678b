/** The command-line shell `npm run plan` and `npm run audit` share: flags, errors and exit codes. */
import * as fs from "fs";
import { parseArgs, type ParseArgsConfig } from "util";

import { EXIT, ToolError } from "./errors";

export type Log = (line: string) => void;

/**
 * A tool's `main` as both commands run it, started at once when `mod` is the process's entry point.
 * A ToolError prints `<tool>: <message>` and exits with its code; any other error is the tool's own
 * bug: printed with its stack, EXIT.crash.
 */
export function runTool<E extends unknown[]>(
    mod: NodeModule,
    tool: string,
    main: (argv: string[], log: Log, ...extra: E) => Promise<number>,
) {
    const run = async (argv: string[], log: Log = console.log, error: Log = console.error, ...extra: E) => {
        try {
            return await main(argv, log, ...extra);
        } catch (err) {
            if (err instanceof ToolError) {
                error(`${tool}: ${err.message}`);
                return err.exitCode;
            }
            error(`${tool}: internal error in the ${tool} tool (not in your program):\n${(err as Error).stack ?? err}`);
            return EXIT.crash;
        }
    };
    if (require.main === mod) {
        // Extra arguments (test doubles) take their defaults.
        void run(process.argv.slice(2), console.log, console.error, ...([] as unknown[] as E)).then((code) => {
            process.exitCode = code;
        });
    }
    return run;
}

/** `parseArgs`, with a usage error that shows the help text. */
export function parseFlags<T extends ParseArgsConfig>(config: T, help: string): ReturnType<typeof parseArgs<T>> {
    try {
        return parseArgs(config);
    } catch (err) {
        throw new ToolError(`${(err as Error).message}\n${help}`);
    }
}

/** The `--policy-pack-config` file, parsed (the pack's harness checks its content). */
export function readPackConfig(file: string | undefined): unknown {
    if (!file) return undefined;
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new ToolError(
            `--policy-pack-config ${file}: ${(err as Error).message}; pass a JSON file of policy settings`,
        );
    }
}

/** `--stack-tag key=value` flags, as `pulumi stack tag set` would store them. */
export function parseStackTags(values: string[] = []): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const value of values) {
        const at = value.indexOf("=");
        if (at <= 0)
            throw new ToolError(`--stack-tag "${value}" must be key=value, e.g. --stack-tag environment=production`);
        tags[value.slice(0, at)] = value.slice(at + 1);
    }
    return tags;
}
