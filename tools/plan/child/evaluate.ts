// Child-process entry: runs the Pulumi program for one stack under the SDK's mock runtime and
// writes an Evaluation to the file named in the job. Started by ../evaluate.ts, which passes the
// stack's config through PULUMI_CONFIG (read by @pulumi/pulumi on first config access) and reads
// progress messages ({ registered }) over the IPC channel.
import * as fs from "fs";

import type { Resource } from "../../shared/resource";
import { classifyFailure, type ProgramFailure } from "./classify";
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

export type Evaluation = { ok: true; resources: Resource[]; peakRssMb: number } | { ok: false; error: ProgramFailure };

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
    return finish(job, { ok: true, resources, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
}

const job = JSON.parse(process.env.PLAN_JOB ?? "{}") as EvaluationJob;
if (!job.fullStacks) {
    // ts-node installed source-map-support's Error.prepareStackTrace; without it the SDK's
    // per-resource Resource.callsites() stack is formatted by V8 alone, unmapped (nobody reads it
    // under mocks). Errors raised in this mode carry no stack; ../evaluate.ts re-runs a crash.
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
}
evaluate(job).catch((err) => {
    console.error(err);
    process.exit(1);
});
