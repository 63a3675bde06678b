/**
 * The handler's Lambda bundle, built when the Pulumi program runs: each source file is transpiled to CommonJS with
 * sucrase and placed at its repository path, so the relative imports between them hold. Sucrase strips types and
 * rewrites imports without loading the TypeScript compiler, which cost every stack evaluation about half a
 * CPU-second and 60 MB (bench:profile); the syntax is left as written, which the Lambda runtime below (`LAMBDA_RUNTIME`) runs. Nothing is
 * bundled from node_modules: the only package the code loads, `@aws-sdk/client-codepipeline`, is part of the Lambda
 * Node.js runtime (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { transform } from "sucrase";

const ROOT = path.resolve(__dirname, "..", "..");

/** Every file the handler loads, by repository path. A test checks the list is closed under `require`. */
export const BUNDLE_SOURCES = [
    "functions/delivery-metrics/handler.ts",
    "functions/delivery-metrics/emf.ts",
    "model/metrics/catalogue.ts",
    "model/metrics/dora.ts",
    "model/metrics/event-pattern.ts",
    "tools/codepipeline/history.ts",
] as const;

/**
 * The handler's Lambda runtime, the one place it is chosen: Node.js 24, the newest runtime the Lambda runtimes page
 * lists as generally available (deprecation projected for Apr 30, 2028). `nodejs20.x` was deprecated on Apr 30, 2026
 * and `nodejs22.x` is projected for Apr 30, 2027; a runtime the page lists only in public preview is not chosen.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-supported
 */
export const LAMBDA_RUNTIME = "nodejs24.x";

/** Lambda's `handler` setting: file (without extension) and exported function. */
export const HANDLER = "functions/delivery-metrics/handler.handler";

/** Archive path of the pipeline → service map the handler reads next to itself (`PIPELINES_FILE` in handler.ts). */
export const PIPELINES_PATH = "functions/delivery-metrics/pipelines.json";

/** Packages the Lambda runtime provides; the bundle may require nothing else outside itself. */
export const RUNTIME_PACKAGES = ["@aws-sdk/client-codepipeline"];

/** Transpiled sources: archive path (`.js`) → JavaScript text. */
export function bundleFiles(): Record<string, string> {
    return Object.fromEntries(
        BUNDLE_SOURCES.map((source) => {
            const text = fs.readFileSync(path.join(ROOT, source), "utf8");
            const out = transform(text, { filePath: source, transforms: ["typescript", "imports"] });
            return [source.replace(/\.ts$/, ".js"), out.code];
        }),
    );
}

/**
 * The whole code archive: the transpiled sources and, at `PIPELINES_PATH`, the pipeline → service map. The map rides
 * in the code, not the environment, because it grows with the services: Lambda allows 4 KB for all environment
 * variables together but 50 MB (zipped) for a deployment package
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export function bundleArchive(pipelineServices: Readonly<Record<string, string>>): Record<string, string> {
    return { ...bundleFiles(), [PIPELINES_PATH]: JSON.stringify(pipelineServices) };
}
