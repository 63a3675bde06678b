import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * A throwaway copy of the working tree (tracked and untracked files git does not ignore), with the installed
 * node_modules linked in (and the built pack copied), so documented commands can write where the README says without touching the checkout.
 */
export function copyRepo(prefix = "repo-copy-"): string {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    })
        .split("\0")
        .filter(Boolean);
    for (const file of files) {
        const from = path.join(REPO_ROOT, file);
        if (!fs.existsSync(from) || fs.lstatSync(from).isSymbolicLink()) continue; // deleted, or node_modules
        fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
        fs.copyFileSync(from, path.join(copy, file));
    }
    for (const modules of ["node_modules", path.join("policy-pack", "node_modules")]) {
        const installed = path.join(REPO_ROOT, modules);
        if (fs.existsSync(installed)) fs.symlinkSync(fs.realpathSync(installed), path.join(copy, modules), "dir");
    }
    // What `npm ci` builds (the pack's postinstall), when the checkout has it.
    const pack = path.join(REPO_ROOT, "policy-pack", "dist");
    if (fs.existsSync(pack)) fs.cpSync(pack, path.join(copy, "policy-pack", "dist"), { recursive: true });
    return copy;
}

/** Builds the copy's policy pack when the checkout had no build to copy (what `npm ci`'s postinstall does). */
export function ensurePackBuilt(copy: string): void {
    if (fs.existsSync(path.join(copy, "policy-pack", "dist", "start.js"))) return;
    execFileSync("npm", ["run", "--silent", "build", "--prefix", path.join(copy, "policy-pack")], { stdio: "pipe" });
}
