/**
 * npm run bench:profile [-- --services 100 --env prod --top 25]
 *
 * Profiles the plan's evaluation of one synthesised stack with V8's `--cpu-prof` and prints the
 * functions with the most self time, and the same grouped by package, so the per-resource cost
 * under mocks can be read. A measurement, not a test.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";

import { table } from "../tools/shared/table";
import { writeBenchStackFile } from "./fixtures/plan-bench-config";

interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
}
interface Profile {
    nodes: Node[];
    startTime: number;
    endTime: number;
    samples: number[];
    timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, "..");

function packageOf(url: string): string {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (match) return match[1];
    if (!url) return "(V8 / native)";
    if (url.startsWith("node:")) return "node core";
    return path
        .relative(ROOT, url.replace(/^file:\/\//, ""))
        .split(path.sep)
        .slice(0, 2)
        .join("/");
}

function main() {
    const { values } = parseArgs({
        options: {
            services: { type: "string", default: "100" },
            env: { type: "string", default: "prod" },
            top: { type: "string", default: "25" },
        },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-profile-"));
    try {
        writeBenchStackFile(ROOT, values.env!, Number(values.services), dir);
        const run = spawnSync(
            process.execPath,
            [
                "-r",
                "sucrase/register/ts",
                "tools/plan.ts",
                "--stack",
                `bench-${values.env}`,
                "--config-dir",
                dir,
                "--out",
                dir,
                "--no-policy",
                "--json",
            ],
            { cwd: ROOT, env: { ...process.env, PLAN_CPU_PROF: dir }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
        );
        if (run.status !== 0) throw new Error(`plan failed: ${run.stderr.slice(-2000)}`);
        const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
        if (!file) throw new Error("no .cpuprofile written");
        const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Profile;
        const selfMs = new Map<number, number>();
        profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
        const totalMs = (profile.endTime - profile.startTime) / 1000;
        const byFunction = new Map<string, number>();
        const byPackage = new Map<string, number>();
        for (const node of profile.nodes) {
            const ms = selfMs.get(node.id) ?? 0;
            const { functionName, url, lineNumber } = node.callFrame;
            const key = `${functionName || "(anonymous)"} ${url ? `${packageOf(url)}:${path.basename(url)}:${lineNumber + 1}` : ""}`;
            byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
            byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + ms);
        }
        const summary = JSON.parse(run.stdout);
        console.log(
            `Evaluation profile of bench-${values.env} (${values.services} services, ${summary.totals.resources} resources): ${(totalMs / 1000).toFixed(1)} s profiled`,
        );
        const top = (map: Map<string, number>, n: number, head: string) => {
            const t = table([head, "self ms", "%"]);
            [...map]
                .sort((a, b) => b[1] - a[1])
                .slice(0, n)
                .forEach(([k, ms]) => t.push([k, ms.toFixed(0), ((ms / totalMs) * 100).toFixed(1)]));
            console.log(t.toString());
        };
        top(byPackage, 12, "package");
        top(byFunction, Number(values.top), "function");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main();
