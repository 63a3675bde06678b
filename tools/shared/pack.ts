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

/** One stack being judged: see {@link PackSession.begin}. */
export interface StackCheck {
    analyze(resource: Resource): void;
    finish(resources: Resource[]): Promise<Finding[]>;
}

export class PackSession {
    private last: Promise<void> = Promise.resolve();
    private inFlight = 0;
    private readonly waiting: Array<() => void> = [];

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

    /** Judges a whole stack at once (the audit). */
    async check({ resources, ...stack }: StackUnderTest): Promise<Finding[]> {
        const check = this.begin(stack);
        resources.forEach((r) => check.analyze(r));
        return check.finish(resources);
    }

    /**
     * Starts judging one stack whose resources arrive one by one, as the engine has each resource
     * analysed while a preview runs: `analyze` each resource as it is registered (after every
     * resource it refers to), then `finish` with all of them for analyzeStack. Stacks are judged one
     * after another, in the order they began: the pack holds one stack's context at a time.
     */
    begin(stack: Omit<StackUnderTest, "resources">): StackCheck {
        const ready = this.last.then(() => this.client.configureStack(stack));
        let done!: () => void;
        this.last = new Promise<void>((resolve) => (done = resolve));
        const byUrn = new Map<string, Resource>();
        const pending: Array<Promise<Finding[]>> = [];
        return {
            analyze: (r) => {
                byUrn.set(r.urn, r);
                const wire = toWire(r, r.inputs, byUrn);
                const findings = ready
                    .then(() => this.limit(() => this.client.analyze(wire)))
                    // An analyze finding is about the analysed resource unless the policy named another.
                    .then(({ diagnostics }) =>
                        diagnostics.map((d): Finding => ({ ...d, urn: d.urn || r.urn, phase: "analyze" })),
                    );
                findings.catch(() => undefined); // awaited by finish; not unhandled before that
                pending.push(findings);
            },
            finish: async (resources) => {
                try {
                    const perResource = await Promise.all(pending);
                    const wires = resources.map((r) => toWire(r, r.outputs ?? r.inputs, byUrn));
                    const { diagnostics } = await this.client.analyzeStack(wires);
                    return [
                        ...perResource.flat(),
                        ...diagnostics.map((d): Finding => ({ ...d, phase: "analyzeStack" })),
                    ];
                } finally {
                    done();
                }
            },
        };
    }

    /** At most CONCURRENCY analyze calls in flight: enough to keep the pack busy, few enough to stay responsive. */
    private async limit<T>(call: () => Promise<T>): Promise<T> {
        while (this.inFlight >= CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
        this.inFlight++;
        try {
            return await call();
        } finally {
            this.inFlight--;
            this.waiting.shift()?.();
        }
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
