import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { main } from "../../tools/plan";

export const FIXTURE = path.join(__dirname, "fixtures", "program");
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface PlanRun {
    code: number;
    out: string[];
    err: string[];
    outDir: string;
}

/** Runs the plan CLI in-process against the fixture program, writing files to a temp dir. */
export async function plan(...argv: string[]): Promise<PlanRun> {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-"));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
        ["--dir", FIXTURE, "--out", outDir, ...argv],
        (l) => out.push(l),
        (l) => err.push(l),
    );
    return { code, out: out.join("\n").split("\n"), err, outDir };
}

export function readPlanFile(run: PlanRun, stack: string) {
    return JSON.parse(fs.readFileSync(path.join(run.outDir, stack, "resources.json"), "utf8"));
}
