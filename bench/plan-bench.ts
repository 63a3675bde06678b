/**
 * npm run bench:plan [-- --services 100 --envs dev,staging,prod --policy]
 *
 * The offline plan at scale: for each environment, a stack file with N services (synthesised from
 * that environment's own services into a temp dir) is planned with `npm run plan`'s code, and the
 * bench prints wall time, resources, resources/s and peak RSS (the plan process and its program
 * evaluation process). A measurement, not a test: nothing is asserted.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import Table from "cli-table3";

import { main } from "../tools/plan";
import type { PlanSummary } from "../tools/plan/summary";
import { writeBenchStackFile } from "./fixtures/plan-bench-config";

const ROOT = path.resolve(__dirname, "..");

interface Row {
    env: string;
    wallMs: number;
    summary: PlanSummary;
}

async function planOne(env: string, services: number, policy: boolean, tmp: string): Promise<Row> {
    const stackFile = writeBenchStackFile(ROOT, env, services, tmp);
    const out: string[] = [];
    const err: string[] = [];
    const args = [
        "--stack",
        `bench-${env}`,
        "--stack-file",
        stackFile,
        "--out",
        tmp,
        "--json",
        ...(policy ? [] : ["--no-policy"]),
    ];
    const started = Date.now();
    const code = await main(
        args,
        (l) => out.push(l),
        (l) => err.push(l),
    );
    const wallMs = Date.now() - started;
    if (code !== 0 && out.length === 0)
        throw new Error(`plan of bench-${env} failed (exit ${code}):\n${err.join("\n")}`);
    return { env, wallMs, summary: JSON.parse(out.join("\n")) as PlanSummary };
}

function report(rows: Row[], totalMs: number): string {
    const style = process.stdout.isTTY ? {} : { style: { head: [], border: [] } };
    const table = new Table({
        ...style,
        head: ["stack", "wall s", "eval s", "resources", "pipelines", "resources/s", "eval peak RSS MB"],
    });
    for (const { env, wallMs, summary } of rows) {
        const t = summary.timings;
        table.push([
            `bench-${env}`,
            (wallMs / 1000).toFixed(1),
            (t.evaluationMs / 1000).toFixed(1),
            summary.totals.resources,
            summary.totals.pipelines,
            Math.round(summary.totals.resources / (wallMs / 1000)),
            t.evaluationPeakRssMb,
        ]);
    }
    const resources = rows.reduce((n, r) => n + r.summary.totals.resources, 0);
    table.push([
        "total",
        (totalMs / 1000).toFixed(1),
        "",
        resources,
        rows.reduce((n, r) => n + r.summary.totals.pipelines, 0),
        Math.round(resources / (totalMs / 1000)),
        Math.max(...rows.map((r) => r.summary.timings.evaluationPeakRssMb)),
    ]);
    return table.toString();
}

async function bench() {
    const { values } = parseArgs({
        options: {
            services: { type: "string", default: "100" },
            envs: { type: "string", default: "dev,staging,prod" },
            policy: { type: "boolean" },
        },
    });
    const services = Number(values.services);
    if (!Number.isInteger(services) || services < 1)
        throw new Error(`--services must be a positive integer, got "${values.services}"`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-"));
    const rows: Row[] = [];
    const started = Date.now();
    try {
        for (const env of values.envs!.split(",")) rows.push(await planOne(env, services, values.policy === true, tmp));
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    console.log(
        `Offline plan bench: ${services} services per stack, ${os.cpus().length} CPUs, node ${process.version}, policy ${values.policy ? "on" : "off"}`,
    );
    console.log(report(rows, Date.now() - started));
    console.log(`plan process peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

bench().catch((err) => {
    console.error(`bench:plan: ${err.message}`);
    process.exitCode = 1;
});
