// `--base`: what a change does to a stack, as a PR reviewer reads it. The base is a plan file
// written earlier (`.plan/<stack>/resources.json`) or a git ref, whose program is planned offline
// from a temporary checkout. Resources are matched by URN.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { ToolError } from "../shared/errors";
import type { PlanFile, Resource } from "../shared/resource";
import { evaluateStack } from "./evaluate";
import { type Broadening, broadenings } from "./iam-broadening";
import { loadStackConfig } from "./stack-config";

export interface PlanDiff {
    base: string;
    added: string[];
    removed: string[];
    /** Resources whose inputs or options differ, with the top-level keys that changed. */
    changed: Array<{ urn: string; keys: string[] }>;
    broadened: Broadening[];
    /** Policy documents that could not be compared (unknown in preview). */
    uncompared: string[];
}

export function diffPlans(label: string, base: Resource[], head: Resource[]): PlanDiff {
    const before = new Map(base.map((r) => [r.urn, r]));
    const after = new Map(head.map((r) => [r.urn, r]));
    const diff: PlanDiff = { base: label, added: [], removed: [], changed: [], broadened: [], uncompared: [] };
    for (const resource of head) {
        const old = before.get(resource.urn);
        if (!old) diff.added.push(resource.urn);
        else {
            const keys = changedKeys(old, resource);
            if (keys.length) diff.changed.push({ urn: resource.urn, keys });
        }
        const { found, unreadable } = broadenings(old, resource);
        diff.broadened.push(...found);
        diff.uncompared.push(...unreadable);
    }
    diff.removed = base.filter((r) => !after.has(r.urn)).map((r) => r.urn);
    return diff;
}

function changedKeys(a: Resource, b: Resource): string[] {
    const keys = new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)]);
    const inputs = [...keys].filter((k) => JSON.stringify(a.inputs[k]) !== JSON.stringify(b.inputs[k])).sort();
    const options = JSON.stringify(a.options) !== JSON.stringify(b.options) ? ["(options)"] : [];
    return [...inputs, ...options];
}

/** The base resources of `stack`: from a plan file, or by planning the program at a git ref. */
export async function loadBase(base: string, dir: string, stack: string, preview: boolean): Promise<Resource[]> {
    if (fs.existsSync(base) && fs.statSync(base).isFile()) {
        const file = JSON.parse(fs.readFileSync(base, "utf8")) as Partial<PlanFile>;
        if (file.kind !== "offline-plan" || !Array.isArray(file.resources)) {
            throw new ToolError(
                `\`--base\` ${base} is not a plan file; pass .plan/<stack>/resources.json or a git ref`,
            );
        }
        if (file.stack !== stack) {
            throw new ToolError(
                `\`--base\` ${base} is a plan of stack ${file.stack}, not ${stack}; pass that stack's plan`,
            );
        }
        return file.resources;
    }
    const { tmp, program } = checkoutRef(base, dir);
    try {
        return (await evaluateStack(program, loadStackConfig(program, stack), preview)).resources;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** Extracts the program directory at `ref` into a temp dir, sharing the working copy's node_modules. */
function checkoutRef(ref: string, dir: string): { tmp: string; program: string } {
    const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" }).trim();
    let commit: string;
    let top: string;
    try {
        commit = git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
        top = git("rev-parse", "--show-toplevel");
    } catch {
        throw new ToolError(`\`--base\` ${ref} is neither a plan file nor a git ref of ${dir}; pass one of them`);
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-base-"));
    const sub = path.relative(top, path.resolve(dir));
    // The whole tree: the program may import files outside its directory, and ts-node reads the root tsconfig.
    execFileSync("sh", ["-c", 'git -C "$0" archive "$1" | tar -x -C "$2"', top, commit, tmp]);
    // Dependencies are not in git: the checkout resolves the working copy's nearest node_modules.
    for (let at = path.resolve(dir); at.startsWith(top); at = path.dirname(at)) {
        if (fs.existsSync(path.join(at, "node_modules"))) {
            fs.symlinkSync(
                path.join(at, "node_modules"),
                path.join(tmp, path.relative(top, at), "node_modules"),
                "dir",
            );
            break;
        }
    }
    return { tmp, program: path.join(tmp, sub) };
}
