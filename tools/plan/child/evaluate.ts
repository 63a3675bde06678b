// Child-process entry: runs the Pulumi program for one stack under the SDK's mock runtime. Started
// by ../evaluate.ts, which passes the stack's config through PULUMI_CONFIG (read by @pulumi/pulumi
// on first config access). Over the IPC channel it sends each resource as it is registered
// ({ resource }), so the parent can have it judged while the program still runs, as the engine
// has each resource analysed during a preview, and then one { result }.
import Module from "module";

import type { Resource } from "../../shared/resource";
import { planMocks } from "./mocks";
import { recordRegistrations } from "./recorder";

export interface EvaluationJob {
    dir: string;
    project: string;
    stack: string;
    preview: boolean;
    /** False: stack capture is off for speed (see ../evaluate.ts); true: the crash re-run. */
    fullStacks: boolean;
    account: string;
    region: string;
    configNamespaces: string[];
}

/** A failure is "config" when the program rejected its configuration (printed without a stack), else "crash". */
export interface ProgramFailure {
    kind: "config" | "crash";
    message: string;
    stack?: string;
}

/** `registered`: how many { resource } messages came before, so the parent can tell none was lost. */
export type Evaluation =
    { ok: true; registered: number; peakRssMb: number; cpuMs: number } | { ok: false; error: ProgramFailure };

export type EvaluationMessage = { resource: Resource } | { result: Evaluation };

// Pulumi's own config errors (ConfigMissingError, ConfigTypeError, ...) are RunErrors, which the
// Pulumi language host also prints without a stack (@pulumi/pulumi errors.ts); a program's
// validation error is recognised by naming a config key of this stack, e.g. "cicd:services[1].deploy.kind: ...".
function classifyFailure(err: unknown, namespaces: string[]): ProgramFailure {
    if (!(err instanceof Error)) return { kind: "crash", message: String(err) };
    const escaped = namespaces.map((ns) => ns.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const config =
        (err as { __pulumiRunError?: boolean }).__pulumiRunError ||
        /config/i.test(err.name) ||
        (!/^(Type|Reference|Syntax|Range|Eval|URI)Error$/.test(err.name) &&
            escaped.length > 0 &&
            new RegExp(`(^|[\\s'"\`(])(${escaped.join("|")}):[A-Za-z_]`).test(err.message));
    return { kind: config ? "config" : "crash", message: err.message, stack: err.stack };
}

function finish(result: Evaluation): void {
    // Exit once the result is on the channel: outstanding RPCs of a failed program, SDK timers and
    // the "promises were still active" report on exit must not hold the plan open or bury the error.
    process.send?.({ result } satisfies EvaluationMessage, () => process.exit(0));
}

async function evaluate(job: EvaluationJob): Promise<void> {
    // Load the SDK the program itself resolves: mocks installed on another copy would be ignored.
    const sdk = (id: string) => require(require.resolve(id, { paths: [job.dir] }));
    deferTypeScript(require.resolve("@pulumi/pulumi/typescript-shim", { paths: [job.dir] }));
    const pulumi = sdk("@pulumi/pulumi");
    const settings = sdk("@pulumi/pulumi/runtime/settings");
    skipPromiseLeakTracking(sdk("@pulumi/pulumi/runtime/debuggable"));
    // The Pulumi language host fails the program on the first unhandled error, including a throw
    // inside an apply; so does the plan, at once, rather than waiting on RPCs that will never end.
    let failed = false;
    const fail = (err: unknown) => {
        if (!failed) finish({ ok: false, error: classifyFailure(err, job.configNamespaces) });
        failed = true;
    };
    process.on("unhandledRejection", fail);
    process.on("uncaughtException", fail);
    await pulumi.runtime.setMocks(planMocks(job), job.project, job.stack, job.preview);
    const resources = recordRegistrations(settings.getMonitor(), (resource) =>
        process.send?.({ resource } satisfies EvaluationMessage),
    );
    try {
        require(job.dir);
        await settings.waitForRPCs();
    } catch (err) {
        fail(err);
    }
    // Let rejections raised in the last turn surface before declaring success.
    await new Promise((resolve) => setImmediate(resolve));
    if (failed) return;
    const usage = process.resourceUsage();
    finish({
        ok: true,
        registered: resources.length,
        peakRssMb: Math.round(usage.maxRSS / 1024),
        cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    });
}

/**
 * The SDK wraps every internal promise for its exit-time leak report (runtime/debuggable.ts:
 * three properties, a captured stack and a set entry per promise). The plan never relies on that
 * report: it waits for RPCs itself and exits explicitly. Without the wrapper, 100 services take
 * about 1 CPU-second and 70 MB less (bench:profile). Skipped if the SDK's shape ever changes.
 */
function skipPromiseLeakTracking(debuggable: { debuggablePromise?: unknown }) {
    if (typeof debuggable.debuggablePromise === "function") {
        debuggable.debuggablePromise = <T>(promise: Promise<T>) => promise;
    }
}

/**
 * The SDK loads the TypeScript compiler when it starts (runtime/closure/*.js require its
 * typescript-shim at module load) for function serialization, which a program under mocks never
 * calls: about 0.4 CPU-seconds per stack of loading and compiling typescript.js (bench:profile).
 * The shim's module is pre-filled with a stand-in that loads the compiler on first use.
 */
function deferTypeScript(shimPath: string) {
    let typescript: Record<string | symbol, unknown> | undefined;
    const shim = new Module(shimPath);
    const load = () => {
        if (typescript === undefined) {
            delete require.cache[shimPath];
            typescript = require(shimPath) as Record<string | symbol, unknown>;
            require.cache[shimPath] = shim;
        }
        return typescript;
    };
    shim.filename = shimPath;
    shim.loaded = true;
    shim.exports = new Proxy({}, { get: (_target, key) => load()[key], has: (_target, key) => key in load() });
    require.cache[shimPath] = shim;
}

const job = JSON.parse(process.env.PLAN_JOB ?? "{}") as EvaluationJob;
evaluate(job).catch((err) => {
    console.error(err);
    process.exit(1);
});
