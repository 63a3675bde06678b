import { strict as assert } from "assert";
import { readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

/** Every .ts file under a top-level folder. */
function files(folder: string): string[] {
    const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((entry) => {
            const full = path.join(dir, entry);
            return statSync(full).isDirectory() ? walk(full) : full.endsWith(".ts") ? [full] : [];
        });
    return walk(path.join(ROOT, folder));
}

/** The top-level folders a file imports from (relative imports only; packages are not layers). */
function importedLayers(file: string): { layer: string; spec: string }[] {
    const source = readFileSync(file, "utf8");
    const specs = [...source.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"/g)].map((m) => m[1]);
    return specs
        .filter((spec) => spec.startsWith("."))
        .map((spec) => ({
            spec,
            layer: path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep)[0],
        }));
}

const offending = (folder: string, forbidden: readonly string[]) =>
    files(folder).flatMap((file) =>
        importedLayers(file)
            .filter(({ layer }) => forbidden.includes(layer))
            .map(({ spec }) => `${path.relative(ROOT, file)} imports ${spec}`),
    );

/** Data flows one way: stacks/ (config) → model/ (plan) → components/ (resources) → index.ts. */
describe("import directions", () => {
    it("stacks/ imports nothing from model/ or components/", () => {
        assert.deepEqual(offending("stacks", ["model", "components", "tools", "policy-pack"]), []);
    });

    it("model/ imports nothing from components/, nor Pulumi: the plan is plain data", () => {
        assert.deepEqual(offending("model", ["components", "tools", "policy-pack"]), []);
        const pulumi = files("model").filter((f) => /from\s+"@pulumi\//.test(readFileSync(f, "utf8")));
        assert.deepEqual(pulumi, []);
    });

    it("components/ import nothing from stacks/, and never read the stack name", () => {
        assert.deepEqual(offending("components", ["stacks", "tools", "policy-pack"]), []);
        const getStack = files("components").filter((f) => /\bgetStack\s*\(/.test(readFileSync(f, "utf8")));
        assert.deepEqual(getStack, []);
    });

    it("bootstrap/ reads the deployer-policy table, which never reads bootstrap/", () => {
        assert.deepEqual(offending("tools", ["bootstrap"]), []);
        const fromTools = files("bootstrap").flatMap((file) =>
            importedLayers(file)
                .filter(({ layer }) => layer === "tools")
                .map(({ spec }) => path.relative(ROOT, path.resolve(path.dirname(file), spec))),
        );
        assert.deepEqual([...new Set(fromTools)], [path.join("tools", "deployer-policy", "resource-types")]);
    });

    it("finds the imports it checks (a broken scan would pass everything)", () => {
        const found = importedLayers(path.join(ROOT, "index.ts")).map(({ layer }) => layer);
        assert.deepEqual([...new Set(found)].sort(), ["components", "model", "stacks"]);
    });
});
