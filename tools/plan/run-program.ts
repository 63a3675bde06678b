import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import type { EvaluationJob } from "./child/evaluate";
import type { StackConfig } from "./stack-config";
import type { EvaluationResult } from "./types";

export interface RunOptions {
    dir: string;
    config: StackConfig;
    preview: boolean;
    /** Capture full stacks (slow); used only to re-run a crashed program for a useful trace. */
    fullStacks?: boolean;
}

const CHILD = path.join(__dirname, "child", "evaluate.ts");

export function runProgram(options: RunOptions): EvaluationResult {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const job: EvaluationJob = {
        dir: path.resolve(options.dir),
        fullStacks: options.fullStacks === true,
        project: options.config.project,
        stack: options.config.stack,
        preview: options.preview,
        ...accountAndRegion(options.config),
        configNamespaces: namespaces(options.config),
        resultFile: path.join(tmp, "result.json"),
    };
    try {
        const child = spawnSync(process.execPath, nodeArgs(options.fullStacks === true), {
            cwd: job.dir,
            env: { ...process.env, ...options.config.env, PLAN_JOB: JSON.stringify(job) },
            stdio: ["ignore", "inherit", "inherit"],
        });
        if (!fs.existsSync(job.resultFile)) {
            const reason =
                child.error?.message ?? `exit code ${child.status}${child.signal ? `, signal ${child.signal}` : ""}`;
            return {
                ok: false,
                error: { kind: "crash", message: `the program evaluation process failed (${reason})` },
            };
        }
        return JSON.parse(fs.readFileSync(job.resultFile, "utf8")) as EvaluationResult;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

// Why a child process with stack capture off: the Node SDK captures `new Error().stack` for every
// internal promise (runtime/debuggable.ts) and a full, source-mapped stack for every resource
// (Resource.callsites in resource.ts). Under ts-node's source-map-support that dominated the run
// (shared notes §1: ~6 ms/resource). Measured here for 1,600 resources, CPU seconds of the
// evaluation: plain ts-node 31 s, --stack-trace-limit=0 7.2 s, compiled JS with limit 0 5.9 s;
// dropping the source-map hook as well (see evaluate.ts) gets ts-node to the compiled figure
// without a build step or a cache to invalidate. On the product's prod stack with 100 services
// (2,392 registrations) the evaluation took 32.1 s with full stacks and 7.7 s this way. A crash is then re-run with full stacks, so the
// user still gets a mapped TypeScript stack; that costs time only on the failure path.
function nodeArgs(fullStacks: boolean): string[] {
    const limit = fullStacks ? [] : ["--stack-trace-limit=0"];
    return [...limit, "-r", "ts-node/register/transpile-only", CHILD];
}

const DEFAULT_ACCOUNT = "123456789012";

/** The account for ARNs: a 12-digit `account*` field of any structured config value, else a placeholder. */
function accountAndRegion(config: StackConfig): { account: string; region: string } {
    const region =
        typeof config.values["aws:region"] === "string" ? (config.values["aws:region"] as string) : "us-east-1";
    return { account: findAccount(config.values) ?? DEFAULT_ACCOUNT, region };
}

function findAccount(value: unknown): string | undefined {
    if (!value || typeof value !== "object") return undefined;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (/account/i.test(key) && typeof v === "string" && /^\d{12}$/.test(v)) return v;
        if (/account/i.test(key) && Array.isArray(v) && /^\d{12}$/.test(String(v[0]))) return String(v[0]);
        const nested = typeof v === "object" ? findAccount(v) : undefined;
        if (nested) return nested;
    }
    return undefined;
}

function namespaces(config: StackConfig): string[] {
    return [...new Set(Object.keys(config.values).map((key) => key.split(":")[0]))];
}
