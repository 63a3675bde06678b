/**
 * The README's policy table as rows of cells (the lines of the "## Policies" section that start with a policy
 * name in backticks), shared by the tests that check it.
 */
import * as fs from "fs";
import * as path from "path";

export const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

export function policyRows(readme: string = README): string[][] {
    const section = readme.slice(readme.indexOf("## Policies"));
    return section
        .split("\n")
        .filter((line) => line.startsWith("| `"))
        .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| ?|\s*\|$/g, "").trim()));
}
