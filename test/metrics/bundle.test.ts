import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { builtinModules } from "node:module";
import {
    CodePipelineClient,
    GetPipelineExecutionCommand,
    ListActionExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import { mockClient } from "aws-sdk-client-mock";
import {
    bundleArchive,
    bundleFiles,
    HANDLER,
    PIPELINES_PATH,
    RUNTIME_PACKAGES,
} from "../../functions/delivery-metrics/bundle";
import { actionRun, execution } from "./fixtures/api";
import { EXECUTION, PIPELINE, pipelineSucceeded } from "./fixtures/events";

const requires = (js: string): string[] => [...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);

describe("delivery-metrics Lambda bundle", () => {
    const files = bundleFiles();

    it("is closed: every relative require is in the bundle, every package is provided by the Lambda runtime", () => {
        for (const [file, js] of Object.entries(files)) {
            for (const target of requires(js)) {
                if (target.startsWith(".")) {
                    const resolved = path.posix.join(path.posix.dirname(file), target) + ".js";
                    assert.ok(resolved in files, `${file} requires ${target}, which is not in the bundle`);
                } else {
                    assert.ok(
                        RUNTIME_PACKAGES.includes(target) || builtinModules.includes(target.replace(/^node:/, "")),
                        `${file} requires ${target}, which the Lambda runtime does not provide`,
                    );
                }
            }
        }
    });

    it("runs from its archive layout: the Lambda entry point handles an event end to end", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "delivery-metrics-"));
        try {
            // The service name exists only in the archive's pipelines.json: a metric naming it proves the file was read.
            const archive = bundleArchive({ [PIPELINE]: "storefront" });
            assert.deepEqual(Object.keys(archive).sort(), [...Object.keys(files), PIPELINES_PATH].sort());
            for (const [file, js] of Object.entries(archive)) {
                fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
                fs.writeFileSync(path.join(dir, file), js);
            }
            // Stand in for the runtime's SDK with this repository's copy (same module, so the mock applies).
            fs.mkdirSync(path.join(dir, "node_modules"));
            fs.symlinkSync(path.resolve("node_modules/@aws-sdk"), path.join(dir, "node_modules/@aws-sdk"));
            const [file, exported] = [
                HANDLER.slice(0, HANDLER.lastIndexOf(".")),
                HANDLER.slice(HANDLER.lastIndexOf(".") + 1),
            ];
            const mod = require(path.join(dir, `${file}.js`));
            assert.equal(typeof mod[exported], "function");

            const mock = mockClient(CodePipelineClient);
            mock.on(GetPipelineExecutionCommand).resolves(execution(EXECUTION, { created: ["2026-11-20T10:00:00Z"] }));
            mock.on(ListActionExecutionsCommand).resolves({
                actionExecutionDetails: [
                    actionRun(EXECUTION, "Deploy", "Succeeded", "2026-11-20T10:20:00Z", "2026-11-20T10:29:00Z"),
                ],
            });
            const written: string[] = [];
            const write = process.stdout.write;
            const saved = { ...process.env };
            Object.assign(process.env, {
                ENVIRONMENT: "prod",
                DEPLOY_STAGE: "Deploy",
                AWS_REGION: "eu-west-1",
            });
            process.stdout.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stdout.write;
            try {
                await mod[exported](pipelineSucceeded("2026-11-20T10:30:00Z"));
            } finally {
                process.stdout.write = write;
                process.env = saved;
                mock.restore();
            }
            assert.equal(written.length, 1);
            const doc = JSON.parse(written[0]);
            assert.equal(doc.service, "storefront");
            assert.equal(doc.Deployments, 1);
            assert.equal(doc.LeadTime, 30 * 60);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
