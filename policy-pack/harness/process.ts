/**
 * Starts a policy pack. Compiled (the default): `node dist/start.js` in the pack directory.
 * TypeScript: the way the Pulumi CLI's Node.js language host does: `node` runs
 * `@pulumi/pulumi/cmd/run-policy-pack <engine-address> <pack-dir>` with the pack directory as the
 * working directory. That script registers ts-node exactly as `pulumi preview --policy-pack` does
 * (type-checked, with the pack's tsconfig.json), loads the pack, whose `new PolicyPack(...)` starts a
 * gRPC server on 127.0.0.1 and prints its port as the first line of stdout.
 * See https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/cmd/run-policy-pack/run.ts
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface PackProcess {
    port: number;
    child: ChildProcess;
    /** Everything the pack printed on stderr so far (its logs and errors). */
    stderr(): string;
}

export type PackEntry = "compiled" | "typescript";

export interface SpawnOptions {
    /**
     * How to run the pack. "compiled" (default) runs `dist/start.js`, built from the TypeScript by
     * the pack's `npm run build` (its `postinstall` script, so `npm ci` builds it): starts in about half a
     * second. "typescript" runs `index.ts` through `@pulumi/pulumi/cmd/run-policy-pack` exactly as
     * `pulumi preview --policy-pack` does (ts-node with type checking: several seconds).
     * @default "compiled"
     */
    entry?: PackEntry;
    /** Milliseconds to wait for the port before giving up (default 120000: type-checking is slow). */
    startTimeoutMs?: number;
    /** Extra environment variables for the pack process. */
    env?: Record<string, string>;
}

/** The compiled entry, relative to the pack directory (see the pack's tsconfig.build.json). */
export const COMPILED_ENTRY = path.join("dist", "start.js");

// Variables that would make ts-node in the pack behave differently from the CLI's plugin host
// (e.g. mocha's TS_NODE_PROJECT pointing at the repository's tsconfig).
function packEnvironment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (!key.startsWith("TS_NODE_") && key !== "NODE_OPTIONS") {
            env[key] = value;
        }
    }
    return { ...env, ...extra };
}

function resolvesFrom(dir: string, name: string): boolean {
    for (const request of [name, `${name}/package.json`]) {
        try {
            require.resolve(request, { paths: [dir] });
            return true;
        } catch {
            continue;
        }
    }
    return false;
}

/** Throws, naming what is missing and the fix, unless every dependency of the pack resolves from it. */
function checkDependencies(dir: string): void {
    const manifestPath = path.join(dir, "package.json");
    if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml")) || !fs.existsSync(manifestPath)) {
        throw new Error(`${dir} is not a policy pack: PulumiPolicy.yaml or package.json is missing.`);
    }
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { dependencies?: Record<string, string> };
    const missing = Object.keys(manifest.dependencies ?? {}).filter((name) => !resolvesFrom(dir, name));
    if (missing.length > 0) {
        throw new Error(
            `Policy pack ${dir} cannot start: its dependencies ${missing.map((m) => `\`${m}\``).join(", ")} are not ` +
                `installed. Run \`npm ci --prefix ${dir}\` (the repository's \`npm ci\` does it unless run with --ignore-scripts).`,
        );
    }
}

/** Newest modification time (ms) among the TypeScript sources the compiled entry is built from. */
function newestSource(dir: string): number {
    let newest = 0;
    const visit = (file: string): void => {
        const stat = fs.statSync(file);
        if (stat.isDirectory()) {
            fs.readdirSync(file).forEach((name) => visit(path.join(file, name)));
        } else if (file.endsWith(".ts")) {
            newest = Math.max(newest, stat.mtimeMs);
        }
    };
    for (const entry of ["start.ts", "index.ts", "pack-policies.ts", "lib", "policies"]) {
        if (fs.existsSync(path.join(dir, entry))) {
            visit(path.join(dir, entry));
        }
    }
    return newest;
}

/** The compiled entry's absolute path; throws when it is missing or older than its sources. */
function compiledEntry(dir: string): string {
    const entry = path.join(dir, COMPILED_ENTRY);
    const fix = `Run \`npm run build --prefix ${dir}\` (the pack's \`npm ci\` runs it as its postinstall script).`;
    if (!fs.existsSync(entry)) {
        throw new Error(`Policy pack ${dir} cannot start: the compiled pack ${COMPILED_ENTRY} is missing. ${fix}`);
    }
    if (fs.statSync(entry).mtimeMs < newestSource(dir)) {
        throw new Error(
            `Policy pack ${dir} cannot start: ${COMPILED_ENTRY} is older than its TypeScript sources. ${fix}`,
        );
    }
    return entry;
}

function typeScriptRunner(dir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    } catch {
        throw new Error(`Cannot find @pulumi/pulumi from ${dir}: run \`npm ci --prefix ${dir}\` first.`);
    }
}

/** The node arguments that start the pack in `dir` (throws when it cannot start, saying why). */
export function packCommand(dir: string, entry: PackEntry): string[] {
    checkDependencies(dir);
    // The engine address is unused by policy packs but required by the runner's argument parser.
    return entry === "compiled" ? [compiledEntry(dir)] : [typeScriptRunner(dir), "127.0.0.1:0", "."];
}

/**
 * V8 lets the heap grow far past what is live before it collects: the pack receives whole stacks in
 * analyzeStack, and at 3 stacks of up to 2,500 resources its peak RSS was about 450 MB, of which under 100 MB live.
 * Growing the heap by 20% per collection keeps it near 230 MB for about 0.6 CPU-seconds more collection (6% of the
 * pack's CPU time over those stacks, measured with a CPU profile of the pack).
 */
const PACK_NODE_FLAGS = ["--heap-growing-percent=20"];

/** Spawns the pack and resolves once it has printed its gRPC port. */
export async function spawnPack(packDir: string, opts: SpawnOptions = {}): Promise<PackProcess> {
    const dir = path.resolve(packDir);
    const child = spawn(process.execPath, [...PACK_NODE_FLAGS, ...packCommand(dir, opts.entry ?? "compiled")], {
        cwd: dir,
        env: packEnvironment(opts.env),
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise<PackProcess>((resolve, reject) => {
        const timeoutMs = opts.startTimeoutMs ?? 120_000;
        const timer = setTimeout(() => {
            child.kill();
            reject(new Error(`Policy pack ${dir} printed no port within ${timeoutMs} ms.\n${stderr}`));
        }, timeoutMs);
        let served = false;
        // Keep draining stdout after the port line, or a chatty policy would block on a full pipe.
        const onData = (chunk: Buffer): void => {
            if (served) {
                return;
            }
            stdout += chunk.toString();
            const newline = stdout.indexOf("\n");
            if (newline < 0) {
                return;
            }
            served = true;
            clearTimeout(timer);
            const port = Number(stdout.slice(0, newline).trim());
            if (!Number.isInteger(port) || port <= 0) {
                child.kill();
                reject(new Error(`Policy pack ${dir} printed "${stdout.trim()}" instead of a port.\n${stderr}`));
                return;
            }
            resolve({ port, child, stderr: () => stderr });
        };
        child.stdout?.on("data", onData);
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            reject(new Error(`Policy pack ${dir} exited (${code ?? signal}) before serving.\n${stderr}`));
        });
    });
}
