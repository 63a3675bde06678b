/**
 * Starts a policy pack the way the Pulumi CLI's Node.js language host does: `node` runs
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

export interface SpawnOptions {
    /** Milliseconds to wait for the port before giving up (default 120000: type-checking is slow). */
    startTimeoutMs?: number;
    /** Extra environment variables for the pack process. */
    env?: Record<string, string>;
}

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

function resolveRunner(packDir: string): string {
    if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
        throw new Error(`${packDir} is not a policy pack: PulumiPolicy.yaml is missing.`);
    }
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch {
        throw new Error(`Cannot find @pulumi/pulumi from ${packDir}: run \`npm ci --prefix ${packDir}\` first.`);
    }
}

/** Spawns the pack and resolves once it has printed its gRPC port. */
export function spawnPack(packDir: string, opts: SpawnOptions = {}): Promise<PackProcess> {
    const dir = path.resolve(packDir);
    const runner = resolveRunner(dir);
    // The engine address is unused by policy packs but required by the runner's argument parser.
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
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
