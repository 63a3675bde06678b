import { strict as assert } from "assert";
import { iamGithubOidcPinnedSubject, iamTrustNoWildcardPrincipal } from "../../policies/iam-trust";
import { UNKNOWN, validate } from "./helpers";

const ROLE = "aws:iam/role:Role";
const GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

function trust(statement: object): { assumeRolePolicy: string } {
    return { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) };
}

describe("iam-trust-no-wildcard-principal", () => {
    const wildcardMessage =
        "IAM role 'shared' trust policy statement 1 lets any principal ('*') assume the role without a restricting condition. " +
        "Name the trusted principals (e.g. Principal.Service 'codebuild.amazonaws.com' or an account ARN), or add a condition on " +
        "aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceArn or sts:ExternalId.";

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
        const conditions = [
            { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } },
            { StringLike: { "aws:PrincipalAccount": "*" } },
            { Bool: { "aws:SecureTransport": "true" } },
        ];
        for (const Condition of conditions) {
            const messages = await validate(
                iamTrustNoWildcardPrincipal,
                ROLE,
                trust({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition }),
                { name: "shared" },
            );
            assert.deepEqual(messages, [wildcardMessage], JSON.stringify(Condition));
        }
    });

    it("accepts a '*' principal restricted by organisation, account or external id (unknown values too)", async () => {
        const conditions = [
            { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
            { StringEquals: { "aws:principalaccount": ["123456789012"] } },
            { StringEquals: { "sts:ExternalId": UNKNOWN } },
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
            "IAM role 'gha' trust policy statement 1 trusts GitHub Actions OIDC (token.actions.githubusercontent.com) but there is no StringEquals or StringLike condition on token.actions.githubusercontent.com:sub. " +
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
        assert.equal(messages.length, 1);
        assert.match(messages[0], /there is no StringEquals or StringLike condition/);
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
