import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { writeBenchStackFile } from "../../bench/fixtures/plan-bench-config";
import { main } from "../../tools/plan";
import { MERMAID_LIMITS } from "../../tools/plan/mermaid";
import type { Finding } from "../../tools/shared/pack";
import { progressOn } from "../../tools/shared/progress";
import { renderFindings } from "../../tools/shared/table";

const ROOT = path.join(__dirname, "..", "..");

function recorder(isTTY: boolean) {
    const writes: string[] = [];
    return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } };
}

describe("plan output at scale and on terminals", function () {
    this.timeout(300_000);

    it("plans 100 services with progress on stderr, and every Mermaid file is within Mermaid's default limits", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-scale-"));
        writeBenchStackFile(ROOT, "prod", 100, dir);
        const { writes, stream } = recorder(false);
        const out: string[] = [];
        const code = await main(
            ["--stack", "bench-prod", "--config-dir", dir, "--out", dir, "--no-policy", "--json"],
            (l) => out.push(l),
            (l) => out.push(`stderr: ${l}`),
            progressOn(stream),
        );
        assert.strictEqual(code, 0, out.join("\n"));
        const summary = JSON.parse(out.join("\n"));
        assert.strictEqual(summary.pipelines.length, 100);
        const lines = writes.join("").trimEnd().split("\n");
        assert.strictEqual(lines[0], "evaluate bench-prod …");
        assert.match(lines[lines.length - 1], /^evaluate bench-prod: \d+ resources \(\d+\.\d s\)$/);
        for (const line of lines.slice(1, -1))
            assert.match(line, /^evaluate bench-prod: \d+ resources registered \(\d+\.\d s\)$/);
        const files = fs.readdirSync(path.join(dir, "bench-prod", "pipelines"));
        assert.strictEqual(files.length, 101);
        for (const file of files) {
            const text = fs.readFileSync(path.join(dir, "bench-prod", "pipelines", file), "utf8");
            const edges = text.split("\n").filter((l) => /-->|\.->/.test(l)).length;
            assert.ok(text.length <= MERMAID_LIMITS.maxTextSize, `${file}: ${text.length} characters`);
            assert.ok(edges <= MERMAID_LIMITS.maxEdges, `${file}: ${edges} edges`);
        }
    });

    it("redraws one progress line on a terminal, and writes throttled whole lines elsewhere", () => {
        let now = 0;
        const tty = recorder(true);
        const p = progressOn(tty.stream, () => now);
        p.phase("evaluate prod");
        now = 500;
        p.count(10, "resources registered");
        now = 1500;
        p.done("12 resources");
        assert.deepStrictEqual(tty.writes, [
            "\r\x1b[2Kevaluate prod …",
            "\r\x1b[2Kevaluate prod: 10 resources registered (0.5 s)",
            "\r\x1b[2Kevaluate prod: 12 resources (1.5 s)\n",
        ]);
        now = 0;
        const pipe = recorder(false);
        const q = progressOn(pipe.stream, () => now);
        q.phase("evaluate prod");
        now = 500;
        q.count(10, "resources registered");
        now = 2500;
        q.count(20, "resources registered");
        q.note("analyze dev: 3 resources, 0 findings (0.1 s)");
        assert.deepStrictEqual(pipe.writes, [
            "evaluate prod …\n",
            "evaluate prod: 20 resources registered (2.5 s)\n",
            "analyze dev: 3 resources, 0 findings (0.1 s)\n",
        ]);
    });

    it("colours tables only when stdout is a terminal", () => {
        const finding: Finding = {
            policyName: "kms-key-rotation",
            policyPackName: "p",
            policyPackVersion: "1",
            message: "rotate",
            description: "d",
            enforcementLevel: "mandatory",
            severity: "",
            urn: "urn:pulumi:s::p::aws:kms/key:Key::k",
            phase: "analyze",
        };
        const wasTTY = process.stdout.isTTY;
        try {
            process.stdout.isTTY = false;
            assert.ok(!renderFindings([finding]).includes("\u001b["));
            process.stdout.isTTY = true;
            assert.ok(renderFindings([finding]).includes("\u001b["));
            process.env.NO_COLOR = "1";
            assert.ok(!renderFindings([finding]).includes("\u001b["), "NO_COLOR turns colours off on a terminal too");
        } finally {
            process.stdout.isTTY = wasTTY;
            delete process.env.NO_COLOR;
        }
    });
});
