// Evaluates the program for one stack in a child process (child/evaluate.ts) and returns the
// resources as the engine would hold them, with the stack root and the default AWS provider. Each
// resource is handed on as soon as it is registered.
import { fork } from "child_process";
import { once } from "events";
import * as fs from "fs";
import * as path from "path";

import { EXIT, ToolError } from "../shared/errors";
import { NO_OPTIONS, type Resource, STACK_TYPE } from "../shared/resource";
import type { Evaluation, EvaluationJob, EvaluationMessage } from "./child/evaluate";
import type { PlanSummary } from "./report";
import type { StackConfig } from "./stack-config";

const CHILD = path.join(__dirname, "child", "evaluate.ts");

export interface EvaluationListener {
    /** Each resource in its final form, in registration order, while the program runs. */
    resource?(resource: Resource): void;
    /** The count of registrations so far, at most every 250 ms. */
    progress?(registered: number): void;
}

/**
 * Runs the program. A config error becomes a ToolError with the program's own message; a crash is
 * re-run with stack capture on so the error carries a mapped TypeScript stack, then reported as a
 * crash.
 */
export async function evaluateStack(
    dir: string,
    config: StackConfig,
    preview: boolean,
    listener: EvaluationListener = {},
): Promise<{ resources: Resource[]; timings: PlanSummary["timings"] }> {
    const started = Date.now();
    const view = new EngineView(dir, config, listener);
    const result = await runChild(dir, config, preview, false, view);
    const evaluationMs = Date.now() - started;
    if (result.ok) {
        const timings = { evaluationMs, evaluationCpuMs: result.cpuMs, evaluationPeakRssMb: result.peakRssMb };
        return { resources: view.resources(), timings };
    }
    if (result.error.kind === "config") {
        throw new ToolError(`configuration error in stack ${config.stack}: ${result.error.message}`, EXIT.config);
    }
    const rerun = await runChild(dir, config, preview, true, new EngineView(dir, config, {}));
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
    view: EngineView,
): Promise<Evaluation> {
    const job: EvaluationJob = {
        dir: path.resolve(dir),
        fullStacks,
        project: config.project,
        stack: config.stack,
        preview,
        account: config.account,
        region: config.region,
        configNamespaces: [...new Set(Object.keys(config.values).map((key) => key.split(":")[0]))],
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
    let result: Evaluation | undefined;
    child.on("message", (message: EvaluationMessage) => {
        if (result) return;
        if ("resource" in message) view.add(message.resource);
        else result = message.result;
    });
    // "close", not "exit": it comes after the child's stdio streams, the IPC channel among them, have closed
    // (https://nodejs.org/api/child_process.html#event-close). The docs do not say that every message was delivered
    // by then, so a result that counts more registrations than arrived fails as a crash below.
    const [code, signal] = (await once(child, "close")) as [number | null, string | null];
    if (result?.ok && result.registered !== view.count) {
        const lost = `${result.registered - view.count} of ${result.registered} registrations were not received`;
        return { ok: false, error: { kind: "crash", message: `the evaluation process failed (${lost})` } };
    }
    const reason = `exit code ${code}${signal ? `, signal ${signal}` : ""}`;
    return result ?? { ok: false, error: { kind: "crash", message: `the evaluation process failed (${reason})` } };
}

/**
 * Adds what the engine adds: the root stack resource (`pulumi:pulumi:Stack`, named
 * `<project>-<stack>`, parent of top-level resources) and, for AWS resources without an explicit
 * provider, the default AWS provider built from the stack's `aws:*` config, which the engine passes
 * to analyzers with each resource. Provider inputs are strings, objects JSON-encoded, as the engine
 * passes provider config.
 */
class EngineView {
    private readonly root: Resource;
    private readonly provider: Resource;
    private readonly recorded: Resource[] = [];
    private providerUsed = false;
    private lastProgress = 0;

    constructor(
        dir: string,
        config: StackConfig,
        private readonly listener: EvaluationListener,
    ) {
        const prefix = `urn:pulumi:${config.stack}::${config.project}::`;
        const name = `${config.project}-${config.stack}`;
        const [inputs, dependencies, propertyDependencies, options] = [{}, [], {}, NO_OPTIONS];
        this.root = {
            type: STACK_TYPE,
            name,
            urn: `${prefix}${STACK_TYPE}::${name}`,
            custom: false,
            inputs,
            dependencies,
            propertyDependencies,
            options,
        };
        const version = awsVersion(dir);
        const providerName = `default_${version.replace(/\./g, "_")}`;
        const aws = Object.entries(config.values).filter(([key]) => key.startsWith("aws:"));
        this.provider = {
            ...this.root,
            type: "pulumi:providers:aws",
            name: providerName,
            urn: `${prefix}pulumi:providers:aws::${providerName}`,
            custom: true,
            inputs: {
                ...Object.fromEntries(aws.map(([k, v]) => [k.slice(4), typeof v === "string" ? v : JSON.stringify(v)])),
                version,
            },
        };
        listener.resource?.(this.root);
    }

    get count(): number {
        return this.recorded.length;
    }

    /** One registration, as recorded in the child. */
    add(resource: Resource): void {
        this.recorded.push(resource);
        resource.parent ??= this.root.urn;
        // Resources the program gave an explicit provider keep it; the others get the default one.
        if (resource.custom && resource.type.startsWith("aws:") && !resource.provider) {
            if (!this.providerUsed) this.listener.resource?.(this.provider);
            this.providerUsed = true;
            resource.provider = this.provider.urn;
        }
        this.listener.resource?.(resource);
        if (Date.now() - this.lastProgress >= 250) {
            this.lastProgress = Date.now();
            this.listener.progress?.(this.recorded.length);
        }
    }

    /** The root, the default provider if used, then every resource by URN. */
    resources(): Resource[] {
        this.recorded.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
        return [this.root, ...(this.providerUsed ? [this.provider] : []), ...this.recorded];
    }
}

function awsVersion(dir: string): string {
    try {
        const file = require.resolve("@pulumi/aws/package.json", { paths: [dir] });
        return String(JSON.parse(fs.readFileSync(file, "utf8")).version);
    } catch {
        return "0.0.0";
    }
}
