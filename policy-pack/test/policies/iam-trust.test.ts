import { strict as assert } from "assert";
import { iamGithubOidcPinnedSubject, iamTrustNoWildcardPrincipal } from "../../policies/iam-trust";
import { UNKNOWN, validate } from "./helpers";

const ROLE = "aws:iam/role:Role";
const GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

function trust(statement: object): { assumeRolePolicy: string } {
    return { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) };
}

describe("iam-trust-no-wildcard-principal", () => {
    const fix =
        "Name the trusted principals (e.g. Principal.Service 'codebuild.amazonaws.com' or the third party's account ARN, " +
        "with sts:ExternalId as an extra condition), or add a StringEquals condition on aws:PrincipalAccount or " +
        "aws:PrincipalOrgID, or an aws:PrincipalArn whose account is named.";
    const wildcardMessage = `IAM role 'shared' trust policy statement 1 lets any principal ('*') assume the role, in any AWS account, with no condition. ${fix}`;
    const unpinned = (conditions: string): string =>
        `IAM role 'shared' trust policy statement 1 lets any principal ('*') assume the role, in any AWS account, with only conditions that do not pin an account (${conditions}). ${fix}`;

    it("reports Principal '*' and Principal { AWS: '*' } without a condition", async () => {
        for (const principal of ["*", { AWS: "*" }, { AWS: ["arn:aws:iam::123456789012:root", "*"] }]) {
            const messages = await validate(
                iamTrustNoWildcardPrincipal,
                ROLE,
                trust({ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }),
                { name: "shared" },
            );
            assert.deepEqual(messages, [wildcardMessage]);
        }
    });

    it("reports a '*' principal whose condition does not restrict the caller", async () => {
        const conditions: [object, string][] = [
            [{ StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } }, "StringEqualsIfExists aws:PrincipalOrgID"],
            [{ StringLike: { "aws:PrincipalAccount": "*" } }, "StringLike aws:PrincipalAccount"],
            [{ Bool: { "aws:SecureTransport": "true" } }, "Bool aws:SecureTransport"],
            [{ StringNotEquals: { "aws:PrincipalAccount": "123456789012" } }, "StringNotEquals aws:PrincipalAccount"],
            // The external ID alone: every account that learns it (it is not a secret) can assume the role.
            [{ StringEquals: { "sts:ExternalId": "vendor-7f3a" } }, "StringEquals sts:ExternalId"],
            // A principal ARN pattern whose account is a wildcard matches that role name in every account.
            [{ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/deployer" } }, "ArnLike aws:PrincipalArn"],
            [
                { StringLike: { "aws:PrincipalArn": ["arn:aws:iam::1234567890?2:role/x"] } },
                "StringLike aws:PrincipalArn",
            ],
        ];
        for (const [Condition, shown] of conditions) {
            const messages = await validate(
                iamTrustNoWildcardPrincipal,
                ROLE,
                trust({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition }),
                { name: "shared" },
            );
            assert.deepEqual(messages, [unpinned(shown)], JSON.stringify(Condition));
        }
    });

    it("accepts a '*' principal restricted by organisation, account or a named-account ARN (unknown values too)", async () => {
        const conditions = [
            { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
            { StringEquals: { "aws:principalaccount": ["123456789012"] } },
            { StringEquals: { "aws:PrincipalAccount": UNKNOWN, "sts:ExternalId": "vendor-7f3a" } },
            { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/deploy-*" } },
        ];
        for (const Condition of conditions) {
            assert.deepEqual(
                await validate(
                    iamTrustNoWildcardPrincipal,
                    ROLE,
                    trust({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition }),
                ),
                [],
            );
        }
    });

    it("accepts named service principals, Deny statements and unknown trust policies", async () => {
        assert.deepEqual(
            await validate(
                iamTrustNoWildcardPrincipal,
                ROLE,
                trust({ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" }),
            ),
            [],
        );
        assert.deepEqual(
            await validate(
                iamTrustNoWildcardPrincipal,
                ROLE,
                trust({ Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" }),
            ),
            [],
        );
        assert.deepEqual(await validate(iamTrustNoWildcardPrincipal, ROLE, { assumeRolePolicy: UNKNOWN }), []);
        assert.deepEqual(await validate(iamTrustNoWildcardPrincipal, ROLE, {}), []);
    });

    it("reports NotPrincipal in an Allow statement", async () => {
        const messages = await validate(
            iamTrustNoWildcardPrincipal,
            ROLE,
            trust({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "sts:AssumeRole" }),
            { name: "r" },
        );
        assert.deepEqual(messages, [
            "IAM role 'r' trust policy statement 1 uses NotPrincipal in an Allow statement, which trusts every other principal. Use Principal with the trusted principals instead.",
        ]);
    });
});

describe("iam-github-oidc-pinned-subject", () => {
    const fix =
        "Add a StringEquals or StringLike condition on token.actions.githubusercontent.com:sub naming the repository, " +
        "e.g. 'repo:my-org/my-repo:ref:refs/heads/main'.";

    it("reports GitHub OIDC trust pinned only by audience", async () => {
        const messages = await validate(
            iamGithubOidcPinnedSubject,
            ROLE,
            trust({
                Effect: "Allow",
                Principal: { Federated: GITHUB },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
            }),
            { name: "gha" },
        );
        assert.deepEqual(messages, [
            "IAM role 'gha' trust policy statement 1 trusts GitHub Actions OIDC (token.actions.githubusercontent.com) but there is no condition on token.actions.githubusercontent.com:sub. " +
                fix,
        ]);
    });

    it("reports a sub condition that allows any repository ('*' or 'repo:*')", async () => {
        for (const sub of ["*", "repo:*", ["repo:my-org/app:*", "repo:*/*:ref:refs/heads/main"]]) {
            const messages = await validate(
                iamGithubOidcPinnedSubject,
                ROLE,
                trust({
                    Effect: "Allow",
                    Principal: { Federated: GITHUB },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringLike: { "token.actions.githubusercontent.com:sub": sub } },
                }),
                { name: "gha" },
            );
            const shown = Array.isArray(sub) ? sub.join("', '") : sub;
            assert.deepEqual(messages, [
                `IAM role 'gha' trust policy statement 1 trusts GitHub Actions OIDC (token.actions.githubusercontent.com) but its StringLike condition on token.actions.githubusercontent.com:sub allows '${shown}'. ` +
                    fix,
            ]);
        }
    });

    it("recognises GitHub trust by its condition keys when the provider ARN is unknown in preview", async () => {
        const messages = await validate(
            iamGithubOidcPinnedSubject,
            ROLE,
            trust({
                Effect: "Allow",
                Principal: { Federated: UNKNOWN },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEqualsIfExists: {
                        "token.actions.githubusercontent.com:sub": "repo:my-org/app:ref:refs/heads/main",
                    },
                },
            }),
            { name: "gha" },
        );
        assert.deepEqual(messages, [
            "IAM role 'gha' trust policy statement 1 trusts GitHub Actions OIDC (token.actions.githubusercontent.com) but its only " +
                "condition on token.actions.githubusercontent.com:sub is StringEqualsIfExists, which does not require the subject " +
                "to match. Add a StringEquals or StringLike condition on token.actions.githubusercontent.com:sub naming the " +
                "repository, e.g. 'repo:my-org/my-repo:ref:refs/heads/main'.",
        ]);
    });

    const ENTERPRISE = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com/octo-corp";
    const ghe = (operator: string, sub: unknown) =>
        trust({
            Effect: "Allow",
            Principal: { Federated: ENTERPRISE },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: { "token.actions.githubusercontent.com/octo-corp:aud": "sts.amazonaws.com" },
                [operator]: { "token.actions.githubusercontent.com/octo-corp:sub": sub },
            },
        });

    it("reads GitHub Enterprise Cloud's issuer keys (token.actions.githubusercontent.com/<enterprise>:sub)", async () => {
        const open = await validate(iamGithubOidcPinnedSubject, ROLE, ghe("StringLike", "repo:*"), { name: "gha" });
        assert.deepEqual(open, [
            "IAM role 'gha' trust policy statement 1 trusts GitHub Actions OIDC (token.actions.githubusercontent.com) but its " +
                "StringLike condition on token.actions.githubusercontent.com/octo-corp:sub allows 'repo:*'. Add a StringEquals or " +
                "StringLike condition on token.actions.githubusercontent.com/octo-corp:sub naming the repository, e.g. " +
                "'repo:my-org/my-repo:ref:refs/heads/main'.",
        ]);
        const ifExists = await validate(iamGithubOidcPinnedSubject, ROLE, ghe("StringLikeIfExists", "repo:octo/app:*"));
        assert.match(
            ifExists[0],
            /its only condition on token\.actions\.githubusercontent\.com\/octo-corp:sub is StringLikeIfExists,/,
        );
        const pinned = await validate(
            iamGithubOidcPinnedSubject,
            ROLE,
            ghe("StringEquals", "repo:octo/app:environment:prod"),
        );
        assert.deepEqual(pinned, []);
    });

    it("refuses a whole-organisation subject (repo:org/*) in production only", async () => {
        const wide = ghe("StringLike", ["repo:octo/*:ref:refs/heads/main"]);
        const prod = await validate(iamGithubOidcPinnedSubject, ROLE, wide, { name: "gha", stack: "prod-eu" });
        assert.deepEqual(prod, [
            "IAM role 'gha' trust policy statement 1 trusts GitHub Actions OIDC (token.actions.githubusercontent.com) but in a " +
                'production stack (stack name "prod-eu" matches /(?<![a-z0-9])(?<!pre[-_.])(?<!non[-_.])prod(uction)?(?![a-z0-9])/i) ' +
                "its StringLike condition on token.actions.githubusercontent.com/octo-corp:sub allows " +
                "'repo:octo/*:ref:refs/heads/main', every repository of the organisation. Add a StringEquals or StringLike " +
                "condition on token.actions.githubusercontent.com/octo-corp:sub naming the repository, e.g. " +
                "'repo:my-org/my-repo:ref:refs/heads/main'.",
        ]);
        const tagged = await validate(iamGithubOidcPinnedSubject, ROLE, {
            ...ghe("StringLike", "repo:octo/*"),
            tags: { "cicd:tier": "production" },
        });
        assert.equal(tagged.length, 1);
        assert.deepEqual(await validate(iamGithubOidcPinnedSubject, ROLE, wide, { stack: "staging" }), []);
        const prefix = ghe("StringLike", "repo:octo/app-*:ref:refs/heads/main");
        assert.deepEqual(await validate(iamGithubOidcPinnedSubject, ROLE, prefix, { stack: "prod" }), []);
        assert.deepEqual(
            await validate(iamGithubOidcPinnedSubject, ROLE, ghe("StringLike", UNKNOWN), { stack: "prod" }),
            [],
        );
    });

    it("accepts a subject pinned to a repository, or an unknown subject in preview", async () => {
        for (const sub of ["repo:my-org/app:ref:refs/heads/main", ["repo:my-org/app:environment:prod"], UNKNOWN]) {
            const messages = await validate(
                iamGithubOidcPinnedSubject,
                ROLE,
                trust({
                    Effect: "Allow",
                    Principal: { Federated: GITHUB },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                        StringLike: { "token.actions.githubusercontent.com:sub": sub },
                    },
                }),
            );
            assert.deepEqual(messages, [], JSON.stringify(sub));
        }
    });

    it("ignores other federated providers", async () => {
        const messages = await validate(
            iamGithubOidcPinnedSubject,
            ROLE,
            trust({
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::1:oidc-provider/gitlab.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
            }),
        );
        assert.deepEqual(messages, []);
    });
});
