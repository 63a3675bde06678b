import { PIPELINE_TYPE, type Resource, UNKNOWN } from "../shared/resource";

const ROLE = "aws:iam/role:Role";

export interface PlanTotals {
    resources: number;
    components: number;
    iamRoles: number;
    pipelines: number;
    rolesPerPipeline: number | null;
    /** Permission statements whose Action (or NotAction) contains `*`. */
    wildcardActionStatements: number;
    /** Policy documents that could not be read (unknown in --preview, or not JSON). */
    unreadablePolicies: number;
}

export type Statement = Record<string, unknown>;

/** Permission documents by type: Role inline policies, RolePolicy and Policy (trust policies excluded). */
function permissionDocuments({ type, inputs }: Resource): unknown[] {
    if (type === ROLE) {
        return Array.isArray(inputs.inlinePolicies)
            ? inputs.inlinePolicies.map((p) => (p as Statement | undefined)?.policy)
            : [];
    }
    return type === "aws:iam/rolePolicy:RolePolicy" || type === "aws:iam/policy:Policy" ? [inputs.policy] : [];
}

/** The statements of an IAM policy document (object or JSON text); undefined when unreadable. */
export function statementsOf(document: unknown): Statement[] | undefined {
    let parsed: unknown = document;
    if (typeof document === "string") {
        if (document.includes(UNKNOWN)) return undefined;
        try {
            parsed = JSON.parse(document);
        } catch {
            return undefined;
        }
    }
    if (!parsed || typeof parsed !== "object") return undefined;
    const statement = (parsed as Statement).Statement;
    return (Array.isArray(statement) ? statement : [statement]).filter(
        (s): s is Statement => !!s && typeof s === "object",
    );
}

export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export function computeTotals(resources: Resource[]): PlanTotals {
    const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const pipelines = custom.filter((r) => r.type === PIPELINE_TYPE).length;
    const iamRoles = custom.filter((r) => r.type === ROLE).length;
    let wildcardActionStatements = 0;
    let unreadablePolicies = 0;
    for (const document of custom.flatMap(permissionDocuments).filter((d) => d !== undefined)) {
        const statements = statementsOf(document);
        if (!statements) unreadablePolicies++;
        else
            wildcardActionStatements += statements.filter((s) =>
                [...asList(s.Action), ...asList(s.NotAction)].some((a) => String(a).includes("*")),
            ).length;
    }
    return {
        resources: custom.length,
        components: resources.filter((r) => !r.custom).length,
        iamRoles,
        pipelines,
        rolesPerPipeline: pipelines ? Math.round((iamRoles / pipelines) * 100) / 100 : null,
        wildcardActionStatements,
        unreadablePolicies,
    };
}
