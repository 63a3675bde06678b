/**
 * Runs policies through @pulumi/policy's own RPC handlers without a network hop: the same request
 * decoding, unknown-checking proxies and error handling as the served pack, thousands of times
 * faster to start. The handlers are internal to the SDK (server.js exports them, its typings do
 * not), so this file is the one place that relies on them.
 */
import { Policies } from "@pulumi/policy";
import {
    buildAnalyzeRequest,
    buildAnalyzeStackRequest,
    readAnalyzeResponse,
    readRemediateResponse,
} from "../../harness/messages";
import { AnalyzeResult, AnalyzerResource, RemediateResult } from "../../harness";

type Handler = (call: { request: unknown }, callback: (err: unknown, res: unknown) => void) => Promise<void>;
type Factory = (pack: string, version: string, level: string, policies: Policies) => Handler;

const server = require("@pulumi/policy/server") as Record<string, Factory>;

function invoke<T>(handler: Handler, request: unknown, read: (res: never) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        void handler({ request }, (err, res) => (err ? reject(err) : resolve(read(res as never))));
    });
}

/** The pack's RPC surface, in-process. Errors reject, exactly where the served pack fails the RPC. */
export class InProcessPack {
    private readonly analyzeHandler: Handler;
    private readonly stackHandler: Handler;
    private readonly remediateHandler: Handler;

    constructor(policies: Policies, name = "in-process", version = "0.0.0") {
        this.analyzeHandler = server.makeAnalyzeRpcFun(name, version, "advisory", policies);
        this.stackHandler = server.makeAnalyzeStackRpcFun(name, version, "advisory", policies);
        this.remediateHandler = server.makeRemediateRpcFun(name, version, "advisory", policies);
    }

    analyze(resource: AnalyzerResource): Promise<AnalyzeResult> {
        return invoke(this.analyzeHandler, buildAnalyzeRequest(resource), readAnalyzeResponse);
    }

    analyzeStack(resources: AnalyzerResource[]): Promise<AnalyzeResult> {
        return invoke(this.stackHandler, buildAnalyzeStackRequest(resources), readAnalyzeResponse);
    }

    remediate(resource: AnalyzerResource): Promise<RemediateResult> {
        return invoke(this.remediateHandler, buildAnalyzeRequest(resource), readRemediateResponse);
    }
}
