/**
 * IAM grants in the styles real stacks write them, as the engine sends them: `aws.iam.getPolicyDocument` outputs
 * (JSON strings, one-element lists collapsed to strings), statements built with `JSON.stringify` inside an `apply`,
 * typed `aws.iam.PolicyDocument` objects, JSON strings with one Statement object, and the children an awsx-style
 * component creates (a role with `managedPolicyArns`, attachments). Each class has a failing and a passing case.
 */
import { strict as assert } from "assert";
import {
    iamNoAdminManagedPolicies,
    iamNoPassroleWildcard,
    iamNoPrivilegeEscalation,
} from "../../policies/iam-escalation";
import { iamNoWildcardActions, iamNoWildcardResources } from "../../policies/iam-identity";
import {
    iamGithubOidcPinnedSubject,
    iamTrustAccountRootCondition,
    iamTrustNoWildcardPrincipal,
} from "../../policies/iam-trust";
import { UNKNOWN, validate } from "./helpers";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY = "aws:iam/policy:Policy";

interface DocStatement {
    effect?: string;
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: { type: string; identifiers: string[] }[];
    conditions?: { test: string; variable: string; values: string[] }[];
}

/** What `aws.iam.getPolicyDocument(...).json` holds: one-element lists are written as plain strings. */
function policyDocumentJson(...statements: DocStatement[]): string {
    const one = (list: string[]) => (list.length === 1 ? list[0] : list);
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: statements.map((s) => ({
            Effect: s.effect ?? "Allow",
            ...(s.actions ? { Action: one(s.actions) } : {}),
            ...(s.notActions ? { NotAction: one(s.notActions) } : {}),
            ...(s.resources ? { Resource: one(s.resources) } : {}),
            ...(s.notResources ? { NotResource: one(s.notResources) } : {}),
            ...(s.principals
                ? { Principal: Object.fromEntries(s.principals.map((p) => [p.type, one(p.identifiers)])) }
                : {}),
            ...(s.conditions
                ? {
                      Condition: Object.fromEntries(s.conditions.map((c) => [c.test, { [c.variable]: one(c.values) }])),
                  }
                : {}),
        })),
    });
}

/** `Statement: [bucket.arn.apply((arn) => JSON.stringify({...}))]`: each statement is a JSON string. */
const statementsBuiltInApply = (...statements: object[]) => ({
    Version: "2012-10-17",
    Statement: statements.map((s) => JSON.stringify(s)),
});

describe("realistic stacks: broad grants behind NotAction / NotResource", () => {
    it("reports Allow + NotAction from getPolicyDocument and NotResource in a typed PolicyDocument", async () => {
        const notAction = policyDocumentJson({ notActions: ["iam:*"], resources: ["*"] });
        assert.deepEqual(await validate(iamNoWildcardActions, ROLE_POLICY, { policy: notAction }, { name: "ci" }), [
            "IAM role policy 'ci' statement 1 uses NotAction in an Allow statement, which grants every other action. Replace NotAction with an explicit Action list.",
        ]);
        const typed = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], NotResource: ["arn:aws:s3:::secrets/*"] }],
        };
        assert.deepEqual(await validate(iamNoWildcardResources, POLICY, { policy: typed }, { name: "ci" }), [
            "IAM policy 'ci' statement 1 uses NotResource in an Allow statement, which grants its actions on every other resource. Replace NotResource with an explicit Resource list of ARNs.",
        ]);
    });

    it("reads statements built as JSON strings in an apply, and a Statement that is itself a JSON string", async () => {
        const inApply = statementsBuiltInApply(
            { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
            { Sid: "Hidden", Effect: "Allow", NotAction: "s3:DeleteBucket", Resource: "*" },
        );
        assert.deepEqual(
            await validate(iamNoWildcardActions, ROLE, { inlinePolicies: [{ name: "deploy", policy: inApply }] }),
            [
                "IAM role 'subject' inline policy 'deploy' statement 2 (Sid 'Hidden') uses NotAction in an Allow statement, which grants every other action. Replace NotAction with an explicit Action list.",
            ],
        );
        const statementString = JSON.stringify({
            Version: "2012-10-17",
            Statement: JSON.stringify({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
        });
        assert.equal((await validate(iamNoWildcardActions, POLICY, { policy: statementString })).length, 1);
    });

    it("reads Allow + NotAction as granting what it does not list: PassRole and escalation on '*' are reported too", async () => {
        const policy = policyDocumentJson({ notActions: ["s3:*", "ec2:*"], resources: ["*"] });
        assert.deepEqual(await validate(iamNoPassroleWildcard, ROLE_POLICY, { policy }, { name: "ci" }), [
            "IAM role policy 'ci' statement 1 allows iam:PassRole (through NotAction, which grants every action it does not list) on Resource '*'. Set Resource to the ARNs of the roles it must pass, e.g. arn:aws:iam::<account>:role/<name>.",
        ]);
        const escalation = await validate(iamNoPrivilegeEscalation, ROLE_POLICY, { policy }, { name: "ci" });
        assert.equal(escalation.length, 1);
        assert.match(
            escalation[0],
            /^IAM role policy 'ci' allows \d+ privilege-escalation paths on unnamed resources \('\*'\): iam:CreatePolicyVersion; /,
        );
        // ec2:RunInstances is excluded by NotAction, so that path is not open.
        assert.ok(!escalation[0].includes("ec2:RunInstances"));
        const excluded = policyDocumentJson({ notActions: ["iam:*", "lambda:*", "glue:*"], resources: ["*"] });
        assert.deepEqual(await validate(iamNoPassroleWildcard, ROLE_POLICY, { policy: excluded }), []);
        assert.deepEqual(await validate(iamNoPrivilegeEscalation, ROLE_POLICY, { policy: excluded }), []);
        const unknown = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", NotAction: ["s3:*", UNKNOWN], Resource: "*" }],
        };
        assert.deepEqual(await validate(iamNoPassroleWildcard, ROLE_POLICY, { policy: unknown }), []);
        assert.deepEqual(await validate(iamNoPrivilegeEscalation, ROLE_POLICY, { policy: unknown }), []);
    });

    it("passes Deny + NotAction / NotResource (the usual guard rails), and statements still unknown in preview", async () => {
        const guard = policyDocumentJson(
            { effect: "Deny", notActions: ["sts:GetCallerIdentity"], notResources: ["arn:aws:s3:::b/*"] },
            { actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] },
        );
        const unknown = { Version: "2012-10-17", Statement: [UNKNOWN] };
        for (const policy of [guard, unknown]) {
            assert.deepEqual(await validate(iamNoWildcardActions, ROLE_POLICY, { policy }), []);
            assert.deepEqual(await validate(iamNoWildcardResources, ROLE_POLICY, { policy }), []);
        }
        assert.deepEqual(
            await validate(iamNoWildcardActions, ROLE_POLICY, {
                policy: { Version: "2012-10-17", Statement: UNKNOWN },
            }),
            [],
        );
    });
});

