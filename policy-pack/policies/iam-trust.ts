/**
 * Role trust policies (`aws.iam.Role.assumeRolePolicy`): who may assume the role.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { grantingStatements, parsePolicyDocument, Statement, stringList } from "../lib/iam-document";
import { ROLE_TYPE } from "../lib/iam-sources";
import { asBag, dig, isUnknown, plain } from "../lib/props";

const GITHUB_HOST = "token.actions.githubusercontent.com";
const GITHUB_SUB = `${GITHUB_HOST}:sub`;

/**
 * Condition keys that tie a `*` principal to an account, organisation, principal or calling
 * resource (global keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 */
const RESTRICTING_KEYS = new Set([
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:userid",
    "sts:externalid",
]);

function trustStatements(args: ResourceValidationArgs): Statement[] {
    if (args.type !== ROLE_TYPE) {
        return [];
    }
    return grantingStatements(parsePolicyDocument(dig(plain(args.props), "assumeRolePolicy")));
}

/** Condition entries as [operator, key, values]; `IfExists` and `Null` operators never pin anything. */
function conditionEntries(condition: Statement["condition"]): [string, string, unknown][] {
    const entries: [string, string, unknown][] = [];
    for (const [operator, block] of Object.entries(condition ?? {})) {
        for (const [key, values] of Object.entries(asBag(block) ?? {})) {
            entries.push([operator, key.toLowerCase(), values]);
        }
    }
    return entries;
}

function isWildcardValue(value: unknown): boolean {
    return typeof value === "string" && !isUnknown(value) && (value.startsWith("*") || /^repo:\*/i.test(value));
}

function valuesPin(values: unknown): boolean {
    const list = Array.isArray(values) ? values : [values];
    return (
        list.length > 0 && list.every((v) => isUnknown(v) || (typeof v === "string" && v !== "" && !isWildcardValue(v)))
    );
}

function hasRestrictingCondition(statement: Statement): boolean {
    return conditionEntries(statement.condition).some(
        ([operator, key, values]) =>
            !/IfExists$/i.test(operator) && operator !== "Null" && RESTRICTING_KEYS.has(key) && valuesPin(values),
    );
}

function isWildcardPrincipal(principal: unknown): boolean {
    if (principal === "*") {
        return true;
    }
    return Object.values(asBag(principal) ?? {}).some((value) => stringList(value).includes("*"));
}

function wildcardPrincipalMessages(name: string, statement: Statement): string[] {
    const where = `IAM role '${name}' trust policy ${statement.label}`;
    if (statement.hasNotPrincipal) {
        return [
            `${where} uses NotPrincipal in an Allow statement, which trusts every other principal. Use Principal with the trusted principals instead.`,
        ];
    }
    if (!isWildcardPrincipal(statement.principal) || hasRestrictingCondition(statement)) {
        return [];
    }
    return [
        `${where} lets any principal ('*') assume the role without a restricting condition. Name the trusted ` +
            `principals (e.g. Principal.Service 'codebuild.amazonaws.com' or an account ARN), or add a condition ` +
            `on aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceArn or sts:ExternalId.`,
    ];
}

/**
 * Trust policies: no `*` principal (or NotPrincipal) in an Allow without a condition that pins the
 * caller's account, organisation, ARN or external id.
 * Anchors: shared §5 IAM row (Checkov CKV_AWS_62/63 theme; cdk-nag IAM5); no anchor has this exact rule.
 * Fix: name the principals, or add an aws:PrincipalAccount / aws:PrincipalOrgID / aws:SourceArn / sts:ExternalId condition.
 */
export const iamTrustNoWildcardPrincipal: ResourceValidationPolicy = {
    name: "iam-trust-no-wildcard-principal",
    description: "Role trust policies must not let '*' assume the role without a restricting condition.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        for (const statement of trustStatements(args)) {
            wildcardPrincipalMessages(args.name, statement).forEach((m) => report(m));
        }
    },
};

function isGithubStatement(statement: Statement): boolean {
    const federated = stringList(dig(statement.principal, "Federated"));
    return (
        federated.some((p) => p.includes(GITHUB_HOST)) ||
        conditionEntries(statement.condition).some(([, key]) => key.startsWith(`${GITHUB_HOST}:`))
    );
}

/** Why the subject is not pinned, or undefined when it is. */
function subjectProblem(statement: Statement): string | undefined {
    const subs = conditionEntries(statement.condition).filter(([, key]) => key === GITHUB_SUB);
    const pinning = subs.filter(([operator]) => /^(ForAnyValue:)?String(Equals|Like)$/.test(operator));
    if (pinning.length === 0) {
        return `there is no StringEquals or StringLike condition on ${GITHUB_SUB}`;
    }
    const loose = pinning.find(([, , values]) => !valuesPin(values));
    if (loose) {
        const shown = Array.isArray(loose[2]) ? loose[2].join("', '") : String(loose[2]);
        return `its ${loose[0]} condition on ${GITHUB_SUB} allows '${shown}'`;
    }
    return undefined;
}

/**
 * GitHub Actions OIDC trust must pin `token.actions.githubusercontent.com:sub` to a repository
 * (StringEquals/StringLike, not `*` or `repo:*`): otherwise any repository on GitHub can assume it.
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * Anchors: none of Checkov/cdk-nag/trivy in shared §5 covers it.
 * Fix: add `StringLike: { "token.actions.githubusercontent.com:sub": "repo:<org>/<repo>:ref:refs/heads/main" }`.
 */
export const iamGithubOidcPinnedSubject: ResourceValidationPolicy = {
    name: "iam-github-oidc-pinned-subject",
    description: "Roles trusting GitHub Actions OIDC must pin token.actions.githubusercontent.com:sub to a repository.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        for (const statement of trustStatements(args).filter(isGithubStatement)) {
            const problem = subjectProblem(statement);
            if (problem) {
                report(
                    `IAM role '${args.name}' trust policy ${statement.label} trusts GitHub Actions OIDC (${GITHUB_HOST}) ` +
                        `but ${problem}. Add a StringEquals or StringLike condition on ${GITHUB_SUB} naming the ` +
                        `repository, e.g. 'repo:my-org/my-repo:ref:refs/heads/main'.`,
                );
            }
        }
    },
};
