import type { PlannedResource } from "./types";

/** Children by parent URN, in the (URN-sorted) order the evaluation returned them. */
export function childrenByParent(resources: PlannedResource[]): Map<string | undefined, PlannedResource[]> {
    const known = new Set(resources.map((r) => r.urn));
    const byParent = new Map<string | undefined, PlannedResource[]>();
    for (const resource of resources) {
        // A parent that was never registered (should not happen) is shown at the top level.
        const parent = resource.parent && known.has(resource.parent) ? resource.parent : undefined;
        byParent.set(parent, [...(byParent.get(parent) ?? []), resource]);
    }
    return byParent;
}

function label(resource: PlannedResource): string {
    const flags = [
        resource.options.protect ? "protect" : "",
        resource.options.retainOnDelete ? "retainOnDelete" : "",
    ].filter(Boolean);
    const kind = resource.custom ? "" : " (component)";
    return `${resource.type} ${resource.name}${kind}${flags.length ? ` [${flags.join(", ")}]` : ""}`;
}

/** The resource tree, components first then resources, drawn with box characters. */
export function renderTree(resources: PlannedResource[]): string[] {
    const byParent = childrenByParent(resources);
    const lines: string[] = [];
    const walk = (resource: PlannedResource, prefix: string, last: boolean, root: boolean) => {
        lines.push(root ? label(resource) : `${prefix}${last ? "└─ " : "├─ "}${label(resource)}`);
        const children = ordered(byParent.get(resource.urn) ?? []);
        const nextPrefix = root ? "" : `${prefix}${last ? "   " : "│  "}`;
        children.forEach((child, i) => walk(child, nextPrefix, i === children.length - 1, false));
    };
    for (const top of ordered(byParent.get(undefined) ?? [])) walk(top, "", true, true);
    return lines;
}

function ordered(resources: PlannedResource[]): PlannedResource[] {
    return [...resources.filter((r) => !r.custom), ...resources.filter((r) => r.custom)];
}
