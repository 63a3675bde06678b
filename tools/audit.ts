/**
 * npm run audit -- <stack-export.json | .plan/<stack>/resources.json> [options]  (see --help)
 *
 * Runs the policy pack over the analyzer protocol on another team's `pulumi stack export` or on a
 * plan from `npm run plan`, with the same runner as the plan.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";

import { readAuditInput } from "./audit/input";
import { type Format, FORMATS, render, summaryLine } from "./audit/formats";
import { parseStackTags } from "./plan/args";
import { EXIT, ToolError } from "./shared/errors";
import { PackSession } from "./shared/pack";
import { countMandatory } from "./shared/table";

export const HELP = `usage: npm run audit -- <stack-export.json | resources.json> [options]

Checks another team's \`pulumi stack export\` (or a plan file from npm run plan) with the policy pack.

  --format table|json|sarif|markdown  output format (default: table)
  --out <file>                 write the report there instead of stdout
  --policy-pack <dir>          the pack to run (default: policy-pack)
  --policy-pack-config <file>  policy config, as for \`pulumi preview --policy-pack-config\`
  --stack-tag key=value        a stack tag the pack sees (repeatable), e.g. environment=production
  --help                       this text

Exit codes: 0 no mandatory finding, 1 mandatory finding, 2 usage or input error,
5 the policy pack could not run (the gate fails closed).`;

type Log = (line: string) => void;

export async function main(argv: string[], log: Log = console.log, error: Log = console.error): Promise<number> {
    try {
        return await audit(argv, log);
    } catch (err) {
        if (err instanceof ToolError) {
            error(`audit: ${err.message}`);
            return err.exitCode;
        }
        error(`audit: internal error in the audit tool:\n${(err as Error).stack ?? err}`);
        return EXIT.crash;
    }
}

async function audit(argv: string[], log: Log): Promise<number> {
    let parsed: ReturnType<typeof parse>;
    try {
        parsed = parse(argv);
    } catch (err) {
        throw new ToolError(`${(err as Error).message}\n${HELP}`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        log(HELP);
        return EXIT.ok;
    }
    if (positionals.length !== 1)
        throw new ToolError(`expected exactly one input file, got ${positionals.length}.\n${HELP}`);
    const format = (values.format ?? "table") as Format;
    if (!FORMATS.includes(format)) throw new ToolError(`--format ${format} is not one of ${FORMATS.join(", ")}.`);
    const source = positionals[0];
    const input = readAuditInput(source);
    const config = values["policy-pack-config"] ? readJson(values["policy-pack-config"]) : undefined;
    const pack = await PackSession.open(
        path.resolve(values["policy-pack"] ?? path.join(__dirname, "..", "policy-pack")),
        config,
    );
    try {
        const findings = await pack.check({
            project: input.project,
            stack: input.stack,
            dryRun: input.preview,
            tags: parseStackTags(values["stack-tag"] ?? []),
            resources: input.resources,
        });
        const report = { input, source, pack: pack.info, findings };
        const text = render(format, report);
        if (values.out) {
            fs.writeFileSync(values.out, text.endsWith("\n") ? text : `${text}\n`);
            log(`${summaryLine(report)} Report: ${values.out}`);
        } else {
            log(text);
            if (format === "table") log(summaryLine(report));
        }
        return countMandatory(findings) > 0 ? EXIT.policy : EXIT.ok;
    } finally {
        await pack.close();
    }
}

function readJson(file: string): unknown {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new ToolError(
            `--policy-pack-config ${file}: ${(e as Error).message}; pass a JSON file of policy settings`,
        );
    }
}

function parse(argv: string[]) {
    return parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
            format: { type: "string" },
            out: { type: "string" },
            "policy-pack": { type: "string" },
            "policy-pack-config": { type: "string" },
            "stack-tag": { type: "string", multiple: true },
            help: { type: "boolean", short: "h" },
        },
    });
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
