import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { main } from "../../tools/plan";
import { silentProgress } from "../../tools/shared/progress";
import type { PlanFile } from "../../tools/shared/resource";

export const FIXTURE = path.join(__dirname, "fixtures", "program");
export const PACK = path.join(__dirname, "..", "..", "policy-pack");
export { UNKNOWN } from "../../tools/shared/resource";

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
        silentProgress,
    );
    return { code, out: out.join("\n").split("\n"), err, outDir };
}

export function readPlanFile(run: PlanRun, stack: string): PlanFile {
    return JSON.parse(fs.readFileSync(path.join(run.outDir, stack, "resources.json"), "utf8")) as PlanFile;
}

/** A copy of a fixture pack in a temp dir, resolving its dependencies from policy-pack/ (or none). */
export function packCopy(fixture: string, withDependencies: boolean): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-copy-"));
    fs.cpSync(fixture, dir, { recursive: true });
    if (withDependencies) fs.symlinkSync(path.join(PACK, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

export const ECHO_PACK = path.join(__dirname, "..", "audit", "fixtures", "echo-pack");
