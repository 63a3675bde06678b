// Runs the CrossGuard pack over the planned resources through the analyzer gRPC protocol, in the
// order `pulumi preview --policy-pack` uses: configureStack, analyze per resource (its inputs),
// then one analyzeStack over all resources with parents and dependencies. The harness
// (policy-pack/harness) starts the pack exactly as the CLI's plugin host does.
import * as fs from "fs";
import * as path from "path";

import type { AnalyzerResource as HarnessResource, Diagnostic, PolicyPackClient } from "../../policy-pack/harness";
import type { AnalyzerResource } from "./types";

export interface Violation extends Diagnostic {
    phase: "analyze" | "analyzeStack";
}

export interface PolicyRunOptions {
    packDir: string;
    stack: string;
    project: string;
    /** Tell the pack it runs during a preview (computed values unknown). */
    dryRun: boolean;
    concurrency?: number;
}

/** Why the pack cannot run, or undefined when it can. */
export function packUnavailable(packDir: string): string | undefined {
    if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) return `no policy pack in ${packDir}`;
    if (!fs.existsSync(path.join(packDir, "node_modules"))) {
        return `policy pack dependencies are not installed: run npm ci --prefix ${path.relative(process.cwd(), packDir) || "."}`;
    }
    return undefined;
}

export async function runPolicyPack(resources: AnalyzerResource[], options: PolicyRunOptions): Promise<Violation[]> {
    // Loaded lazily: the harness pulls in gRPC, which `--no-policy` runs need not pay for.
    const { startPolicyPack } = await import("../../policy-pack/harness");
    const pack = await startPolicyPack(options.packDir);
    try {
        return await analyzeWithPack(pack, resources, options);
    } finally {
        await pack.close();
    }
}

/** The engine's sequence on a running pack (tests reuse one pack for several stacks). */
export async function analyzeWithPack(
    pack: PolicyPackClient,
    resources: AnalyzerResource[],
    options: Omit<PolicyRunOptions, "packDir">,
): Promise<Violation[]> {
    await pack.configureStack({ stack: options.stack, project: options.project, dryRun: options.dryRun, tags: {} });
    const wire = resources.map(toHarness);
    const perResource = await mapLimited(wire, options.concurrency ?? 16, async (resource) => {
        const { diagnostics } = await pack.analyze(resource);
        return diagnostics.map((d): Violation => ({ ...d, urn: d.urn || resource.urn, phase: "analyze" }));
    });
    const stackResult = await pack.analyzeStack(wire);
    return [...perResource.flat(), ...stackResult.diagnostics.map((d): Violation => ({ ...d, phase: "analyzeStack" }))];
}

/** The harness's option set is the engine's; plan-only options (retainOnDelete) are not sent. */
function toHarness(resource: AnalyzerResource): HarnessResource {
    const options = resource.options ?? {};
    return {
        ...resource,
        options: {
            protect: options.protect === true,
            ignoreChanges: (options.ignoreChanges as string[]) ?? [],
            deleteBeforeReplace: options.deleteBeforeReplace === true,
            additionalSecretOutputs: (options.additionalSecretOutputs as string[]) ?? [],
            aliases: [],
            parent: resource.parent,
        },
    };
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
