/**
 * npm run audit -- <stack-export.json | .plan/<stack>/resources.json> [options]  (see --help)
 *
 * Runs the policy pack over the analyzer protocol on another team's `pulumi stack export` or on a
 * plan from `npm run plan`, with the same runner as the plan.
 */
import * as fs from "fs";
import * as path from "path";

import { readAuditInput } from "./audit/input";
import { type Format, FORMATS, render, summaryLine } from "./audit/formats";
import { parseFlags, parseStackTags, readPackConfig, runTool } from "./shared/cli";
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

export const main = runTool(module, "audit", async (argv, log) => {
    const { values, positionals } = parseFlags(
        {
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
        },
        HELP,
    );
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
    const pack = await PackSession.open(
        path.resolve(values["policy-pack"] ?? path.join(__dirname, "..", "policy-pack")),
        readPackConfig(values["policy-pack-config"]),
    );
    try {
        const findings = await pack.check({
            project: input.project,
            stack: input.stack,
            dryRun: input.preview,
            tags: parseStackTags(values["stack-tag"]),
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
});
