// Child-process entry: runs one Pulumi program for one stack under the SDK's mock runtime and
// writes an EvaluationResult to the file named in the job. Started by ../run-program.ts, which
// passes the stack's config through PULUMI_CONFIG (read by @pulumi/pulumi on first config access).
import * as fs from "fs";

import type { EvaluationResult, PlannedResource } from "../types";
import { classifyFailure } from "./classify";
import { planMocks } from "./mocks";
import { recordRegistrations } from "./recorder";

export interface EvaluationJob {
    dir: string;
    project: string;
    stack: string;
    preview: boolean;
    /** False: stack capture is off for speed (see ../run-program.ts); true: the crash re-run. */
    fullStacks: boolean;
    account: string;
    region: string;
    configNamespaces: string[];
    resultFile: string;
}

async function evaluate(job: EvaluationJob): Promise<EvaluationResult> {
    // Load the SDK the program itself resolves: mocks installed on another copy would be ignored.
    const sdk = (id: string) => require(require.resolve(id, { paths: [job.dir] }));
    const pulumi = sdk("@pulumi/pulumi");
    const settings = sdk("@pulumi/pulumi/runtime/settings");
    const failures: unknown[] = [];
    // The Pulumi language host fails the program on any unhandled rejection (e.g. a throw inside an
    // apply), so the plan does the same rather than printing a partial plan.
    process.on("unhandledRejection", (reason) => failures.push(reason));
    await pulumi.runtime.setMocks(planMocks(job), job.project, job.stack, job.preview);
    const resources = recordRegistrations(settings.getMonitor());
    try {
        require(job.dir);
        await settings.waitForRPCs();
    } catch (err) {
        failures.push(err);
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (failures.length > 0) {
        return { ok: false, error: classifyFailure(failures[0], job.configNamespaces) };
    }
    return {
        ok: true,
        project: job.project,
        stack: job.stack,
        preview: job.preview,
        resources: sortByUrn(resources),
        peakRssMb: peakRssMb(),
    };
}

function peakRssMb(): number {
    return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Registration order depends on promise timing; sorting keeps output and files diffable. */
function sortByUrn(resources: PlannedResource[]): PlannedResource[] {
    return [...resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

async function main() {
    const job = JSON.parse(process.env.PLAN_JOB ?? "{}") as EvaluationJob;
    if (!job.fullStacks) {
        // ts-node installed source-map-support's Error.prepareStackTrace; without it the SDK's
        // per-resource Resource.callsites() stack is formatted by V8 alone, unmapped (nobody reads it
        // under mocks). Errors raised in this mode carry no stack; run-program re-runs a crash.
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    }
    const result = await evaluate(job);
    fs.writeFileSync(job.resultFile, JSON.stringify(result));
    // Outstanding SDK timers (leak detection, keep-alives) must not hold the plan open.
    process.exit(0);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