describe("realistic stacks: wildcard service prefixes in actions", () => {
    it("reports a leading wildcard in the action name and a wildcard service prefix, in a JSON single-statement document", async () => {
        const policy = JSON.stringify({
            Version: "2012-10-17",
            Statement: { Effect: "Allow", Action: ["s3:*Object", "*:Get*", "iam:*"], Resource: "arn:aws:s3:::b/*" },
        });
        assert.deepEqual(await validate(iamNoWildcardActions, POLICY, { policy }, { name: "ci" }), [
            "IAM policy 'ci' statement 1 allows Action 's3:*Object', whose action name starts with a wildcard, so it matches s3 actions of every verb (e.g. both Get and Delete). List the s3 actions the principal needs, or keep a fixed verb before the wildcard ('s3:Get*').",
            "IAM policy 'ci' statement 1 allows Action '*:Get*', whose service prefix is a wildcard, so it matches actions of every AWS service. Name the service, e.g. 's3:GetObject'.",
            "IAM policy 'ci' statement 1 allows Action 'iam:*' (every iam action). List only the iam actions the principal needs.",
        ]);
    });

    it("reports 's*:PutObject' and 's3:**' from getPolicyDocument, and passes suffix wildcards and named actions", async () => {
        const broad = policyDocumentJson({ actions: ["s*:PutObject", "s3:**"], resources: ["arn:aws:s3:::b/*"] });
        const messages = await validate(iamNoWildcardActions, ROLE_POLICY, { policy: broad });
        assert.deepEqual(
            messages.map((m) => /Action '([^']+)'/.exec(m)?.[1]),
            ["s*:PutObject", "s3:**"],
        );
        const narrow = policyDocumentJson({
            actions: ["s3:Get*", "s3:GetObject", "kms:GenerateDataKey*", "s3:Get*Tagging"],
            resources: ["arn:aws:s3:::b/*"],
        });
        assert.deepEqual(await validate(iamNoWildcardActions, ROLE_POLICY, { policy: narrow }), []);
    });
});

