/**
 * npm run audit -- <stack-export.json | .plan/<stack>/resources.json> [--out report.md]
 *     [--pack policy-pack] [--config policy-config.json] [--stack-tag key=value ...]
 *
 * Runs the policy pack over the analyzer protocol on another team's `pulumi stack export` or on
 * a plan from `npm run plan`, prints findings grouped by policy and writes a Markdown report
 * (default: beside the input, `<input>.audit.md`). Exit code 1 on any mandatory finding,
 * 2 on a usage or input error.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { PolicyPackConfig } from "../policy-pack/harness";
import { readAuditInput } from "./audit/input";
import { countMandatory, renderMarkdown, renderTable } from "./audit/report";
import { runAudit } from "./audit/run";

const USAGE =
    "usage: npm run audit -- <stack-export.json|resources.json> [--out report.md] [--pack dir] " +
    "[--config policy-config.json] [--stack-tag key=value]";

function parseStackTags(values: string[]): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const value of values) {
        const at = value.indexOf("=");
        if (at <= 0) {
            throw new Error(`--stack-tag "${value}" must be key=value, e.g. --stack-tag environment=production.`);
        }
        tags[value.slice(0, at)] = value.slice(at + 1);
    }
    return tags;
}

function readConfig(file: string | undefined): PolicyPackConfig | undefined {
    if (!file) {
        return undefined;
    }
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
    } catch (e) {
        throw new Error(`--config ${file}: ${(e as Error).message} (expected the JSON given to --policy-pack-config).`);
    }
}

/** Runs the audit; `log` receives the console output (tests pass a collector). */
export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            out: { type: "string" },
            pack: { type: "string", default: path.join(__dirname, "..", "policy-pack") },
            config: { type: "string" },
            "stack-tag": { type: "string", multiple: true, default: [] },
        },
    });
    if (positionals.length !== 1) {
        throw new Error(`expected exactly one input file, got ${positionals.length}.\n${USAGE}`);
    }
    const source = positionals[0];
    const input = readAuditInput(source);
    const findings = await runAudit(input, {
        packDir: values.pack as string,
        config: readConfig(values.config),
        stackTags: parseStackTags(values["stack-tag"] as string[]),
    });
    const out = values.out ?? `${source.replace(/\.json$/i, "")}.audit.md`;
    fs.writeFileSync(out, renderMarkdown(input, source, findings));
    log(findings.length > 0 ? renderTable(findings) : "No findings.");
    const mandatory = countMandatory(findings);
    log(`${input.resources.length} resources, ${findings.length} findings, ${mandatory} mandatory. Report: ${out}`);
    return mandatory > 0 ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => (process.exitCode = code),
        (e: Error) => {
            console.error(`audit: ${e.message}`);
            process.exitCode = 2;
        },
    );
}
