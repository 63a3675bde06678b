/**
 * The README's counterpart columns stay true: every rule id they cite is listed in data/equivalent-rules.json and
 * active there, and the data file lists no active id the table does not cite.
 */
import * as assert from "assert";
import { Citation, citationProblem, citedIds, FRAMEWORKS, RULE_DATA, RuleData, rowCitations } from "./equivalent-rules";
import { policyRows } from "./readme-table";

function tableCitations(rows: string[][] = policyRows()): { citations: Citation[]; problems: string[] } {
    const all = rows.map(rowCitations);
    return { citations: all.flatMap((r) => r.citations), problems: all.flatMap((r) => r.problems) };
}

describe("README counterpart rule ids against data/equivalent-rules.json", () => {
    it("reads ids, lists, shared prefixes and 'theme' marks from a cell", () => {
        assert.deepStrictEqual(citedIds("—"), []);
        assert.deepStrictEqual(citedIds("CKV_AWS_62, 63"), ["CKV_AWS_62", "CKV_AWS_63"]);
        assert.deepStrictEqual(citedIds("S2, S10 theme"), ["S2", "S10"]);
        assert.deepStrictEqual(citedIds("CKV_AWS_379 theme"), ["CKV_AWS_379"]);
        const row = [
            "`p`",
            "mandatory",
            "s",
            "c",
            "CKV2_AWS_6 / IAM5 theme / AWS-0094",
            "ECR.1 / s3-bucket-ssl-requests-only",
            "f",
        ];
        assert.deepStrictEqual(
            rowCitations(row).citations.map((c) => `${c.framework}:${c.id}`),
            [
                "checkov:CKV2_AWS_6",
                "cdk-nag:IAM5",
                "trivy:AWS-0094",
                "security-hub:ECR.1",
                "aws-config:s3-bucket-ssl-requests-only",
            ],
        );
    });

    it("finds every cell well-formed and every cited id listed and active", () => {
        const { citations, problems } = tableCitations();
        assert.deepStrictEqual(problems, []);
        assert.ok(citations.length > 0);
        assert.deepStrictEqual(
            citations.map((c) => citationProblem(c)).filter((p) => p !== undefined),
            [],
        );
    });

    it("fails on a retired id, naming the policy, the id, when and why it was retired", () => {
        const row = [
            "`codebuild-privileged-mode`",
            "advisory",
            "s",
            "c",
            "CKV_AWS_316 / CB3 / —",
            "CodeBuild.5 / —",
            "f",
        ];
        const problems = rowCitations(row)
            .citations.map((c) => citationProblem(c))
            .filter(Boolean);
        assert.deepStrictEqual(problems, [
            'codebuild-privileged-mode cites cdk-nag CB3, retired 2024 (AwsSolutions-CB3 (CodeBuildProjectPrivilegedModeDisabled) was removed after Security Hub retired CodeBuild.5; https://github.com/cdklabs/cdk-nag/issues/1803): cite an active rule or "—"',
            'codebuild-privileged-mode cites security-hub CodeBuild.5, retired 2024-03 ([CodeBuild.5] CodeBuild project environments should not have privileged mode enabled: retired, AWS judging that privileged mode adds no risk to the customer environment; https://docs.aws.amazon.com/securityhub/latest/userguide/controls-change-log.html): cite an active rule or "—"',
        ]);
        const sns = ["`sns-topic-encryption`", "mandatory", "s", "c", "— / SNS2 / —", "SNS.1 / —", "f"];
        assert.strictEqual(
            rowCitations(sns)
                .citations.map((c) => citationProblem(c))
                .filter(Boolean).length,
            2,
        );
    });

    it("fails on an id the data file does not list, and on a token that is no rule id", () => {
        const row = ["`p`", "mandatory", "s", "c", "CKV_AWS_999999 / — / —", "— / see the docs", "f"];
        const { citations, problems } = rowCitations(row);
        assert.deepStrictEqual(problems, ["p: 'see the docs' is not a aws-config rule id"]);
        assert.deepStrictEqual(
            citations.map((c) => citationProblem(c)),
            [
                "p cites checkov CKV_AWS_999999, which data/equivalent-rules.json does not list: add it with its status, or fix the id",
            ],
        );
        assert.deepStrictEqual(rowCitations(["`q`", "advisory", "s", "c", "— / —", "— / —", "f"]).problems, [
            "q: expected 5 counterpart parts, got 4",
        ]);
    });

    it("lists every active id the table cites and no other, each retired one with when, why and a source", () => {
        const cited = new Set(tableCitations().citations.map((c) => `${c.framework}:${c.id}`));
        const data: RuleData = RULE_DATA;
        assert.deepStrictEqual(
            Object.keys(data)
                .filter((k) => k !== "$comment")
                .sort(),
            [...FRAMEWORKS].sort(),
        );
        for (const framework of FRAMEWORKS) {
            for (const [id, entry] of Object.entries(data[framework])) {
                assert.ok(["active", "retired"].includes(entry.status), `${framework} ${id}: status`);
                if (entry.status === "active") {
                    assert.ok(
                        cited.has(`${framework}:${id}`),
                        `${framework} ${id} is active but the README cites it nowhere`,
                    );
                } else {
                    assert.ok(
                        entry.retired && entry.reason && entry.source,
                        `${framework} ${id}: retired, reason, source`,
                    );
                }
            }
        }
        for (const retired of ["cdk-nag:CB3", "cdk-nag:SNS2", "security-hub:CodeBuild.5"]) {
            const [framework, id] = retired.split(":") as [(typeof FRAMEWORKS)[number], string];
            assert.strictEqual(data[framework][id]?.status, "retired", retired);
        }
    });
});
