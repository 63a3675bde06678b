// Child-process entry: runs the Pulumi program for one stack under the SDK's mock runtime and
// writes an Evaluation to the file named in the job. Started by ../evaluate.ts, which passes the
// stack's config through PULUMI_CONFIG (read by @pulumi/pulumi on first config access) and reads
// progress messages ({ registered }) over the IPC channel.
import * as fs from "fs";

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
    resultFile: string;
}

/** A failure is "config" when the program rejected its configuration (printed without a stack), else "crash". */
export interface ProgramFailure {
    kind: "config" | "crash";
    message: string;
    stack?: string;
}

export type Evaluation =
    { ok: true; resources: Resource[]; peakRssMb: number; cpuMs: number } | { ok: false; error: ProgramFailure };

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

function finish(job: EvaluationJob, result: Evaluation): never {
    fs.writeFileSync(job.resultFile, JSON.stringify(result));
    // Exit now: outstanding RPCs of a failed program, SDK timers and the "promises were still
    // active" report on exit must not hold the plan open or bury the error.
    process.exit(0);
}

async function evaluate(job: EvaluationJob): Promise<never> {
    // Load the SDK the program itself resolves: mocks installed on another copy would be ignored.
    const sdk = (id: string) => require(require.resolve(id, { paths: [job.dir] }));
    const pulumi = sdk("@pulumi/pulumi");
    const settings = sdk("@pulumi/pulumi/runtime/settings");
    skipPromiseLeakTracking(sdk("@pulumi/pulumi/runtime/debuggable"));
    // The Pulumi language host fails the program on the first unhandled error, including a throw
    // inside an apply; so does the plan, at once, rather than waiting on RPCs that will never end.
    const fail = (err: unknown) => finish(job, { ok: false, error: classifyFailure(err, job.configNamespaces) });
    process.on("unhandledRejection", fail);
    process.on("uncaughtException", fail);
    await pulumi.runtime.setMocks(planMocks(job), job.project, job.stack, job.preview);
    const resources = recordRegistrations(settings.getMonitor());
    const progress = setInterval(() => process.send?.({ registered: resources.length }), 250);
    try {
        require(job.dir);
        await settings.waitForRPCs();
    } catch (err) {
        fail(err);
    }
    // Let rejections raised in the last turn surface before declaring success.
    await new Promise((resolve) => setImmediate(resolve));
    clearInterval(progress);
    resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    const usage = process.resourceUsage();
    return finish(job, {
        ok: true,
        resources,
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

const job = JSON.parse(process.env.PLAN_JOB ?? "{}") as EvaluationJob;
evaluate(job).catch((err) => {
    console.error(err);
    process.exit(1);
});
