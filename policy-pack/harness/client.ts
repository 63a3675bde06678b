/**
 * A gRPC client for a running policy pack, speaking the analyzer protocol as the Pulumi engine
 * does. One pack process serves any number of concurrent calls.
 */
import * as grpc from "@grpc/grpc-js";
import * as path from "path";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
    buildAnalyzeRequest,
    buildAnalyzeStackRequest,
    buildConfigureRequest,
    buildConfigureStackRequest,
    readAnalyzeResponse,
    readAnalyzerInfo,
    readRemediateResponse,
} from "./messages";
import { expandAll, policyPackConfigProblems, validatePolicyPackConfig } from "./config";
import { PackProcess, spawnPack, SpawnOptions } from "./process";
import {
    AnalyzeResult,
    AnalyzerInfo,
    AnalyzerResource,
    PolicyPackConfig,
    RemediateResult,
    StackContext,
} from "./types";

// The engine raises the limit the same way: a 10,000-resource analyzeStack is tens of megabytes.
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

const protoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const emptyPath = require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [protoDir] });
const Empty: new () => unknown = require(emptyPath).Empty;

type Unary<Req, Res> = (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown;

export class PolicyPackClient {
    private constructor(
        private readonly client: AnalyzerClient,
        private readonly pack: PackProcess,
        /** The pack directory this client talks to. */
        readonly packDir: string,
    ) {}

    /** Starts the pack in `packDir` (see {@link spawnPack}) and connects to it. */
    static async start(packDir: string, opts: SpawnOptions = {}): Promise<PolicyPackClient> {
        const pack = await spawnPack(packDir, opts);
        const client = new AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
        });
        return new PolicyPackClient(client, pack, path.resolve(packDir));
    }

    private call<Req, Res>(method: Unary<Req, Res>, req: Req): Promise<Res> {
        return new Promise<Res>((resolve, reject) => {
            method.call(this.client, req, (err, res) => {
                if (err) {
                    const logs = this.pack.stderr().trim();
                    reject(new Error(`${err.details || err.message}${logs ? `\npack stderr:\n${logs}` : ""}`));
                } else {
                    resolve(res);
                }
            });
        });
    }

    /** The pack's name, version and policies (names, levels, config schemas). */
    async info(): Promise<AnalyzerInfo> {
        return readAnalyzerInfo(await this.call(this.client.getAnalyzerInfo, new Empty() as never));
    }

    /**
     * Sets per-policy config, replacing any earlier config (as `--policy-pack-config` does). The
     * config is first checked against the pack's policy names and config schemas
     * ({@link validatePolicyPackConfig}): a {@link PolicyPackConfigError} lists every problem.
     */
    async configure(config: PolicyPackConfig): Promise<void> {
        const info = await this.info();
        const valid = expandAll(validatePolicyPackConfig(config, info), info);
        await this.call(this.client.configure, buildConfigureRequest(valid));
    }

    /** The problems of `config` for this pack (empty when valid); see {@link policyPackConfigProblems}. */
    async configProblems(config: unknown): Promise<string[]> {
        return policyPackConfigProblems(config, await this.info());
    }

    /** Tells the pack which stack it analyses; policies see the tags as `args.stackTags`. */
    async configureStack(ctx: StackContext): Promise<void> {
        await this.call(this.client.configureStack, buildConfigureStackRequest(ctx));
    }

    /** Runs every resource policy on one resource's inputs. */
    async analyze(resource: AnalyzerResource): Promise<AnalyzeResult> {
        return readAnalyzeResponse(await this.call(this.client.analyze, buildAnalyzeRequest(resource)));
    }

    /** Runs every stack policy on all resources' outputs, with parents and dependencies. */
    async analyzeStack(resources: AnalyzerResource[]): Promise<AnalyzeResult> {
        return readAnalyzeResponse(await this.call(this.client.analyzeStack, buildAnalyzeStackRequest(resources)));
    }

    /** Runs every policy whose level is "remediate" on one resource's inputs. */
    async remediate(resource: AnalyzerResource): Promise<RemediateResult> {
        return readRemediateResponse(await this.call(this.client.remediate, buildAnalyzeRequest(resource)));
    }

    /** Everything the pack printed on stderr so far. */
    stderr(): string {
        return this.pack.stderr();
    }

    /** Closes the connection and stops the pack process. */
    async close(): Promise<void> {
        this.client.close();
        const child = this.pack.child;
        if (child.exitCode !== null || child.signalCode !== null) {
            return;
        }
        await new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill();
        });
    }
}

/**
 * Starts the policy pack in `packDir` (compiled by default, see {@link SpawnOptions}) and returns a
 * connected client. Call `close()` when done. Rejects, naming what is missing and the fix, when the
 * pack cannot start (dependencies not installed, compiled pack missing or stale, a crash at load):
 * callers must treat that as a failed gate, never as "no findings".
 */
export function startPolicyPack(packDir: string, opts: SpawnOptions = {}): Promise<PolicyPackClient> {
    return PolicyPackClient.start(packDir, opts);
}
