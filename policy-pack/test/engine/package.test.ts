/**
 * What the pack publishes and what it declares: `pulumi policy publish` uploads the npm package
 * (`files` whitelist), and the harness must not lean on packages the root happens to install.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const PACK_DIR = path.join(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));

/** Package names (`@scope/name` or `name`) imported by the TypeScript files of a folder. */
function importedPackages(folder: string): Set<string> {
    const found = new Set<string>();
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith(".ts"))) {
        const source = fs.readFileSync(path.join(folder, file), "utf8");
        for (const match of source.matchAll(/(?:from |require\(|resolve\()"([^".][^"]*)"/g)) {
            const parts = match[1].split("/");
            found.add(match[1].startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]);
        }
    }
    return found;
}

const BUILTINS = new Set(["assert", "child_process", "fs", "module", "os", "path"]);

describe("the pack's npm package", () => {
    it("publishes only the pack: policies, lib, entries, configs and README", () => {
        const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
            cwd: PACK_DIR,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        });
        const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
        const outside = files.filter(
            (f) => !/^(policies|lib)\/[a-z0-9-]+\.ts$/.test(f) && !/^[A-Za-z.-]+\.(ts|json|yaml|md)$/.test(f),
        );
        assert.deepStrictEqual(outside, []);
        assert.ok(files.includes("index.ts") && files.includes("PulumiPolicy.yaml") && files.includes("start.ts"));
        assert.deepStrictEqual(
            files.filter((f) => /^(harness|test|bench|dist)\//.test(f)),
            [],
        );
    });

    it("declares every package the pack and its harness import", () => {
        const declared = new Set(Object.keys(manifest.dependencies));
        for (const folder of ["harness", "lib", "policies", "."]) {
            const missing = [...importedPackages(path.join(PACK_DIR, folder))].filter(
                (name) => !BUILTINS.has(name) && !declared.has(name),
            );
            assert.deepStrictEqual(missing, [], `undeclared imports in ${folder}/`);
        }
    });
});
