import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../model/iam/document";
import { ACCOUNT } from "./fixtures";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface Request {
    readonly action: string;
    readonly resource: string;
    /** Request context beyond what AWS always sets (see `run`). */
    readonly context?: Record<string, string | string[]>;
    /** Owner of the resource; defaults to the ARN's account, or ours for S3 ARNs (which carry none). */
    readonly resourceAccount?: string;
}

export interface Caller {
    readonly principal: string;
    readonly identity: readonly PolicyDocument[];
}

const accountOf = (arn: string): string => arn.split(":")[4] || ACCOUNT;

/**
 * Evaluates one request with the real IAM evaluator. Keys AWS sets on every request are filled in the way AWS
 * would: TLS on, the caller's ARN and account, the resource's account.
 */
export async function decide(caller: Caller, req: Request, resourcePolicy?: PolicyDocument): Promise<Decision> {
    const resourceAccount = req.resourceAccount ?? (req.resource === "*" ? ACCOUNT : accountOf(req.resource));
    const result = await runSimulation(
        {
            request: {
                principal: caller.principal,
                action: req.action,
                resource: { resource: req.resource, accountId: resourceAccount },
                contextVariables: {
                    "aws:SecureTransport": "true",
                    "aws:PrincipalArn": caller.principal,
                    "aws:PrincipalAccount": accountOf(caller.principal),
                    "aws:ResourceAccount": resourceAccount,
                    ...req.context,
                },
            },
            identityPolicies: caller.identity.map((policy, i) => ({ name: `policy${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(resourcePolicy ? { resourcePolicy } : {}),
        },
        { simulationMode: "Strict" },
    );
    if (result.resultType === "error")
        throw new Error(`simulation of ${req.action} on ${req.resource} failed: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}

/** Every request's decision, keyed `action resource` so a failing assertion names the culprits. */
export async function decisions(
    caller: Caller,
    reqs: readonly Request[],
    resourcePolicyFor?: (r: Request) => PolicyDocument | undefined,
): Promise<Record<string, Decision>> {
    const out: Record<string, Decision> = {};
    for (const r of reqs) out[`${r.action} ${r.resource}`] = await decide(caller, r, resourcePolicyFor?.(r));
    return out;
}

/** The entries whose decision differs from `expected` (empty means every request went as expected). */
export const unexpected = (
    got: Record<string, Decision>,
    expected: Decision | ((d: Decision) => boolean),
): Record<string, Decision> =>
    Object.fromEntries(
        Object.entries(got).filter(([, d]) => (typeof expected === "function" ? !expected(d) : d !== expected)),
    );

export const req = (action: string, resource: string, context?: Record<string, string | string[]>): Request => ({
    action,
    resource,
    ...(context ? { context } : {}),
});
