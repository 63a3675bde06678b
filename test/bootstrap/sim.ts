import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../bootstrap/documents";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export const ACCOUNT = "333333333333";

/** A request made with a role's identity policies, evaluated by the real IAM evaluator in strict mode. */
export async function identityDecision(
    principal: string,
    policies: readonly PolicyDocument[],
    action: string,
    resource: string,
    context: Record<string, string | string[]> = {},
    resourcePolicy?: PolicyDocument,
): Promise<Decision> {
    // The caller's account is its ARN's; a resource whose ARN names none (S3) is the caller's account's.
    const principalAccount = principal.split(":")[4] || ACCOUNT;
    const resourceAccount = resource.split(":")[4] || principalAccount;
    const result = await runSimulation(
        {
            request: {
                principal,
                action,
                resource: { resource, accountId: resourceAccount },
                contextVariables: {
                    "aws:SecureTransport": "true",
                    "aws:PrincipalArn": principal,
                    "aws:PrincipalAccount": principalAccount,
                    "aws:ResourceAccount": resourceAccount,
                    ...context,
                },
            },
            identityPolicies: policies.map((policy, i) => ({ name: `policy${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(resourcePolicy ? { resourcePolicy } : {}),
        },
        { simulationMode: "Strict" },
    );
    if (result.resultType === "error") throw new Error(`${action} on ${resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}

export interface WebIdentity {
    /** The OIDC provider that signed the token (the request's principal). */
    readonly provider: string;
    readonly sub?: string;
    readonly aud?: string;
}

/**
 * `sts:AssumeRoleWithWebIdentity` against a role's trust policy. The Service Authorization Reference data lists
 * GitHub's `actor`, `ref`, `repository`… keys for this action but not `sub` and `aud`, which IAM documents for every
 * OIDC provider (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif),
 * so the strict engine would drop them as unknown. The evaluator's unchecked entry point passes them through; the
 * policy logic evaluated is the same. The trust policy is still validated as one (an invalid document throws).
 */
export function trustDecision(roleArn: string, trust: PolicyDocument, token: WebIdentity): Decision {
    const validated = createValidatedPolicy(trust, validateTrustPolicy, { name: "TrustPolicy" });
    if (validated.errors.length > 0) throw new Error(`invalid trust policy: ${JSON.stringify(validated.errors)}`);
    const context: Record<string, string> = {};
    if (token.sub !== undefined) context["token.actions.githubusercontent.com:sub"] = token.sub;
    if (token.aud !== undefined) context["token.actions.githubusercontent.com:aud"] = token.aud;
    return runUnsafeSimulation(
        {
            request: {
                principal: token.provider,
                action: "sts:AssumeRoleWithWebIdentity",
                resource: { resource: roleArn, accountId: roleArn.split(":")[4] },
                contextVariables: context,
            },
            identityPolicies: [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: validated as never,
        },
        {},
    ) as Decision;
}
