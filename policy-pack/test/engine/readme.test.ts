/**
 * The README's rule table is the pack's user documentation: it must list exactly the pack's
 * policies, in the pack's order, with their levels, a scope, the three IaC-scanner counterparts and the two AWS
 * counterparts (Security Hub control, AWS Config managed rule).
 */
import * as assert from "assert";
import { packPolicies } from "../../pack-policies";
import { policyRows } from "./readme-table";

describe("README rule table", () => {
    it("lists every policy of the pack, in order, with its level", () => {
        const rows = policyRows();
        assert.deepStrictEqual(
            rows.map(([name, level]) => `${name.replace(/`/g, "")}:${level.replace(" (remediable)", "")}`),
            packPolicies.map((p) => `${p.name}:${p.enforcementLevel ?? "advisory"}`),
        );
    });

    it("gives each policy a scope, its checks, Checkov / cdk-nag / trivy and Security Hub / AWS Config counterparts and a fix", () => {
        for (const row of policyRows()) {
            const [name, , scope, checks, anchors, awsAnchors, fix] = row;
            assert.strictEqual(row.length, 7, `${name}: a row has 7 cells`);
            assert.ok(scope && checks && fix, `${name}: empty scope, checks or fix`);
            assert.strictEqual(
                anchors.split(" / ").length,
                3,
                `${name}: counterparts must read "Checkov / cdk-nag / trivy"`,
            );
            assert.strictEqual(
                awsAnchors.split(" / ").length,
                2,
                `${name}: AWS counterparts must read "Security Hub / AWS Config"`,
            );
        }
    });

    it("marks as remediable exactly the policies that remediate", () => {
        const remediable = policyRows()
            .filter(([, level]) => level.includes("(remediable)"))
            .map(([name]) => name.replace(/`/g, ""));
        const expected = packPolicies.filter((p) => "remediateResource" in p && p.remediateResource).map((p) => p.name);
        assert.deepStrictEqual(remediable, expected);
    });
});
