/**
 * Runs the policy pack over an audit input through the analyzer protocol, as `pulumi up` would:
 * `configureStack`, then `analyze` for every resource's inputs, then one `analyzeStack` on outputs.
 */
import { Diagnostic, PolicyPackConfig, startPolicyPack } from "../../policy-pack/harness";
import { AuditInput } from "./input";

export interface AuditOptions {
    packDir: string;
    config?: PolicyPackConfig;
    /** Stack tags to pass to the pack (e.g. environment=production). */
    stackTags?: Record<string, string>;
    /** Concurrent analyze calls (default 16). */
    concurrency?: number;
}

export interface AuditFinding extends Diagnostic {
    /** "analyze" (one resource's inputs) or "analyzeStack" (the whole stack's outputs). */
    phase: "analyze" | "analyzeStack";
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

export async function runAudit(input: AuditInput, opts: AuditOptions): Promise<AuditFinding[]> {
    const pack = await startPolicyPack(opts.packDir);
    try {
        await pack.configureStack({ stack: input.stack, project: input.project, dryRun: false, tags: opts.stackTags });
        await pack.configure(opts.config ?? {});
        const perResource = await mapLimited(input.resources, opts.concurrency ?? 16, async ({ inputs }) => {
            const { diagnostics } = await pack.analyze(inputs);
            // analyze findings carry no URN unless the policy gave one: it is the analysed resource.
            return diagnostics.map((d): AuditFinding => ({ ...d, urn: d.urn || inputs.urn, phase: "analyze" }));
        });
        const stack = await pack.analyzeStack(input.resources.map((r) => r.outputs));
        return [
            ...perResource.flat(),
            ...stack.diagnostics.map((d): AuditFinding => ({ ...d, phase: "analyzeStack" })),
        ];
    } finally {
        await pack.close();
    }
}
