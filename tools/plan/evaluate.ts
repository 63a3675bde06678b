// Evaluates the program for one stack in a child process (child/evaluate.ts) and returns the
// resources as the engine would hold them, with the stack root and the default AWS provider.
import { fork } from "child_process";
import { once } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { EXIT, ToolError } from "../shared/errors";
import { NO_OPTIONS, type Resource, STACK_TYPE } from "../shared/resource";
import type { Evaluation, EvaluationJob } from "./child/evaluate";
import type { PlanSummary } from "./report";
import type { StackConfig } from "./stack-config";

const CHILD = path.join(__dirname, "child", "evaluate.ts");

/**
 * Runs the program; `onProgress` receives the count of registrations so far. A config error
 * becomes a ToolError with the program's own message; a crash is re-run with stack capture on so
 * the error carries a mapped TypeScript stack, then reported as a crash.
 */
export async function evaluateStack(
    dir: string,
    config: StackConfig,
    preview: boolean,
    onProgress: (registered: number) => void = () => undefined,
): Promise<{ resources: Resource[]; timings: PlanSummary["timings"] }> {
    const started = Date.now();
    const result = await runChild(dir, config, preview, false, onProgress);
    const evaluationMs = Date.now() - started;
    if (result.ok) {
        const timings = { evaluationMs, evaluationCpuMs: result.cpuMs, evaluationPeakRssMb: result.peakRssMb };
        return { resources: engineView(dir, config, result.resources), timings };
    }
    if (result.error.kind === "config") {
        throw new ToolError(`configuration error in stack ${config.stack}: ${result.error.message}`, EXIT.config);
    }
    const rerun = await runChild(dir, config, preview, true, () => undefined);
    const failure = rerun.ok ? result.error : rerun.error;
    const stack = failure.stack?.includes("\n") ? failure.stack : `${failure.message}\n    (no stack captured)`;
    throw new ToolError(`the program crashed while planning stack ${config.stack}:\n${stack}`, EXIT.crash);
}

// Why a child process with stack capture off: the Node SDK captures `new Error().stack` for every
// internal promise (runtime/debuggable.ts) and a full stack for every resource (Resource.callsites
// in resource.ts); under ts-node's source-map-support each capture was also source-mapped. For
// 1,600 resources that cost 31 CPU-seconds, against 5.9 with `--stack-trace-limit=0` and no
// source-map hook. The program is loaded with sucrase, which strips types without loading the
// TypeScript compiler and keeps line numbers, so stacks point at the right lines without source
// maps: 1.5 s less CPU than ts-node at 100 services (bench:profile). A crash is re-run with full
// stacks, so the user still gets a useful stack; that costs time only on the failure path.
const REGISTER = require.resolve("sucrase/register/ts");

async function runChild(
    dir: string,
    config: StackConfig,
    preview: boolean,
    fullStacks: boolean,
    onProgress: (registered: number) => void,
): Promise<Evaluation> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const job: EvaluationJob = {
        dir: path.resolve(dir),
        fullStacks,
        project: config.project,
        stack: config.stack,
        preview,
        account: config.account,
        region: config.region,
        configNamespaces: [...new Set(Object.keys(config.values).map((key) => key.split(":")[0]))],
        resultFile: path.join(tmp, "result.json"),
    };
    const child = fork(CHILD, [], {
        cwd: job.dir,
        execArgv: [
            ...(fullStacks ? [] : ["--stack-trace-limit=0"]),
            // `PLAN_CPU_PROF=<dir>`: a V8 CPU profile of the evaluation (see bench/profile-top.ts).
            ...(process.env.PLAN_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.PLAN_CPU_PROF}`] : []),
            "-r",
            REGISTER,
        ],
        env: { ...process.env, ...config.env, PLAN_JOB: JSON.stringify(job) },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("message", (message: { registered?: number }) => {
        if (typeof message.registered === "number") onProgress(message.registered);
    });
    const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
    try {
        if (fs.existsSync(job.resultFile)) return JSON.parse(fs.readFileSync(job.resultFile, "utf8")) as Evaluation;
        const reason = `exit code ${code}${signal ? `, signal ${signal}` : ""}`;
        return { ok: false, error: { kind: "crash", message: `the evaluation process failed (${reason})` } };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/**
 * Adds what the engine adds: the root stack resource (`pulumi:pulumi:Stack`, named
 * `<project>-<stack>`, parent of top-level resources) and, for AWS resources without an explicit
 * provider, the default AWS provider built from the stack's `aws:*` config, which the engine passes
 * to analyzers with each resource. Provider inputs are strings, objects JSON-encoded, as the engine
 * passes provider config.
 */
function engineView(dir: string, config: StackConfig, recorded: Resource[]): Resource[] {
    const prefix = `urn:pulumi:${config.stack}::${config.project}::`;
    const root: Resource = {
        type: STACK_TYPE,
        name: `${config.project}-${config.stack}`,
        urn: `${prefix}${STACK_TYPE}::${config.project}-${config.stack}`,
        custom: false,
        inputs: {},
        dependencies: [],
        propertyDependencies: {},
        options: NO_OPTIONS,
    };
    const version = awsVersion(dir);
    const providerName = `default_${version.replace(/\./g, "_")}`;
    const provider: Resource = {
        ...root,
        type: "pulumi:providers:aws",
        name: providerName,
        urn: `${prefix}pulumi:providers:aws::${providerName}`,
        custom: true,
        inputs: {
            ...Object.fromEntries(
                Object.entries(config.values)
                    .filter(([key]) => key.startsWith("aws:"))
                    .map(([key, value]) => [key.slice(4), typeof value === "string" ? value : JSON.stringify(value)]),
            ),
            version,
        },
    };
    // Resources the program gave an explicit provider keep it; the others get the default one.
    const usesDefault = (r: Resource) => r.custom && r.type.startsWith("aws:") && !r.provider;
    const resources = recorded.map((r) => ({
        ...r,
        parent: r.parent ?? root.urn,
        ...(usesDefault(r) ? { provider: provider.urn } : {}),
    }));
    return [root, ...(recorded.some(usesDefault) ? [provider] : []), ...resources];
}

function awsVersion(dir: string): string {
    try {
        const file = require.resolve("@pulumi/aws/package.json", { paths: [dir] });
        return String(JSON.parse(fs.readFileSync(file, "utf8")).version);
    } catch {
        return "0.0.0";
    }
}
