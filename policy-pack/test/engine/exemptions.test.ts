import * as assert from "assert";
import { exemptionProblem, ExemptionRules, parseExemptionTag, scanExemptions } from "../../lib/exemptions";

const NOW = new Date("2026-06-15T23:30:00Z");
const rules: ExemptionRules = {
    exemptable: new Set(["s3-bucket-encryption", "kms-key-rotation"]),
    unexemptable: new Set(["exemption-valid"]),
    now: NOW,
};
const KEY = "policy-exemption:s3-bucket-encryption";

function problemOf(key: string, value: unknown, r: ExemptionRules = rules): string | undefined {
    return scanExemptions([[key, value]], r).problems.map((p) => p.message)[0];
}

describe("exemption tags (pure)", () => {
    it("ignores tags that are not exemption tags", () => {
        assert.strictEqual(parseExemptionTag("Name", "until=2026-01-01"), undefined);
        assert.deepStrictEqual(scanExemptions([["team", "x"]], rules), { active: new Map(), problems: [] });
    });

    it("parses a well-formed exemption, keeping the reason's spaces and AWS-allowed punctuation", () => {
        assert.deepStrictEqual(
            parseExemptionTag(KEY, "until=2026-12-31 reason=SEC-123 legacy bucket: see wiki/x @ops"),
            {
                exemption: {
                    policy: "s3-bucket-encryption",
                    until: "2026-12-31",
                    reason: "SEC-123 legacy bucket: see wiki/x @ops",
                    tagKey: KEY,
                },
            },
        );
    });

    it("honours an exemption through the end of its until day (UTC)", () => {
        const scan = scanExemptions([[KEY, "until=2026-06-15 reason=SEC-1 last day"]], rules);
        assert.deepStrictEqual([...scan.active.keys()], ["s3-bucket-encryption"]);
        assert.deepStrictEqual(scan.problems, []);
    });

    it("reports an expired exemption, from the day after its date", () => {
        assert.strictEqual(
            problemOf(KEY, "until=2026-06-14 reason=SEC-1"),
            `Tag "${KEY}" expired on 2026-06-14: fix the finding, or renew the exemption with a new date and reason.`,
        );
    });

    it("uses the injected clock, not the machine's", () => {
        const later = { ...rules, now: new Date("2026-06-16T00:00:00Z") };
        assert.match(problemOf(KEY, "until=2026-06-15 reason=SEC-1", later) ?? "", /expired on 2026-06-15/);
    });

    it("reports an exemption without a reason", () => {
        const expected = `Tag "${KEY}" gives no reason: add "reason=<ticket and why>" after the date.`;
        assert.strictEqual(problemOf(KEY, "until=2026-12-31"), expected);
        assert.strictEqual(problemOf(KEY, "until=2026-12-31 reason=   "), expected);
    });

    it("reports a malformed value, showing the expected format", () => {
        for (const value of ["2026-12-31 SEC-1", "reason=x until=2026-12-31", "", 42]) {
            assert.strictEqual(
                problemOf(KEY, value),
                `Tag "${KEY}" must have the value "until=YYYY-MM-DD reason=<why>", got ${JSON.stringify(value)}.`,
            );
        }
    });

    it("reports a date that is not on the calendar", () => {
        for (const until of ["2027-02-30", "2026-13-01", "31-12-2026", ""]) {
            assert.strictEqual(
                problemOf(KEY, `until=${until} reason=SEC-1`),
                `Tag "${KEY}" has until=${until}, which is not a calendar date (YYYY-MM-DD).`,
            );
        }
    });

    it("reports a tag key that names no policy, or an unknown one", () => {
        assert.strictEqual(
            problemOf("policy-exemption:", "until=2026-12-31 reason=x"),
            'Tag "policy-exemption:" names no policy: use "policy-exemption:<policy-name>".',
        );
        assert.strictEqual(
            problemOf("policy-exemption:s3-bucket-encryptoin", "until=2026-12-31 reason=x"),
            'Tag "policy-exemption:s3-bucket-encryptoin" names no policy of this pack: check the policy name in the pack\'s README.',
        );
    });

    it("refuses exemptions from the exemption check itself", () => {
        assert.strictEqual(
            problemOf("policy-exemption:exemption-valid", "until=2026-12-31 reason=x"),
            'Tag "policy-exemption:exemption-valid": policy "exemption-valid" cannot be exempted from.',
        );
    });

    it("caps how far ahead an exemption may run (365 days by default, configurable)", () => {
        const value = "until=2027-06-16 reason=SEC-1";
        assert.strictEqual(
            problemOf(KEY, value),
            `Tag "${KEY}" runs until 2027-06-16, more than 365 days away: choose an earlier date.`,
        );
        assert.strictEqual(problemOf(KEY, "until=2027-06-15 reason=SEC-1"), undefined);
        assert.strictEqual(problemOf(KEY, value, { ...rules, maxDays: 400 }), undefined);
    });

    it("keeps good exemptions active beside broken ones on the same resource", () => {
        const scan = scanExemptions(
            [
                [KEY, "until=2026-07-01 reason=SEC-1"],
                ["policy-exemption:kms-key-rotation", "until=2020-01-01 reason=old"],
            ],
            rules,
        );
        assert.deepStrictEqual([...scan.active.keys()], ["s3-bucket-encryption"]);
        assert.deepStrictEqual(
            scan.problems.map((p) => p.policy),
            ["kms-key-rotation"],
        );
    });

    it("checks a single exemption against the rules", () => {
        const exemption = { policy: "kms-key-rotation", until: "2026-07-01", reason: "r", tagKey: "k" };
        assert.strictEqual(exemptionProblem(exemption, rules), undefined);
    });
});
