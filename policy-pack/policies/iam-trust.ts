/**
 * Role trust policies (`aws.iam.Role.assumeRolePolicy`): who may assume the role.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { grantingStatements, parsePolicyDocument, Statement, stringList } from "../lib/iam-document";
import { ROLE_TYPE } from "../lib/iam-sources";
import { detectProduction, ProductionConfig, productionConfigSchema } from "../lib/production";
import { asBag, dig, isUnknown, plain } from "../lib/props";

const GITHUB_HOST = "token.actions.githubusercontent.com";
const GITHUB_SUB = `${GITHUB_HOST}:sub`;
/**
 * GitHub's issuer, or GitHub Enterprise Cloud's unique issuer `token.actions.githubusercontent.com/<enterprise>`,
 * whose condition keys are `<issuer>:sub` / `<issuer>:aud`.
 * https://docs.github.com/en/enterprise-cloud@latest/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#switching-to-a-unique-token-url
 */
const GITHUB_ISSUER_KEY = /^token\.actions\.githubusercontent\.com(\/[^:]+)?:/;
const GITHUB_SUB_KEY = /^token\.actions\.githubusercontent\.com(\/[^:]+)?:sub$/;

/**
 * Condition keys that tie a `*` principal to an account, organisation, principal or calling
 * resource (global keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 * sts:ExternalId is not one: AWS does not treat the external ID as a secret (anyone who can read the
 * role sees it), and its guidance names the third party's account in Principal, with the external ID
 * as an extra condition: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
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
]);
/** Keys whose values are ARNs: they pin an account only when the ARN's account field has no wildcard. */
const ARN_KEYS = new Set(["aws:principalarn", "aws:sourcearn"]);
/** Operators that require the key to match (negations, IfExists and Null do not pin anything). */
const PINNING_OPERATORS = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

function trustStatements(args: ResourceValidationArgs): Statement[] {
    if (args.type !== ROLE_TYPE) {
        return [];
    }
    return grantingStatements(parsePolicyDocument(dig(plain(args.props), "assumeRolePolicy")));
}

/** Condition entries as [operator, key, values]; `IfExists` and `Null` operators never pin anything. */
function conditionEntries(condition: Statement["condition"]): [string, string, unknown, string][] {
    const entries: [string, string, unknown, string][] = [];
    for (const [operator, block] of Object.entries(condition ?? {})) {
        for (const [key, values] of Object.entries(asBag(block) ?? {})) {
            entries.push([operator, key.toLowerCase(), values, key]);
        }
    }
    return entries;
}

function isWildcardValue(value: unknown): boolean {
    return typeof value === "string" && !isUnknown(value) && (value.startsWith("*") || /^repo:\*/i.test(value));
}

function valuesPin(values: unknown, pins: (value: string) => boolean = () => true): boolean {
    const list = Array.isArray(values) ? values : [values];
    return (
        list.length > 0 &&
        list.every((v) => isUnknown(v) || (typeof v === "string" && v !== "" && !isWildcardValue(v) && pins(v)))
    );
}

/** An ARN pattern pins an account when its account field is empty (S3) or has no wildcard. */
function arnPinsAccount(value: string): boolean {
    const parts = value.split(":");
    return parts.length >= 6 && !/[*?]/.test(parts[4]) && !/[*?]/.test(parts[2]);
}

