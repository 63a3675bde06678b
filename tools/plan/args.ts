import * as path from "path";

import { parseFlags, parseStackTags } from "../shared/cli";
import { ToolError } from "../shared/errors";
import { listStacks } from "./stack-config";

export const HELP = `usage: npm run plan -- (--stack <name>[,<name>...] | --all) [options]

Evaluates the Pulumi program offline under Pulumi's mocks (no cloud, no Pulumi CLI), checks the
result with the policy pack, and prints the resources, each pipeline's stages and totals. A
stand-in for \`pulumi preview --policy-pack policy-pack\`, never a preview itself.

  --stack a,b,c                stacks to plan (Pulumi.<stack>.yaml); one pack process serves them all
  --all                        every stack with a Pulumi.<stack>.yaml
  --preview                    computed values unknown, as a pull-request preview sees them
  --base <plan.json|git ref>   list resources added, changed and removed since the base, and the
                               IAM permissions the change broadens
  --no-policy                  skip the policy pack (the plan then says nothing was checked)
  --policy-pack <dir>          the pack to run (default: policy-pack)
  --policy-pack-config <file>  policy config, as for \`pulumi preview --policy-pack-config\`
  --stack-tag key=value        a stack tag the pack sees (repeatable), as \`pulumi stack tag set\`
  --json                       print the summary as JSON (an array for several stacks)
  --out <dir>                  where <stack>/resources.json and <stack>/pipelines/*.mmd go (default .plan)
  --dir <dir>                  the Pulumi program (default: this repository)
  --config-dir <dir>           where the Pulumi.<stack>.yaml files are (default: --dir)
  --help                       this text

Exit codes: 0 ok, 1 mandatory policy violation, 2 usage, 3 config error, 4 program crash,
5 the policy pack could not run (the gate fails closed).`;

export type PlanArgs = NonNullable<ReturnType<typeof parsePlanArgs>>;

/** The plan's settings, paths resolved; undefined for `--help`. */
export function parsePlanArgs(argv: string[], repoRoot: string) {
    const { values } = parseFlags({ args: argv, strict: true, allowPositionals: false, options: OPTIONS }, HELP);
    if (values.help) return undefined;
    if (values.all && values.stack) throw new ToolError(`pass either --stack or --all, not both\n${HELP}`);
    const dir = path.resolve(values.dir ?? repoRoot);
    const configDir = path.resolve(values["config-dir"] ?? dir);
    const stacks = values.all ? listStacks(configDir) : (values.stack ?? "").split(",").filter(Boolean);
    if (stacks.length === 0) {
        throw new ToolError(`--stack is required: name the stack to plan, e.g. --stack dev (or --all)\n${HELP}`);
    }
    return {
        stacks,
        dir,
        configDir,
        preview: values.preview === true,
        policy: values["no-policy"] !== true,
        policyPack: path.resolve(values["policy-pack"] ?? path.join(repoRoot, "policy-pack")),
        policyConfig: values["policy-pack-config"],
        stackTags: parseStackTags(values["stack-tag"]),
        base: values.base,
        json: values.json === true,
        outDir: path.resolve(values.out ?? path.join(dir, ".plan")),
    };
}

const OPTIONS = {
    stack: { type: "string" },
    all: { type: "boolean" },
    dir: { type: "string" },
    "config-dir": { type: "string" },
    preview: { type: "boolean" },
    "no-policy": { type: "boolean" },
    "policy-pack": { type: "string" },
    "policy-pack-config": { type: "string" },
    "stack-tag": { type: "string", multiple: true },
    base: { type: "string" },
    json: { type: "boolean" },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;
