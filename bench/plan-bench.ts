/**
 * npm run bench:plan [-- --services 100 --rounds 1 --cdk-peer <dir>]
 *
 * Ours against the AWS CDK peer in one run, alternating: for each round, the offline plan of
 * dev, staging and prod with N synthesised services each, as one `npm run plan` process with the
 * policy pack, then the CDK peer synthesising the same 3 x N pipelines, then the plan without the
 * pack. Each is a separate process, timed wall-clock with its peak RSS. A measurement, not a test.
 * The peer (see its README) is never a dependency of the product: when its directory has no build,
 * it is copied to a temp dir and installed there; if it cannot run, that is printed and ours still is.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";

import type { PlanSummary } from "../tools/plan/report";
import { table } from "../tools/shared/table";
import { writeBenchStackFile } from "./fixtures/plan-bench-config";

const ROOT = path.resolve(__dirname, "..");
const ENVS = ["dev", "staging", "prod"];

interface Run {
    label: string;
    wallS: number;
    peakRssMb?: number;
    /** User + system CPU seconds of the whole process tree: steadier than wall time on a shared machine. */
    cpuS?: number;
    detail: string;
}

/** Runs a command under GNU time for its peak RSS (largest process of its tree), when available. */
function timed(label: string, command: string, args: string[], cwd: string): Run & { stdout: string } {
    const gnuTime = fs.existsSync("/usr/bin/time");
    const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}`);
    const started = process.hrtime.bigint();
    const run = spawnSync(
        gnuTime ? "/usr/bin/time" : command,
        gnuTime ? ["-f", "%U %S %M", "-o", rssFile, command, ...args] : args,
        {
            cwd,
            encoding: "utf8",
            maxBuffer: 512 * 1024 * 1024,
            stdio: ["ignore", "pipe", "pipe"],
        },
    );
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    const [user, system, rssKb] =
        gnuTime && fs.existsSync(rssFile)
            ? fs.readFileSync(rssFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number)
            : [NaN, NaN, NaN];
    if (run.status !== 0 && run.status !== 1) {
        throw new Error(`${label} failed (exit ${run.status}):\n${run.stderr.slice(-3000)}`);
    }
    return {
        label,
        wallS,
        peakRssMb: Number.isFinite(rssKb) ? Math.round(rssKb / 1024) : undefined,
        cpuS: Number.isFinite(user + system) ? user + system : undefined,
        detail: "",
        stdout: run.stdout,
    };
}

function ours(configDir: string, policy: boolean): Run {
    const args = [
        // As `npm run plan` runs it (package.json): see README "Tests and benchmarks".
        "--heap-growing-percent=20",
        "-r",
        "sucrase/register/ts",
        "tools/plan.ts",
        "--stack",
        ENVS.map((e) => `bench-${e}`).join(","),
        "--config-dir",
        configDir,
        "--out",
        configDir,
        "--json",
        ...(policy ? [] : ["--no-policy"]),
    ];
    const run = timed(policy ? "ours, with the pack" : "ours, no pack", process.execPath, args, ROOT);
    const summaries = JSON.parse(run.stdout) as PlanSummary[];
    const resources = summaries.reduce((n, s) => n + s.totals.resources, 0);
    const evalS = summaries.reduce((n, s) => n + s.timings.evaluationMs, 0) / 1000;
    const policyS = summaries.reduce((n, s) => n + (s.timings.policyMs ?? 0), 0) / 1000;
    const evalRss = Math.max(...summaries.map((s) => s.timings.evaluationPeakRssMb));
    return {
        ...run,
        detail:
            `${summaries.length} stacks, ${resources} resources, ${summaries.reduce((n, s) => n + s.totals.pipelines, 0)} pipelines; ` +
            `evaluation ${evalS.toFixed(1)} s (peak ${evalRss} MB per stack process)` +
            (policy
                ? `, analysis ${policyS.toFixed(1)} s after each evaluation (each resource is judged as it registers)`
                : ""),
    };
}

/** The peer's directory with a build, installing a copy in a temp dir when needed. */
function preparePeer(dir: string): string {
    const built = (d: string) =>
        fs.existsSync(path.join(d, "dist", "synth.js")) && fs.existsSync(path.join(d, "node_modules"));
    if (built(dir)) return dir;
    const copy = path.join(os.tmpdir(), "cdk-peer-bench");
    if (built(copy)) return copy;
    console.error(`installing the CDK peer into ${copy} (outside the product; never one of its dependencies)`);
    fs.cpSync(dir, copy, {
        recursive: true,
        filter: (src) => !src.includes("node_modules") && !src.includes(`${path.sep}dist`),
    });
    for (const [cmd, args] of [
        ["npm", ["ci", "--no-audit", "--no-fund"]],
        ["npx", ["tsc", "-p", "."]],
    ] as const) {
        const r = spawnSync(cmd, [...args], { cwd: copy, encoding: "utf8" });
        if (r.status !== 0)
            throw new Error(`\`${cmd} ${args.join(" ")}\` failed in ${copy}: ${(r.stderr || r.stdout).slice(-1000)}`);
    }
    return copy;
}

