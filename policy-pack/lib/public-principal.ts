/**
 * Resource policies (key, bucket and topic policies) that grant to everyone: an Allow whose Principal is `*` (or
 * `{ AWS: "*" }`), or an Allow with NotPrincipal, and no condition that restricts who may use the grant.
 * Principal element: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * ("*" is every principal, anonymous users included, unless a condition limits it).
 */
import { parsePolicyDocument, Statement, stringList } from "./iam-document";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { asBag, dig, isUnknown, plain } from "./props";

/**
 * Condition keys that tie a `*` grant to named accounts, organisations, resources, networks or callers
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html;
 * kms:CallerAccount: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html).
 */
const RESTRICTING_KEYS = new Set(
    [
        "aws:SourceAccount",
        "aws:SourceArn",
        "aws:SourceOwner",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceIp",
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:userid",
        "kms:CallerAccount",
    ].map((k) => k.toLowerCase()),
);

/**
 * Operators that require the key to match: without `...IfExists` (which passes when the key is absent) and without
 * `ForAllValues:` (true for an absent key). Negated operators (StringNotEquals...) grant to everyone else.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
const POSITIVE_OPERATOR =
    /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)$/i;

/** A condition entry restricts when its values are known and none is only wildcards; an unknown value counts. */
function restrictingValue(value: unknown): boolean {
    if (isUnknown(value)) return true;
    const values = stringList(value);
    return values.length > 0 && values.every((v) => !/^[*?]*$/.test(v));
}

function restricts(condition: Statement["condition"]): boolean {
    for (const [operator, entries] of Object.entries(condition ?? {})) {
        if (!POSITIVE_OPERATOR.test(operator)) continue;
        if (isUnknown(entries)) return true;
        for (const [key, value] of Object.entries(asBag(entries) ?? {})) {
            if (RESTRICTING_KEYS.has(key.toLowerCase()) && restrictingValue(value)) return true;
        }
    }
    return false;
}

function everyone(principal: unknown): boolean {
    return principal === "*" || stringList(dig(principal, "AWS")).includes("*");
}

/** Labels of the statements that grant to everyone without a restricting condition; unknowns pass. */
export function publicGrants(document: unknown): string[] {
    const parsed = parsePolicyDocument(document);
    if (parsed.kind !== "ok") return [];
    return parsed.statements
        .filter((s) => !s.isDeny && !s.effectUnknown && !s.conditionUnknown)
        .filter((s) => (everyone(s.principal) || s.hasNotPrincipal) && !restricts(s.condition))
        .map((s) => s.label);
}

/** A resource type that carries a resource policy in its `policy` input. */
export interface Carrier {
    type: string;
    /** How messages name the resource, e.g. "KMS key". */
    label: string;
}

const RESTRICT =
    "Name the principals (account, role or service) instead of '*', or add a condition that pins them, e.g. " +
    "{ StringEquals: { 'aws:SourceAccount': '<account id>' } } or { StringEquals: { 'aws:PrincipalOrgID': '<org id>' } }.";

/**
 * One policy per service (kms.ts, s3-access-block.ts, sns.ts), each on the resources that carry that service's
 * resource policy: a resource whose `policy` grants to everyone without a restricting condition is reported.
 */
export function publicPrincipalPolicy(
    name: string,
    description: string,
    carriers: Carrier[],
): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        validateResource: (args, report) => {
            const carrier = carriers.find((c) => c.type === args.type);
            if (!carrier) return;
            const grants = publicGrants(dig(plain(args.props), "policy"));
            if (grants.length > 0) {
                report(
                    `${carrier.label} '${args.name}' policy ${grants.join(", ")} allows every principal ('*' or ` +
                        `NotPrincipal) with no condition restricting who. ${RESTRICT}`,
                );
            }
        },
    };
}
