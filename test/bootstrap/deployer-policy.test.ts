import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as path from "path";
import {
    MANAGED_POLICY_MAX_CHARS,
    parseDeployerPolicy,
    policySize,
    splitDeployerPolicy,
    type PolicyDocument,
    type Statement,
} from "../../bootstrap/documents";
import { ACCOUNT, identityDecision } from "./sim";

const FIXTURE = fs.readFileSync(path.join(__dirname, "fixtures", "deployer-policy.json"), "utf8");
const ROLE = `arn:aws:iam::${ACCOUNT}:role/cicd/github/cicd-github-deploy-prod`;

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Sid: string, Action: string[], Resource: string[]): Statement => ({
    Sid,
    Effect: "Allow",
    Action,
    Resource,
});

/** `n` statements of about `size` characters each, on distinct pipelines. */
const bulky = (n: number, size = 900): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: Array.from({ length: n }, (_, i) =>
        allow(
            `S${i}`,
            ["codepipeline:UpdatePipeline"],
            Array.from(
                { length: Math.ceil(size / 70) },
                (_, j) => `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:svc-${i}-${j}-prod`,
            ),
        ),
    ),
});

describe("bootstrap: the deployer policy a deploy role holds", () => {
    it("accepts what `npm run deployer-policy` prints (an identity policy naming its actions)", () => {
        const parsed = parseDeployerPolicy(FIXTURE);
        assert.deepEqual(parsed, JSON.parse(FIXTURE));
    });

    describe("rejects, saying why", () => {
        const cases: [string, string, string][] = [
            [
                "not a policy document",
                JSON.stringify({ Statement: [] }),
                'is not an IAM policy document: expected { "Version": "2012-10-17", "Statement": [ ... ] }.',
            ],
            [
                "a wildcard action",
                doc({ Sid: "Admin", Effect: "Allow", Action: ["iam:*"], Resource: ["*"] }),
                "Statement[0] (Admin) allows iam:*: name each action instead of a wildcard.",
            ],
            [
                "NotAction",
                doc({ Effect: "Allow", NotAction: ["iam:CreateUser"], Resource: ["*"] }),
                "Statement[0] uses NotAction/NotResource, which grant by exclusion.",
            ],
            [
                "a Principal",
                doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: ["s3:GetObject"], Resource: ["*"] }),
                "Statement[0] has a Principal: a deployer policy is an identity policy.",
            ],
            [
                "a statement too large for any managed policy",
                JSON.stringify(bulky(1, 9000)),
                "statement S0 alone exceeds 6144 characters.",
            ],
            [
                "more parts than a role takes",
                JSON.stringify(bulky(12, 3500)),
                "needs 12 managed policies of 6144 characters; a role takes 10 by default.",
            ],
        ];
        it("not JSON (with the parser's reason)", () =>
            assert.throws(
                () => parseDeployerPolicy("{"),
                (e: Error) => /^is not JSON \(.+\)\.$/.test(e.message),
            ));
        for (const [what, text, message] of cases)
            it(what, () => assert.throws(() => parseDeployerPolicy(text), { message }));
    });

    it("splits a large policy into managed policies under the size quota, statements whole and in order", () => {
        const big = bulky(20);
        const parts = splitDeployerPolicy(big);
        assert.ok(parts.length > 1 && parts.length <= 10, `${parts.length} parts`);
        for (const p of parts) assert.ok(policySize(p) <= MANAGED_POLICY_MAX_CHARS, `${policySize(p)} characters`);
        assert.deepEqual(
            parts.flatMap((p) => p.Statement),
            big.Statement,
        );
    });

    it("copies Deny statements into every part, so no part grants what the policy denies", () => {
        const denied: Statement = {
            Sid: "KeepKeys",
            Effect: "Deny",
            Action: ["kms:ScheduleKeyDeletion"],
            Resource: ["*"],
        };
        const parts = splitDeployerPolicy({ ...bulky(20), Statement: [...bulky(20).Statement, denied] });
        for (const p of parts) assert.deepEqual(p.Statement[p.Statement.length - 1], denied);
    });

    it("the parts, attached together, decide every request as the whole policy does (IAM simulator)", async () => {
        const whole: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [...bulky(14).Statement, ...JSON.parse(FIXTURE).Statement],
        };
        const parts = splitDeployerPolicy(whole);
        assert.ok(parts.length > 1);
        const requests: [string, string][] = [
            ["codepipeline:UpdatePipeline", `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:svc-13-2-prod`],
            ["codepipeline:UpdatePipeline", `arn:aws:codepipeline:eu-west-1:${ACCOUNT}:svc-99-0-prod`],
            ["codebuild:UpdateProject", `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/web-prod-build`],
            ["kms:ScheduleKeyDeletion", `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
            ["iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/x`],
        ];
        for (const [action, resource] of requests)
            assert.equal(
                await identityDecision(ROLE, parts, action, resource),
                await identityDecision(ROLE, [whole], action, resource),
                `${action} ${resource}`,
            );
    });
});
