/**
 * npm run plan -- --stack <name>[,<name>...] | --all  (see --help)
 *
 * Evaluates the program for each stack under Pulumi's mocks in a child process, checks the result
 * with the policy pack (one pack process for all stacks, started while the first stack evaluates;
 * each resource judged as it is registered, each stack as a whole while the next one evaluates), prints a readable plan and writes
 * `<out>/<stack>/resources.json` and one Mermaid file per pipeline. Exit codes: see args.ts.
 */
import * as fs from "fs";
import * as path from "path";

import { HELP, type PlanArgs, parsePlanArgs } from "./plan/args";
import { diffPlans, loadBase } from "./plan/diff";
import { evaluateStack } from "./plan/evaluate";
import { pipelineFile, renderIndex, renderPipeline } from "./plan/mermaid";
import { type PlannedPipeline, plannedPipelines } from "./plan/pipeline-model";
import { type PlanSummary, NOTE, policySummary, renderPlan, renderTree } from "./plan/report";
import { loadStackConfig, type StackConfig } from "./plan/stack-config";
import { computeTotals } from "./plan/totals";
import { type Log, readPackConfig, runTool } from "./shared/cli";
import { EXIT } from "./shared/errors";
import { assertPackInstalled, PackSession, type StackCheck } from "./shared/pack";
import { type Progress, progressOn } from "./shared/progress";
import type { PlanFile, Resource } from "./shared/resource";

const REPO_ROOT = path.resolve(__dirname, "..");

export const main = runTool(module, "plan", async (argv, log, progress: Progress = progressOn(process.stderr)) => {
    const args = parsePlanArgs(argv, REPO_ROOT);
    if (!args) {
        log(HELP);
        return EXIT.ok;
    }
    return planStacks(args, log, progress);
});

async function planStacks(args: PlanArgs, log: Log, progress: Progress): Promise<number> {
    // Every stack's config is read first, so a typo in the last one fails before any work.
    const configs = args.stacks.map((stack) => loadStackConfig(args.dir, stack, args.configDir));
    if (args.policy) assertPackInstalled(args.policyPack);
    const pack = args.policy ? PackSession.open(args.policyPack, readPackConfig(args.policyConfig)) : undefined;
    pack?.catch(() => undefined); // awaited below; not an unhandled rejection while the first stack evaluates
    const summaries: PlanSummary[] = [];
    let previous: Promise<void> = Promise.resolve();
    try {
        for (const config of configs) {
            const check = pack ? beginCheck(pack, args, config) : undefined;
            progress.phase(`evaluate ${config.stack}`);
            const { resources, timings } = await evaluateStack(args.dir, config, args.preview, {
                resource: (r) => check?.analyze(r),
                progress: (n) => progress.count(n, "resources registered"),
            });
            progress.done(`${resources.length} resources`);
            // Read before the plan files are written: the base may be this stack's previous plan file.
            const diff = args.base
                ? diffPlans(args.base, await loadBase(args.base, args.dir, config.stack, args.preview), resources)
                : undefined;
            const pipelines = plannedPipelines(resources);
            const summary: PlanSummary = {
                kind: "offline-plan",
                note: NOTE,
                project: config.project,
                stack: config.stack,
                preview: args.preview,
                totals: computeTotals(resources),
                pipelines,
                policy: policySummary(undefined),
                ...(diff ? { diff } : {}),
                files: writeFiles(args, config, resources, pipelines),
                timings,
            };
            const tree = args.json ? [] : renderTree(resources);
            // Each resource was judged as it registered; the stack as a whole is judged while the next
            // one evaluates. Reports keep the stacks' order.
            const analysed = (async () => {
                if (!check) return;
                const started = Date.now();
                const findings = await check.finish(resources);
                summary.policy = policySummary(findings);
                // The analysis left when the evaluation ended: what did not overlap it.
                summary.timings.policyMs = Date.now() - started;
                const seconds = (summary.timings.policyMs / 1000).toFixed(1);
                progress.note(
                    `analyze ${config.stack}: ${resources.length} resources, ${findings.length} findings (${seconds} s after evaluation)`,
                );
            })();
            previous = Promise.all([previous, analysed]).then(() => {
                summaries.push(summary);
                if (!args.json) renderPlan(summary, tree).forEach((line) => log(line));
            });
            previous.catch(() => undefined);
        }
        await previous;
    } finally {
        await pack?.then(
            (p) => p.close(),
            () => undefined,
        );
    }
    if (args.json) log(JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2));
    return summaries.some((s) => s.policy.mandatory > 0) ? EXIT.policy : EXIT.ok;
}

/** A stack check that starts once the pack has (the pack starts while the first stack evaluates). */
function beginCheck(pack: Promise<PackSession>, args: PlanArgs, config: StackConfig): StackCheck {
    const tags = { ...config.tags, ...args.stackTags };
    const { project, stack } = config;
    const check = pack.then((session) => session.begin({ project, stack, dryRun: args.preview, tags }));
    check.catch(() => undefined); // awaited by finish
    return {
        analyze: (r) =>
            void check.then(
                (c) => c.analyze(r),
                () => undefined,
            ),
        finish: async (resources) => (await check).finish(resources),
    };
}

function writeFiles(
    args: PlanArgs,
    { project, stack }: StackConfig,
    resources: Resource[],
    pipelines: PlannedPipeline[],
): PlanSummary["files"] {
    const dir = path.join(args.outDir, stack);
    const pipelinesDir = path.join(dir, "pipelines");
    fs.rmSync(pipelinesDir, { recursive: true, force: true });
    fs.mkdirSync(pipelinesDir, { recursive: true });
    const plan: PlanFile = { kind: "offline-plan", project, stack, preview: args.preview, resources };
    const resourcesFile = path.join(dir, "resources.json");
    fs.writeFileSync(resourcesFile, JSON.stringify(plan, null, 1));
    const mermaid = pipelines.map((p) => {
        const file = path.join(pipelinesDir, pipelineFile(p));
        fs.writeFileSync(file, renderPipeline(stack, p));
        return file;
    });
    const mermaidIndex = path.join(pipelinesDir, "index.mmd");
    fs.writeFileSync(mermaidIndex, renderIndex(stack, pipelines));
    return { resources: resourcesFile, mermaidIndex, mermaid };
}
