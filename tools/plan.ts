/**
 * npm run plan -- --stack <name>[,<name>...] | --all  (see --help)
 *
 * Evaluates the program for each stack under Pulumi's mocks in a child process, checks the result
 * with the policy pack (one pack process for all stacks, started while the first stack evaluates,
 * and each stack analysed while the next one evaluates), prints a readable plan and writes
 * `<out>/<stack>/resources.json` and one Mermaid file per pipeline. Exit codes: see args.ts.
 */
import * as fs from "fs";
import * as path from "path";

import { HELP, type PlanArgs, parsePlanArgs } from "./plan/args";
import { diffPlans, loadBase } from "./plan/diff";
import { evaluateStack } from "./plan/evaluate";
import { pipelineFile, renderIndex, renderPipeline } from "./plan/mermaid";
import { plannedPipelines } from "./plan/pipeline-model";
import { type PlanSummary, NOTE, policySummary, renderPlan } from "./plan/report";
import { loadStackConfig, type StackConfig } from "./plan/stack-config";
import { computeTotals } from "./plan/totals";
import { renderTree } from "./plan/tree";
import { EXIT, ToolError } from "./shared/errors";
import { assertPackInstalled, PackSession, type StackCheck } from "./shared/pack";
import { type Progress, progressOn } from "./shared/progress";
import type { PlanFile, Resource } from "./shared/resource";

const REPO_ROOT = path.resolve(__dirname, "..");

type Log = (line: string) => void;

export async function main(
    argv: string[],
    log: Log = console.log,
    error: Log = console.error,
    progress: Progress = progressOn(process.stderr),
): Promise<number> {
    try {
        const args = parsePlanArgs(argv, REPO_ROOT);
        if (args.help) {
            log(HELP);
            return EXIT.ok;
        }
        return await planStacks(args, log, progress);
    } catch (err) {
        if (err instanceof ToolError) {
            error(`plan: ${err.message}`);
            return err.exitCode;
        }
        error(`plan: internal error in the plan tool (not in your program):\n${(err as Error).stack ?? err}`);
        return EXIT.crash;
    }
}

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
            const evaluated = await evaluateStack(args.dir, config, args.preview, {
                resource: (r) => check?.analyze(r),
                progress: (n) => progress.count(n, "resources registered"),
            });
            progress.done(`${evaluated.resources.length} resources`);
            const diff = args.base
                ? diffPlans(
                      args.base,
                      await loadBase(args.base, args.dir, config.stack, args.preview),
                      evaluated.resources,
                  )
                : undefined;
            const files = writeFiles(args, config, evaluated.resources);
            const summary: PlanSummary = {
                kind: "offline-plan",
                note: NOTE,
                project: config.project,
                stack: config.stack,
                preview: args.preview,
                totals: computeTotals(evaluated.resources),
                pipelines: plannedPipelines(evaluated.resources),
                policy: policySummary(undefined),
                ...(diff ? { diff } : {}),
                files,
                timings: {
                    evaluationMs: evaluated.evaluationMs,
                    evaluationCpuMs: evaluated.cpuMs,
                    evaluationPeakRssMb: evaluated.peakRssMb,
                },
            };
            const tree = args.json ? [] : renderTree(evaluated.resources);
            // The pack judged each resource as it was registered; analyzeStack runs while the next stack
            // evaluates. Reports keep the stacks' order.
            const analysed = analyse(check, config, evaluated.resources, summary, progress);
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
    const check = pack.then((session) =>
        session.begin({
            project: config.project,
            stack: config.stack,
            dryRun: args.preview,
            tags: { ...config.tags, ...args.stackTags },
        }),
    );
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

async function analyse(
    check: StackCheck | undefined,
    config: StackConfig,
    resources: Resource[],
    summary: PlanSummary,
    progress: Progress,
): Promise<void> {
    if (!check) return;
    const started = Date.now();
    const findings = await check.finish(resources);
    summary.policy = policySummary(findings);
    // What the analysis took after the evaluation ended: the part that did not overlap it.
    summary.timings.policyMs = Date.now() - started;
    progress.note(
        `analyze ${config.stack}: ${resources.length} resources, ${findings.length} findings (${(summary.timings.policyMs / 1000).toFixed(1)} s after evaluation)`,
    );
}

function readPackConfig(file: string | undefined): unknown {
    if (!file) return undefined;
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new ToolError(
            `--policy-pack-config ${file}: ${(err as Error).message}; pass a JSON file of policy settings`,
        );
    }
}

function writeFiles(args: PlanArgs, config: StackConfig, resources: Resource[]): PlanSummary["files"] {
    const dir = path.join(args.outDir, config.stack);
    const pipelinesDir = path.join(dir, "pipelines");
    fs.rmSync(pipelinesDir, { recursive: true, force: true });
    fs.mkdirSync(pipelinesDir, { recursive: true });
    const plan: PlanFile = {
        kind: "offline-plan",
        project: config.project,
        stack: config.stack,
        preview: args.preview,
        resources,
    };
    const resourcesFile = path.join(dir, "resources.json");
    fs.writeFileSync(resourcesFile, JSON.stringify(plan, null, 1));
    const pipelines = plannedPipelines(resources);
    const mermaid = pipelines.map((p) => {
        const file = path.join(pipelinesDir, pipelineFile(p));
        fs.writeFileSync(file, renderPipeline(config.stack, p));
        return file;
    });
    const mermaidIndex = path.join(pipelinesDir, "index.mmd");
    fs.writeFileSync(mermaidIndex, renderIndex(config.stack, pipelines));
    return { resources: resourcesFile, mermaidIndex, mermaid };
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
