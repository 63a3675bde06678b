/**
 * The harness fails closed: a pack that cannot start is an error naming what is missing and the fix,
 * and a config that names no policy or breaks a schema is refused before it reaches the pack.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AnalyzerInfo,
    expandAll,
    policyPackConfigProblems,
    startPolicyPack,
    validatePolicyPackConfig,
} from "../../harness";

function tempPack(dependencies: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-start-"));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "p", version: "1.0.0", dependencies }));
    fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
    return dir;
}

describe("startPolicyPack fails closed", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("names uninstalled dependencies and the install command", async () => {
        const dir = tempPack({ "@pulumi/policy": "^1.21.0", "no-such-package-xyz": "1.0.0" });
        dirs.push(dir);
        await assert.rejects(startPolicyPack(dir), {
            message:
                `Policy pack ${dir} cannot start: its dependencies \`@pulumi/policy\`, \`no-such-package-xyz\` are not ` +
                `installed. Run \`npm ci --prefix ${dir}\` (the repository's \`npm ci\` does it unless run with --ignore-scripts).`,
        });
    });

    it("names a missing compiled pack and the build command", async () => {
        const dir = tempPack({});
        dirs.push(dir);
        await assert.rejects(startPolicyPack(dir), {
            message:
                `Policy pack ${dir} cannot start: the compiled pack dist/start.js is missing. ` +
                `Run \`npm run build --prefix ${dir}\` (the pack's \`npm ci\` runs it as its postinstall script).`,
        });
    });

    it("refuses a compiled pack older than its sources", async () => {
        const dir = tempPack({});
        dirs.push(dir);
        fs.mkdirSync(path.join(dir, "dist"));
        fs.writeFileSync(path.join(dir, "dist", "start.js"), "");
        const past = new Date(Date.now() - 60_000);
        fs.utimesSync(path.join(dir, "dist", "start.js"), past, past);
        await assert.rejects(startPolicyPack(dir), {
            message:
                `Policy pack ${dir} cannot start: dist/start.js is older than its TypeScript sources. ` +
                `Run \`npm run build --prefix ${dir}\` (the pack's \`npm ci\` runs it as its postinstall script).`,
        });
    });
});

const INFO: AnalyzerInfo = {
    name: "cicd-guardrails",
    displayName: "",
    version: "0.1.0",
    supportsConfig: true,
    initialConfig: {},
    policies: [
        {
            name: "codepipeline-production-approval",
            displayName: "",
            description: "",
            enforcementLevel: "mandatory",
            configSchema: {
                properties: { productionTagValues: { type: "array", items: { type: "string" } } },
                required: [],
            },
        },
        { name: "kms-key-rotation", displayName: "", description: "", enforcementLevel: "mandatory" },
    ],
};

describe("validatePolicyPackConfig", () => {
    it("accepts levels, `all`, and values that fit the schemas", () => {
        const config = {
            all: "advisory",
            "kms-key-rotation": "remediate",
            "codepipeline-production-approval": { enforcementLevel: "mandatory", productionTagValues: ["live"] },
        };
        assert.deepStrictEqual(validatePolicyPackConfig(config, INFO), config);
    });

    it("names the unknown policy, the unknown key, the bad value and the bad level", () => {
        const problems = policyPackConfigProblems(
            {
                "kms-rotation": "mandatory",
                "kms-key-rotation": "strict",
                "codepipeline-production-approval": { productionTagValues: "prod", productionTag: "env" },
            },
            INFO,
        );
        assert.deepStrictEqual(problems, [
            "`kms-rotation` is not a policy of cicd-guardrails: use one of codepipeline-production-approval, kms-key-rotation.",
            '`kms-key-rotation` has enforcement level "strict": use one of advisory, mandatory, remediate, disabled.',
            "`codepipeline-production-approval` has no config key `productionTag`: check the pack's README for its keys.",
            "`codepipeline-production-approval.productionTagValues` must be array: fix the value in the policy pack config.",
        ]);
        assert.throws(() => validatePolicyPackConfig([], INFO), {
            message:
                "Invalid policy pack config:\n- the config must be a JSON object mapping policy names to a level or an object.",
        });
    });

    it("names a bad level under `all` and in a policy's object, a key of a policy without settings, a bad item", () => {
        assert.deepStrictEqual(
            policyPackConfigProblems(
                {
                    all: "off",
                    "codepipeline-production-approval": { enforcementLevel: "loud", productionTagValues: [1] },
                    "kms-key-rotation": { days: 3 },
                },
                INFO,
            ),
            [
                '`all` has enforcement level "off": use one of advisory, mandatory, remediate, disabled.',
                '`codepipeline-production-approval` has enforcement level "loud": use one of advisory, mandatory, remediate, disabled.',
                "`codepipeline-production-approval.productionTagValues.0` must be string: fix the value in the policy pack config.",
                "`kms-key-rotation` has no config key `days`: check the pack's README for its keys.",
            ],
        );
        assert.deepStrictEqual(policyPackConfigProblems({ "kms-key-rotation": 3 }, INFO), [
            "`kms-key-rotation` must be an enforcement level or an object, got 3.",
        ]);
    });
});

describe("expandAll", () => {
    it("gives every policy the `all` level, including one given only settings; a policy's own level wins", () => {
        assert.deepStrictEqual(
            expandAll({ all: "advisory", "codepipeline-production-approval": { productionTagValues: ["live"] } }, INFO),
            {
                "codepipeline-production-approval": { enforcementLevel: "advisory", productionTagValues: ["live"] },
                "kms-key-rotation": "advisory",
            },
        );
        assert.deepStrictEqual(
            expandAll(
                {
                    all: "disabled",
                    "kms-key-rotation": "mandatory",
                    "codepipeline-production-approval": { enforcementLevel: "remediate", productionTagValues: [] },
                },
                INFO,
            ),
            {
                "codepipeline-production-approval": { enforcementLevel: "remediate", productionTagValues: [] },
                "kms-key-rotation": "mandatory",
            },
        );
    });

    it("without `all`, keeps each level as given and gives a policy given only settings its default level", () => {
        assert.deepStrictEqual(
            expandAll(
                {
                    "kms-key-rotation": { enforcementLevel: "advisory" },
                    "codepipeline-production-approval": { productionTagValues: ["live"] },
                },
                INFO,
            ),
            {
                "kms-key-rotation": { enforcementLevel: "advisory" },
                "codepipeline-production-approval": { enforcementLevel: "mandatory", productionTagValues: ["live"] },
            },
        );
        assert.deepStrictEqual(expandAll({ "kms-key-rotation": "disabled" }, INFO), { "kms-key-rotation": "disabled" });
    });
});