describe("realistic stacks: admin-equivalent managed policies on CI roles", () => {
    it("reports each shape: RolePolicyAttachment, an awsx-style role's managedPolicyArns, a permission set attachment", async () => {
        const attachment = await validate(
            iamNoAdminManagedPolicies,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            { role: "pipeline-role-1a2b", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" },
            { name: "pipeline-power" },
        );
        assert.deepEqual(attachment, [
            "IAM role policy attachment 'pipeline-power' attaches the AWS managed policy PowerUserAccess (arn:aws:iam::aws:policy/PowerUserAccess). Attach a customer-managed policy that lists only the actions and resources it needs.",
        ]);
        const role = await validate(
            iamNoAdminManagedPolicies,
            ROLE,
            {
                assumeRolePolicy: policyDocumentJson({
                    actions: ["sts:AssumeRole"],
                    principals: [{ type: "Service", identifiers: ["codebuild.amazonaws.com"] }],
                }),
                managedPolicyArns: [
                    "arn:aws:iam::aws:policy/AWSCodeBuildReadOnlyAccess",
                    "arn:aws:iam::aws:policy/IAMFullAccess",
                    UNKNOWN,
                ],
            },
            { name: "build-role" },
        );
        assert.deepEqual(role, [
            "IAM role 'build-role' attaches the AWS managed policy IAMFullAccess (arn:aws:iam::aws:policy/IAMFullAccess). Attach a customer-managed policy that lists only the actions and resources it needs.",
        ]);
        const permissionSet = await validate(
            iamNoAdminManagedPolicies,
            "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
            {
                instanceArn: "arn:aws:sso:::instance/ssoins-1",
                permissionSetArn: UNKNOWN,
                managedPolicyArn: "arn:aws-us-gov:iam::aws:policy/administratoraccess",
            },
            { name: "deployers" },
        );
        assert.deepEqual(permissionSet, [
            "IAM Identity Center permission set attachment 'deployers' attaches the AWS managed policy administratoraccess (arn:aws-us-gov:iam::aws:policy/administratoraccess). Attach a customer-managed policy that lists only the actions and resources it needs.",
        ]);
    });

    it("passes scoped AWS managed policies, customer policies named like admin ones, and unknown ARNs", async () => {
        for (const policyArn of [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::123456789012:policy/AdministratorAccess",
            UNKNOWN,
        ]) {
            assert.deepEqual(
                await validate(iamNoAdminManagedPolicies, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", {
                    role: "r",
                    policyArn,
                }),
                [],
            );
        }
        assert.deepEqual(await validate(iamNoAdminManagedPolicies, ROLE, { managedPolicyArns: UNKNOWN }), []);
    });
});

const GITHUB_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const githubTrust = (conditions: DocStatement["conditions"]) =>
    policyDocumentJson({
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [GITHUB_PROVIDER] }],
        conditions,
    });
const AUD = {
    test: "StringEquals",
    variable: "token.actions.githubusercontent.com:aud",
    values: ["sts.amazonaws.com"],
};
const sub = (...values: string[]) => ({
    test: "StringLike",
    variable: "token.actions.githubusercontent.com:sub",
    values,
});
const GITHUB_FIX =
    "Add a StringEquals or StringLike condition on token.actions.githubusercontent.com:sub naming the repository, e.g. 'repo:my-org/my-repo:ref:refs/heads/main'.";
const githubMessage = (problem: string) =>
    `IAM role 'deploy' trust policy statement 1 trusts GitHub Actions OIDC (token.actions.githubusercontent.com) but ${problem}. ${GITHUB_FIX}`;

describe("realistic stacks: GitHub OIDC trust from getPolicyDocument", () => {
    it("reports a missing sub, a '*' sub and a wildcard in the repository owner in any stack", async () => {
        const cases: [DocStatement["conditions"], string][] = [
            [[AUD], "there is no condition on token.actions.githubusercontent.com:sub"],
            [[AUD, sub("*")], "its StringLike condition on token.actions.githubusercontent.com:sub allows '*'"],
            [
                [AUD, sub("repo:my-org*")],
                "its StringLike condition on token.actions.githubusercontent.com:sub allows 'repo:my-org*', a wildcard in the repository owner, so repositories of other GitHub organisations or users whose names match can assume it",
            ],
            [
                [AUD, sub("repo:my-org/app:ref:refs/heads/main", "repo:my-?rg/app:*")],
                "its StringLike condition on token.actions.githubusercontent.com:sub allows 'repo:my-org/app:ref:refs/heads/main', 'repo:my-?rg/app:*', a wildcard in the repository owner, so repositories of other GitHub organisations or users whose names match can assume it",
            ],
        ];
        for (const [conditions, problem] of cases) {
            const props = { assumeRolePolicy: githubTrust(conditions) };
            assert.deepEqual(await validate(iamGithubOidcPinnedSubject, ROLE, props, { name: "deploy" }), [
                githubMessage(problem),
            ]);
        }
    });

    it("reports a whole organisation in production only, and passes a pinned repository and a literal StringEquals everywhere", async () => {
        const organisation = { assumeRolePolicy: githubTrust([AUD, sub("repo:my-org/*")]) };
        assert.deepEqual(await validate(iamGithubOidcPinnedSubject, ROLE, organisation, { name: "deploy" }), []);
        const prod = await validate(iamGithubOidcPinnedSubject, ROLE, organisation, { name: "deploy", stack: "prod" });
        assert.equal(prod.length, 1);
        assert.match(prod[0], /allows 'repo:my-org\/\*', every repository of the organisation/);
        const literal = { ...sub("repo:my-org*"), test: "StringEquals" };
        assert.deepEqual(
            await validate(iamGithubOidcPinnedSubject, ROLE, { assumeRolePolicy: githubTrust([AUD, literal]) }),
            [],
        );
        const pinned = { assumeRolePolicy: githubTrust([AUD, sub("repo:my-org/app:environment:production")]) };
        assert.deepEqual(await validate(iamGithubOidcPinnedSubject, ROLE, pinned, { stack: "prod" }), []);
    });
});

