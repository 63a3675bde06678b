import { PIPELINE_TYPE } from "./pipeline-model";
import type { PlannedResource } from "./types";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
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

/** Permission documents by type: Role inline policies, RolePolicy and Policy (trust policies excluded). */
function policyDocuments(resource: PlannedResource): unknown[] {
    const inputs = resource.inputs as Record<string, any>;
    switch (resource.type) {
        case ROLE:
            return Array.isArray(inputs.inlinePolicies) ? inputs.inlinePolicies.map((p: any) => p?.policy) : [];
        case "aws:iam/rolePolicy:RolePolicy":
        case "aws:iam/policy:Policy":
            return [inputs.policy];
        default:
            return [];
    }
}

function parse(document: unknown): Record<string, any> | undefined {
    if (document && typeof document === "object") return document as Record<string, any>;
    if (typeof document !== "string" || document === UNKNOWN || document.includes(UNKNOWN)) return undefined;
    try {
        return JSON.parse(document);
    } catch {
        return undefined;
    }
}

export function wildcardStatements(document: Record<string, any>): Record<string, any>[] {
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement].filter(Boolean);
    const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
    return statements.filter((s: any) =>
        [...list(s.Action), ...list(s.NotAction)].some((a) => String(a).includes("*")),
    );
}

export function computeTotals(resources: PlannedResource[]): PlanTotals {
    const custom = resources.filter((r) => r.custom);
    const pipelines = custom.filter((r) => r.type === PIPELINE_TYPE).length;
    const iamRoles = custom.filter((r) => r.type === ROLE).length;
    let wildcardActionStatements = 0;
    let unreadablePolicies = 0;
    for (const document of custom.flatMap(policyDocuments).filter((d) => d !== undefined)) {
        const parsed = parse(document);
        if (parsed) wildcardActionStatements += wildcardStatements(parsed).length;
        else unreadablePolicies++;
    }
    return {
        resources: custom.length,
        components: resources.length - custom.length,
        iamRoles,
        pipelines,
        rolesPerPipeline: pipelines ? Math.round((iamRoles / pipelines) * 100) / 100 : null,
        wildcardActionStatements,
        unreadablePolicies,
    };
}
