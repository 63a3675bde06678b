/**
 * The one policy-pack runner of `npm run plan` and `npm run audit`: starts the pack once through
 * its harness (the only module of the tools that imports it), checks and sends the policy config,
 * then judges any number of stacks in the engine's order: configureStack (stack, project, tags,
 * dry run), analyze per resource (inputs), one analyzeStack (outputs, with parents, dependencies
 * and providers). A pack that cannot run is a ToolError with EXIT.packUnavailable: the gate fails
 * closed.
 */
import * as fs from "fs";
import * as path from "path";

import type {
    AnalyzerInfo,
    AnalyzerResource,
    Diagnostic,
    PolicyPackClient,
    PolicyPackConfig,
    StackContext,
} from "../../policy-pack/harness";
import { EXIT, ToolError } from "./errors";
import type { Resource } from "./resource";

export interface Finding extends Diagnostic {
    /** "analyze": one resource's inputs; "analyzeStack": the whole stack. */
    phase: "analyze" | "analyzeStack";
}

/** A stack as the engine sends it (policies read the tags as `args.stackTags`), with its resources. */
export type StackUnderTest = StackContext & { tags: Record<string, string>; resources: Resource[] };

export type PackInfo = Pick<AnalyzerInfo, "name" | "version" | "policies">;

const CONCURRENCY = 16;

export class PackSession {
    private constructor(
        private readonly client: PolicyPackClient,
        readonly info: PackInfo,
    ) {}

    /**
     * Starts the pack in `packDir` and configures it; any failure to start fails closed. The harness
     * checks the config against the pack's policies and schemas and expands `all`.
     */
    static async open(packDir: string, config?: unknown): Promise<PackSession> {
        assertPackInstalled(packDir);
        let harness: typeof import("../../policy-pack/harness");
        let client: PolicyPackClient;
        try {
            // Loaded lazily: the harness pulls in gRPC, which `--no-policy` runs need not pay for.
            harness = await import("../../policy-pack/harness");
            client = await harness.startPolicyPack(packDir);
        } catch (err) {
            throw new ToolError(
                `the policy pack in ${packDir} could not start, so nothing was checked: ${(err as Error).message}`,
                EXIT.packUnavailable,
            );
        }
        try {
            if (config !== undefined) await client.configure(config as PolicyPackConfig);
            const info = await client.info();
            return new PackSession(client, { name: info.name, version: info.version, policies: info.policies });
        } catch (err) {
            await client.close();
            if (err instanceof harness.PolicyPackConfigError) {
                throw new ToolError(`--policy-pack-config: ${err.problems.join(" ")}`, EXIT.usage);
            }
            throw err;
        }
    }

    async check(target: StackUnderTest): Promise<Finding[]> {
        await this.client.configureStack(target);
        const byUrn = new Map(target.resources.map((r) => [r.urn, r]));
        const wire = (r: Resource, props: Record<string, unknown>) => toWire(r, props, byUrn);
        const perResource = await mapLimited(target.resources, CONCURRENCY, async (r) => {
            const { diagnostics } = await this.client.analyze(wire(r, r.inputs));
            // An analyze finding is about the analysed resource unless the policy named another.
            return diagnostics.map((d): Finding => ({ ...d, urn: d.urn || r.urn, phase: "analyze" }));
        });
        const stack = await this.client.analyzeStack(target.resources.map((r) => wire(r, r.outputs ?? r.inputs)));
        return [...perResource.flat(), ...stack.diagnostics.map((d): Finding => ({ ...d, phase: "analyzeStack" }))];
    }

    close(): Promise<void> {
        return this.client.close();
    }
}

/** Fails closed, at once, when the pack in `packDir` is missing or not installed. */
export function assertPackInstalled(packDir: string): void {
    const fix = "install it (npm ci --prefix policy-pack), or pass --no-policy to plan without the gate";
    if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
        const problem = `no policy pack in ${packDir} (PulumiPolicy.yaml is missing), so nothing was checked; ${fix}`;
        throw new ToolError(problem, EXIT.packUnavailable);
    }
    try {
        require.resolve("@pulumi/policy", { paths: [packDir] });
    } catch {
        throw new ToolError(
            `the policy pack's dependencies are not installed in ${packDir} (@pulumi/policy is missing), so nothing was checked; ${fix}`,
            EXIT.packUnavailable,
        );
    }
}

function toWire(r: Resource, properties: Record<string, unknown>, byUrn: Map<string, Resource>): AnalyzerResource {
    const provider = r.provider ? byUrn.get(r.provider) : undefined;
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        properties,
        // The harness sends the options the analyzer protocol has, with the parent.
        options: r.options,
        ...(provider
            ? { provider: { type: provider.type, name: provider.name, urn: provider.urn, properties: provider.inputs } }
            : {}),
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
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