function hasRestrictingCondition(statement: Statement): boolean {
    return conditionEntries(statement.condition).some(
        ([operator, key, values]) =>
            PINNING_OPERATORS.test(operator) &&
            RESTRICTING_KEYS.has(key) &&
            valuesPin(values, ARN_KEYS.has(key) ? arnPinsAccount : undefined),
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
    const keys = conditionEntries(statement.condition).map(([operator, , , key]) => `${operator} ${key}`);
    const has = keys.length > 0 ? `only conditions that do not pin an account (${keys.join(", ")})` : "no condition";
    return [
        `${where} lets any principal ('*') assume the role, in any AWS account, with ${has}. Name the trusted ` +
            `principals (e.g. Principal.Service 'codebuild.amazonaws.com' or the third party's account ARN, with ` +
            `sts:ExternalId as an extra condition), or add a StringEquals condition on aws:PrincipalAccount or ` +
            `aws:PrincipalOrgID, or an aws:PrincipalArn whose account is named.`,
    ];
}

/**
 * Trust policies: no `*` principal (or NotPrincipal) in an Allow without a condition that pins the
 * caller's account, organisation or ARN (an sts:ExternalId alone, or an aws:PrincipalArn pattern whose
 * account is a wildcard, leaves the role open to every account).
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
        conditionEntries(statement.condition).some(([, key]) => GITHUB_ISSUER_KEY.test(key))
    );
}

/** The statement's own subject key (an Enterprise issuer's, if it uses one), for the fix. */
function subjectKey(statement: Statement): string {
    const issuer = conditionEntries(statement.condition).find(([, key]) => GITHUB_ISSUER_KEY.test(key));
    return issuer ? `${issuer[3].slice(0, issuer[3].lastIndexOf(":"))}:sub` : GITHUB_SUB;
}

/**
 * A wildcard before the first `/` of `repo:<owner>/<repo>` (`repo:my-org*`, `repo:my-?rg/app`): anyone can create
 * an owner whose name matches. GitHub's subject starts `repo:<owner>/<repo>`:
 * https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
 */
const WILDCARD_OWNER = /^repo:[^/]*[*?]/i;

/** `repo:<org>/*` (any repository of the organisation), whatever follows. */
const WHOLE_ORGANISATION = /^repo:[^/*?]+\/[*?]+(:|$)/i;

const shownValues = (values: unknown): string => (Array.isArray(values) ? values.join("', '") : String(values));

/** Why the subject is not pinned, or undefined when it is. */
function subjectProblem(statement: Statement, production: string | undefined): string | undefined {
    const subs = conditionEntries(statement.condition).filter(([, key]) => GITHUB_SUB_KEY.test(key));
    const pinning = subs.filter(([operator]) => /^(ForAnyValue:)?String(Equals|Like)$/.test(operator));
    if (subs.length === 0) {
        return `there is no condition on ${GITHUB_SUB}`;
    }
    if (pinning.length === 0) {
        const [operator, , , key] = subs[0];
        return `its only condition on ${key} is ${operator}, which does not require the subject to match`;
    }
    const loose = pinning.find(([, , values]) => !valuesPin(values));
    if (loose) {
        return `its ${loose[0]} condition on ${loose[3]} allows '${shownValues(loose[2])}'`;
    }
    // Only the Like operators expand wildcards; StringEquals compares `*` literally.
    const anyOwner = pinning.find(
        ([operator, , values]) => /Like$/.test(operator) && stringList(values).some((v) => WILDCARD_OWNER.test(v)),
    );
    if (anyOwner) {
        return (
            `its ${anyOwner[0]} condition on ${anyOwner[3]} allows '${shownValues(anyOwner[2])}', a wildcard in the ` +
            `repository owner, so repositories of other GitHub organisations or users whose names match can assume it`
        );
    }
    const organisation = pinning.find(([, , values]) => stringList(values).some((v) => WHOLE_ORGANISATION.test(v)));
    if (organisation && production !== undefined) {
        return (
            `in a production stack (${production}) its ${organisation[0]} condition on ${organisation[3]} allows ` +
            `'${shownValues(organisation[2])}', every repository of the organisation`
        );
    }
    return undefined;
}

/**
 * GitHub Actions OIDC trust must pin `token.actions.githubusercontent.com:sub` (or an Enterprise
 * Cloud issuer's `token.actions.githubusercontent.com/<enterprise>:sub`) to a repository
 * (StringEquals/StringLike, not `*` or `repo:*`): otherwise any repository on GitHub can assume it.
 * In production (lib/production.ts) `repo:<org>/*` is refused too: every repository of the
 * organisation, including forks' workflows on pull requests, could deploy.
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * Anchors: none of Checkov/cdk-nag/trivy in shared §5 covers it.
 * Fix: add `StringLike: { "token.actions.githubusercontent.com:sub": "repo:<org>/<repo>:ref:refs/heads/main" }`.
 */
export const iamGithubOidcPinnedSubject: ResourceValidationPolicy = {
    name: "iam-github-oidc-pinned-subject",
    description:
        "Roles trusting GitHub Actions OIDC must pin token.actions.githubusercontent.com:sub to a repository " +
        "(in production, not a whole organisation).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...productionConfigSchema } },
    validateResource: (args, report) => {
        const statements = trustStatements(args).filter(isGithubStatement);
        if (statements.length === 0) {
            return;
        }
        const input = {
            urn: args.urn,
            stackTags: args.stackTags,
            resourceTags: dig(plain(args.props), "tags"),
            providerProps: args.provider?.props,
        };
        const verdict = detectProduction(input, args.getConfig<ProductionConfig>());
        for (const statement of statements) {
            const problem = subjectProblem(statement, verdict.production ? verdict.reason : undefined);
            if (problem) {
                report(
                    `IAM role '${args.name}' trust policy ${statement.label} trusts GitHub Actions OIDC (${GITHUB_HOST}) ` +
                        `but ${problem}. Add a StringEquals or StringLike condition on ${subjectKey(statement)} naming the ` +
                        `repository, e.g. 'repo:my-org/my-repo:ref:refs/heads/main'.`,
                );
            }
        }
    },
};

/** An account principal: `arn:aws:iam::<account>:root` (any partition) or a bare 12-digit account id. */
const ACCOUNT_PRINCIPAL = /^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;

function accountPrincipals(statement: Statement): string[] {
    return stringList(dig(statement.principal, "AWS")).filter((p) => ACCOUNT_PRINCIPAL.test(p));
}

/** No Condition at all (an unknown one, in preview, gets the benefit of the doubt). */
function unconditioned(statement: Statement): boolean {
    return !statement.conditionUnknown && Object.keys(statement.condition ?? {}).length === 0;
}

/**
 * Trust to a whole account (`arn:aws:iam::<account>:root` or a bare account id) delegates the role to every principal
 * of that account whose identity policy allows sts:AssumeRole on it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts):
 * a CI role trusted that way is one identity-policy change away from any user or role of the account. Without any
 * Condition nothing narrows it; with one, what it narrows is left to review (the rule mirrors Checkov CKV_AWS_61).
 * An unknown principal or condition passes in preview.
 * Fix: name the role ARNs that assume it, or pin them with `ArnEquals` on `aws:PrincipalArn`.
 */
export const iamTrustAccountRootCondition: ResourceValidationPolicy = {
    name: "iam-trust-account-root-condition",
    description:
        "Role trust policies must not trust a whole account (arn:aws:iam::<account>:root or an account id) without a Condition.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        for (const statement of trustStatements(args).filter(unconditioned)) {
            const accounts = accountPrincipals(statement);
            if (accounts.length === 0) continue;
            report(
                `IAM role '${args.name}' trust policy ${statement.label} trusts the whole account ` +
                    `${accounts.map((a) => `'${a}'`).join(", ")} with no Condition, so any principal of that account ` +
                    `allowed sts:AssumeRole can assume it. Name the role ARNs that may assume it in Principal.AWS, or add ` +
                    `an ArnEquals condition on aws:PrincipalArn listing them.`,
            );
        }
    },
};
