/**
 * npm run plan -- --stack <name> [--dir <program dir>] [--preview] [--no-policy] [--json]
 *
 * An offline plan: runs the Pulumi program for one stack under Pulumi's mock runtime (no cloud
 * account, no Pulumi CLI), prints the resources by component, each pipeline's stages and totals,
 * writes .plan/<stack>/resources.json and pipelines.mmd, and runs policy-pack/ over the result.
 * It is a stand-in for `pulumi preview --policy-pack policy-pack`, never a preview itself.
 * Exit codes: 0 ok, 1 mandatory policy violation, 2 usage, 3 config error, 4 program crash.
 */
import * as path from "path";

import { parsePlanArgs } from "./plan/args";
import { EXIT, PlanError } from "./plan/errors";
import { Log, runPlan } from "./plan/run-plan";

const REPO_ROOT = path.resolve(__dirname, "..");

export async function main(argv: string[], log: Log = console.log, error: Log = console.error): Promise<number> {
    try {
        return await runPlan(parsePlanArgs(argv, REPO_ROOT), log);
    } catch (err) {
        if (err instanceof PlanError) {
            error(`plan: ${err.message}`);
            return err.exitCode;
        }
        error(`plan: internal error in the plan tool (not in your program):\n${(err as Error).stack ?? err}`);
        return EXIT.crash;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
