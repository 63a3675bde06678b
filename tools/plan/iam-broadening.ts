// Which IAM grants a change adds, the way CDK's ConfirmPermissionsBroadening step pauses a pipeline
// when a deployment "would add IAM permissions"
// (https://docs.amazonaws.cn/cdk/api/v2/docs/aws-cdk-lib.pipelines.ConfirmPermissionsBroadening.html).
// Every Allow statement is split into grants (action x resource x principal, with its conditions), and a grant of the new plan that no grant of the base covers is reported. A
// base grant covers a new one when its action and resource patterns match the new values
// (IAM's `*`/`?` wildcards, actions case-insensitive:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html), the
// principal is the same and the base had no condition or the same conditions. A removed Deny
// statement also broadens. Documents unknown in preview cannot be compared and are listed as such.
import type { Resource } from "../shared/resource";
import { asList, type Statement, statementsOf } from "./totals";

type BroadeningKind = "new action" | "new principal" | "wider resource" | "condition relaxed" | "deny removed";

export interface Broadening {
    urn: string;
    /** Where the document sits in the resource's inputs: `policy`, `assumeRolePolicy`, `inlinePolicies[0].policy`. */
    document: string;
    kind: BroadeningKind;
    action: string;
    resource: string;
    principal: string;
}

interface Grant {
    effect: string;
    action: string;
    resource: string;
    principal: string;
    condition: string;
}

/** The policy documents of a resource, by their path in its inputs. */
function documents(resource: Resource): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const key of ["policy", "assumeRolePolicy"]) {
        if (resource.inputs[key] !== undefined) out.set(key, resource.inputs[key]);
    }
    asList(resource.inputs.inlinePolicies).forEach((p, i) => {
        const policy = (p as Statement | undefined)?.policy;
        if (policy !== undefined) out.set(`inlinePolicies[${i}].policy`, policy);
    });
    return out;
}

function principals(statement: Statement): string[] {
    const principal = statement.Principal;
    if (principal === undefined) return ["(identity policy)"];
    if (typeof principal === "string") return [principal];
    return Object.entries(principal as Record<string, unknown>).flatMap(([kind, ids]) =>
        asList(ids).map((id) => `${kind}:${String(id)}`),
    );
}

function grants(statements: Statement[]): Grant[] {
    return statements.flatMap((s) => {
        const effect = String(s.Effect ?? "Allow");
        const actions =
            s.NotAction !== undefined ? asList(s.NotAction).map((a) => `NOT ${String(a)}`) : asList(s.Action);
        const resources =
            s.NotResource !== undefined ? asList(s.NotResource).map((r) => `NOT ${String(r)}`) : asList(s.Resource);
        const condition = s.Condition === undefined ? "" : JSON.stringify(s.Condition);
        return actions.flatMap((action) =>
            (resources.length ? resources : ["(none)"]).flatMap((resource) =>
                principals(s).map((principal) => ({
                    effect,
                    action: String(action),
                    resource: String(resource),
                    principal,
                    condition,
                })),
            ),
        );
    });
}

const patterns = new Map<string, RegExp>();
function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
    const key = `${ignoreCase ? "i" : "s"}${pattern}`;
    let regex = patterns.get(key);
    if (!regex) {
        const body = pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".");
        regex = new RegExp(`^${body}$`, ignoreCase ? "i" : "");
        patterns.set(key, regex);
    }
    return regex.test(value);
}

function covers(base: Grant, grant: Grant): boolean {
    return (
        base.principal === grant.principal &&
        matches(base.action, grant.action, true) &&
        matches(base.resource, grant.resource, false) &&
        (base.condition === "" || base.condition === grant.condition)
    );
}

function classify(base: Grant[], grant: Grant): BroadeningKind {
    const sameAction = base.filter((b) => matches(b.action, grant.action, true));
    if (sameAction.length === 0) return "new action";
    const samePrincipal = sameAction.filter((b) => b.principal === grant.principal);
    if (samePrincipal.length === 0) return "new principal";
    return samePrincipal.some((b) => matches(b.resource, grant.resource, false))
        ? "condition relaxed"
        : "wider resource";
}

/** Grants in `head` that `base` did not allow (base undefined: a new resource, all its grants are new). */
export function broadenings(base: Resource | undefined, head: Resource): { found: Broadening[]; unreadable: string[] } {
    const found: Broadening[] = [];
    const unreadable: string[] = [];
    const baseDocs = base ? documents(base) : new Map<string, unknown>();
    for (const [path, document] of documents(head)) {
        const headStatements = statementsOf(document);
        const baseStatements = baseDocs.has(path) ? statementsOf(baseDocs.get(path)) : [];
        if (!headStatements || !baseStatements) {
            unreadable.push(`${head.urn} ${path}`);
            continue;
        }
        const baseGrants = grants(baseStatements);
        const headGrants = grants(headStatements);
        const allowBase = baseGrants.filter((g) => g.effect === "Allow");
        const report = (g: Grant, kind: BroadeningKind) =>
            found.push({
                urn: head.urn,
                document: path,
                kind,
                action: g.action,
                resource: g.resource,
                principal: g.principal,
            });
        for (const grant of headGrants.filter((g) => g.effect === "Allow")) {
            if (!allowBase.some((b) => covers(b, grant))) report(grant, classify(allowBase, grant));
        }
        const key = (g: Grant) => JSON.stringify(g);
        const headDenies = new Set(headGrants.filter((g) => g.effect === "Deny").map(key));
        for (const deny of baseGrants.filter((g) => g.effect === "Deny")) {
            if (!headDenies.has(key(deny))) report(deny, "deny removed");
        }
    }
    return { found, unreadable };
}