function peer(dir: string, services: number): Run {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "cdk-peer-out-"));
    try {
        const run = timed(
            "CDK peer",
            process.execPath,
            ["dist/synth.js", String(services), "--services-per-stack=25", `--outdir=${out}`],
            dir,
        );
        return { ...run, detail: `aws-cdk-lib synth of 3 x ${services} pipelines (${dir})` };
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
}

function findPeer(given: string | undefined): string | undefined {
    const candidates = given
        ? [given]
        : [
              process.env.CDK_PEER_DIR,
              path.join(ROOT, "..", "shared", "cdk-peer"),
              path.join(ROOT, "..", "..", "shared", "cdk-peer"),
          ];
    return candidates.find((d): d is string => !!d && fs.existsSync(path.join(d, "package.json")));
}

function bench() {
    const { values } = parseArgs({
        options: {
            services: { type: "string", default: "100" },
            rounds: { type: "string", default: "1" },
            "cdk-peer": { type: "string" },
        },
    });
    const services = Number(values.services);
    const rounds = Number(values.rounds);
    if (!Number.isInteger(services) || services < 1)
        throw new Error(`--services must be a positive integer, got "${values.services}"`);
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-"));
    let peerDir: string | undefined;
    let peerProblem: string | undefined;
    try {
        const found = findPeer(values["cdk-peer"]);
        peerDir = found ? preparePeer(found) : undefined;
        if (!found)
            peerProblem =
                "no CDK peer found: pass --cdk-peer <dir> (the shared cdk-peer directory) or set CDK_PEER_DIR";
    } catch (err) {
        peerProblem = `the CDK peer cannot run: ${(err as Error).message}`;
    }
    const runs: Run[] = [];
    try {
        for (const env of ENVS) writeBenchStackFile(ROOT, env, services, configDir);
        for (let round = 0; round < rounds; round++) {
            runs.push(ours(configDir, true));
            if (peerDir) {
                try {
                    runs.push(peer(peerDir, services));
                } catch (err) {
                    peerProblem = `the CDK peer failed: ${(err as Error).message}`;
                    peerDir = undefined;
                }
            }
            runs.push(ours(configDir, false));
        }
    } finally {
        fs.rmSync(configDir, { recursive: true, force: true });
    }
    console.log(
        `Plan bench: 3 stacks x ${services} services, ${os.cpus().length} CPUs, node ${process.version}, ${rounds} round(s), alternating`,
    );
    const t = table(["run", "wall s", "CPU s", "peak RSS MB", "detail"], [22, 8, 8, 13, 84]);
    for (const r of runs)
        t.push([r.label, r.wallS.toFixed(1), r.cpuS?.toFixed(1) ?? "n/a", r.peakRssMb ?? "n/a", r.detail]);
    console.log(t.toString());
    const mean = (label: string, of: (r: Run) => number | undefined = (r) => r.wallS) => {
        const list = runs.filter((r) => r.label === label).map(of);
        return list.length && list.every((v) => v !== undefined)
            ? (list as number[]).reduce((a, b) => a + b, 0) / list.length
            : undefined;
    };
    const ratio = (label: string, of?: (r: Run) => number | undefined) => {
        const [ours, cdk] = [mean(label, of), mean("CDK peer", of)];
        return ours !== undefined && cdk !== undefined ? (ours / cdk).toFixed(2) : "n/a";
    };
    if (peerProblem) console.log(`CDK peer: ${peerProblem}`);
    if (mean("CDK peer") !== undefined) {
        for (const label of ["ours, with the pack", "ours, no pack"]) {
            console.log(
                `${label} / CDK peer: wall ${ratio(label)}, CPU ${ratio(label, (r) => r.cpuS)} (below 1: faster than CDK)`,
            );
        }
    }
}

try {
    bench();
} catch (err) {
    console.error(`bench:plan: ${(err as Error).message}`);
    process.exitCode = 1;
}