const ROOT_FIX =
    "Name the role ARNs that may assume it in Principal.AWS, or add an ArnEquals condition on aws:PrincipalArn listing them.";

describe("iam-trust-account-root-condition", () => {
    it("reports trust to an account root or a bare account id with no condition, in getPolicyDocument and typed shapes", async () => {
        const json = policyDocumentJson({
            actions: ["sts:AssumeRole"],
            principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
        });
        assert.deepEqual(
            await validate(iamTrustAccountRootCondition, ROLE, { assumeRolePolicy: json }, { name: "deploy" }),
            [
                `IAM role 'deploy' trust policy statement 1 trusts the whole account 'arn:aws:iam::111111111111:root' with no Condition, so any principal of that account allowed sts:AssumeRole can assume it. ${ROOT_FIX}`,
            ],
        );
        const typed = {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: "sts:AssumeRole",
                    Principal: { AWS: ["222222222222", "arn:aws:iam::333333333333:role/ci"] },
                    Condition: {},
                },
            ],
        };
        assert.deepEqual(
            await validate(iamTrustAccountRootCondition, ROLE, { assumeRolePolicy: typed }, { name: "deploy" }),
            [
                `IAM role 'deploy' trust policy statement 1 trusts the whole account '222222222222' with no Condition, so any principal of that account allowed sts:AssumeRole can assume it. ${ROOT_FIX}`,
            ],
        );
    });

    it("reports it in a JSON string whose Statement is one object, and in a statement built in an apply", async () => {
        const single = JSON.stringify({
            Version: "2012-10-17",
            Statement: {
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Principal: { AWS: "arn:aws-cn:iam::444444444444:root" },
            },
        });
        const inApply = statementsBuiltInApply({
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Principal: { AWS: "555555555555" },
        });
        for (const [assumeRolePolicy, account] of [
            [single, "arn:aws-cn:iam::444444444444:root"],
            [inApply, "555555555555"],
        ] as const) {
            assert.deepEqual(
                await validate(iamTrustAccountRootCondition, ROLE, { assumeRolePolicy }, { name: "deploy" }),
                [
                    `IAM role 'deploy' trust policy statement 1 trusts the whole account '${account}' with no Condition, so any principal of that account allowed sts:AssumeRole can assume it. ${ROOT_FIX}`,
                ],
            );
        }
    });

    it("passes named roles, a conditioned root, a Deny, unknown conditions or principals, and other resource types", async () => {
        const root = "arn:aws:iam::111111111111:root";
        const documents = [
            {
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "sts:AssumeRole",
                        Principal: { AWS: "arn:aws:iam::111111111111:role/pipeline" },
                    },
                ],
            },
            {
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "sts:AssumeRole",
                        Principal: { AWS: root },
                        Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/pipeline" } },
                    },
                ],
            },
            { Statement: [{ Effect: "Deny", Action: "sts:AssumeRole", Principal: { AWS: root } }] },
            {
                Statement: [
                    { Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: root }, Condition: UNKNOWN },
                ],
            },
            { Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: UNKNOWN } }] },
            {
                Statement: [
                    { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "codebuild.amazonaws.com" } },
                ],
            },
            UNKNOWN,
        ];
        for (const assumeRolePolicy of documents) {
            assert.deepEqual(await validate(iamTrustAccountRootCondition, ROLE, { assumeRolePolicy }), []);
        }
        assert.deepEqual(await validate(iamTrustAccountRootCondition, POLICY, { assumeRolePolicy: documents[2] }), []);
    });

    it("leaves '*' principals to iam-trust-no-wildcard-principal", async () => {
        const open = { Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "*" } }] };
        assert.deepEqual(await validate(iamTrustAccountRootCondition, ROLE, { assumeRolePolicy: open }), []);
        assert.equal((await validate(iamTrustNoWildcardPrincipal, ROLE, { assumeRolePolicy: open })).length, 1);
    });
});
