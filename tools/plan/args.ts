import * as path from "path";
import { parseArgs } from "util";

import { PlanError } from "./errors";

export const USAGE = [
    "usage: npm run plan -- --stack <name> [--dir <program dir>] [--stack-file <yaml>] [--preview]",
    "                       [--no-policy] [--policy-pack <dir>] [--json] [--out <dir>]",
].join("\n");

export interface PlanArgs {
    stack: string;
    dir: string;
    stackFile?: string;
    preview: boolean;
    policy: boolean;
    policyPack: string;
    json: boolean;
    /** Where `<stack>/resources.json` and `<stack>/pipelines.mmd` go (default `<dir>/.plan`). */
    outDir: string;
}

export function parsePlanArgs(argv: string[], repoRoot: string): PlanArgs {
    let parsed: ReturnType<typeof parse>;
    try {
        parsed = parse(argv);
    } catch (err) {
        throw new PlanError(`${(err as Error).message}\n${USAGE}`);
    }
    const { values } = parsed;
    if (!values.stack) {
        throw new PlanError(`--stack is required: name the stack to plan, e.g. --stack dev\n${USAGE}`);
    }
    const dir = path.resolve(values.dir ?? repoRoot);
    return {
        stack: values.stack,
        dir,
        stackFile: values["stack-file"] ? path.resolve(values["stack-file"]) : undefined,
        preview: values.preview === true,
        policy: values["no-policy"] !== true,
        policyPack: path.resolve(values["policy-pack"] ?? path.join(repoRoot, "policy-pack")),
        json: values.json === true,
        outDir: path.resolve(values.out ?? path.join(dir, ".plan")),
    };
}

function parse(argv: string[]) {
    return parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: {
            stack: { type: "string" },
            dir: { type: "string" },
            "stack-file": { type: "string" },
            preview: { type: "boolean" },
            "no-policy": { type: "boolean" },
            "policy-pack": { type: "string" },
            json: { type: "boolean" },
            out: { type: "string" },
        },
    });
}
