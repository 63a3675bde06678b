import * as fs from "fs";
import * as path from "path";

import { toAnalyzerResource } from "./analyzer-resources";
import type { PlanArgs } from "./args";
import { EXIT } from "./errors";
import { evaluateStack } from "./evaluate-stack";
import { renderMermaid } from "./mermaid";
import { plannedPipelines } from "./pipeline-model";
import { packUnavailable, runPolicyPack, Violation } from "./policy-check";
import { renderStagePicture } from "./stage-picture";
import { loadStackConfig } from "./stack-config";
import { header, NOTE, PlanSummary, totalsLines } from "./summary";
import { computeTotals } from "./totals";
import { renderTree } from "./tree";
import type { PlanFile } from "./types";
import { countMandatory, renderViolations } from "./violations-table";

export type Log = (line: string) => void;

/** Plans one stack; returns the exit code. User-fixable problems are thrown as PlanError. */
export async function runPlan(args: PlanArgs, log: Log): Promise<number> {
    const started = Date.now();
    const config = loadStackConfig(args.dir, args.stack, args.stackFile);
    const { resources, evaluationMs, peakRssMb } = evaluateStack(args.dir, config, args.preview);
    const pipelines = plannedPipelines(resources);
    const files = writeFiles(
        args,
        { stack: config.stack, project: config.project, resources: resources.map(toAnalyzerResource) },
        renderMermaid(config.stack, pipelines),
    );
    const policyStarted = Date.now();
    const policy = await checkPolicies(args, config.project, files.planFile);
    const summary: PlanSummary = {
        kind: "offline-plan",
        note: NOTE,
        project: config.project,
        stack: config.stack,
        preview: args.preview,
        totals: computeTotals(resources),
        pipelines,
        policy: { ...policy, mandatory: countMandatory(policy.violations) },
        files: { resources: files.resources, mermaid: files.mermaid },
        timings: {
            evaluationMs,
            evaluationPeakRssMb: peakRssMb,
            ...(policy.ran ? { policyMs: Date.now() - policyStarted } : {}),
            totalMs: Date.now() - started,
        },
    };
    if (args.json) log(JSON.stringify(summary, null, 2));
    else printReport(summary, renderTree(resources), log);
    return summary.policy.mandatory > 0 ? EXIT.policy : EXIT.ok;
}

function writeFiles(args: PlanArgs, planFile: PlanFile, mermaid: string) {
    const dir = path.join(args.outDir, args.stack);
    fs.mkdirSync(dir, { recursive: true });
    const files = { resources: path.join(dir, "resources.json"), mermaid: path.join(dir, "pipelines.mmd") };
    fs.writeFileSync(files.resources, JSON.stringify(planFile, null, 1));
    fs.writeFileSync(files.mermaid, mermaid);
    return { ...files, planFile };
}

async function checkPolicies(
    args: PlanArgs,
    project: string,
    plan: PlanFile,
): Promise<{ ran: boolean; skipped?: string; violations: Violation[] }> {
    const unavailable = args.policy ? packUnavailable(args.policyPack) : "--no-policy";
    if (unavailable) return { ran: false, skipped: unavailable, violations: [] };
    const violations = await runPolicyPack(plan.resources, {
        packDir: args.policyPack,
        stack: args.stack,
        project,
        dryRun: args.preview,
    });
    return { ran: true, violations };
}

function printReport(s: PlanSummary, tree: string[], log: Log) {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    log(header(s.project, s.stack, s.preview));
    log("");
    log("Resources by component");
    tree.forEach((line) => log(`  ${line}`));
    log("");
    log(`Pipelines (${s.pipelines.length}; Mermaid: ${path.relative(process.cwd(), s.files.mermaid)})`);
    s.pipelines.forEach((p) => renderStagePicture(p).forEach((line) => log(`  ${line}`)));
    log("");
    log("Totals");
    totalsLines(s.totals).forEach((line) => log(`  ${line}`));
    log("");
    if (!s.policy.ran) log(`Policy pack: skipped (${s.policy.skipped})`);
    else if (s.policy.violations.length === 0) log("Policy pack: no violations");
    else
        log(
            `Policy violations: ${s.policy.violations.length}, ${s.policy.mandatory} mandatory\n${renderViolations(s.policy.violations)}`,
        );
    const plan = path.relative(process.cwd(), s.files.resources);
    log(`Plan file: ${plan} (npm run audit -- ${plan})`);
    log(
        `Time: evaluation ${seconds(s.timings.evaluationMs)}${s.timings.policyMs !== undefined ? `, policy ${seconds(s.timings.policyMs)}` : ""}, total ${seconds(s.timings.totalMs)}`,
    );
}
