/**
 * Resource policies (key, bucket and topic policies) that grant to everyone: an Allow whose Principal is `*` (or
 * `{ AWS: "*" }`), or an Allow with NotPrincipal, and no condition that restricts who may use the grant.
 * Principal element: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * ("*" is every principal, anonymous users included, unless a condition limits it).
 */
import { parsePolicyDocument, Statement, stringList } from "./iam-document";
import { asBag, dig, isUnknown } from "./props";

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
