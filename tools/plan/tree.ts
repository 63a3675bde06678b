import type { Resource } from "../shared/resource";

/** Children by parent URN, in the (URN-sorted) order the evaluation returned them. */
export function childrenByParent(resources: Resource[]): Map<string | undefined, Resource[]> {
    const known = new Set(resources.map((r) => r.urn));
    const byParent = new Map<string | undefined, Resource[]>();
    for (const resource of resources) {
        // Default providers are the engine's, not the program's: `pulumi preview` does not list them either.
        if (resource.type.startsWith("pulumi:providers:")) continue;
        // A parent that was never registered (should not happen) is shown at the top level.
        const parent = resource.parent && known.has(resource.parent) ? resource.parent : undefined;
        byParent.set(parent, [...(byParent.get(parent) ?? []), resource]);
    }
    return byParent;
}

function label(resource: Resource): string {
    const flags = [
        resource.options.protect ? "protect" : "",
        resource.options.retainOnDelete ? "retainOnDelete" : "",
    ].filter(Boolean);
    const kind = resource.custom ? "" : " (component)";
    return `${resource.type} ${resource.name}${kind}${flags.length ? ` [${flags.join(", ")}]` : ""}`;
}

/** The resource tree, components first then resources, drawn with box characters. */
export function renderTree(resources: Resource[]): string[] {
    const byParent = childrenByParent(resources);
    const lines: string[] = [];
    const walk = (resource: Resource, prefix: string, last: boolean, root: boolean) => {
        lines.push(root ? label(resource) : `${prefix}${last ? "└─ " : "├─ "}${label(resource)}`);
        const children = ordered(byParent.get(resource.urn) ?? []);
        const nextPrefix = root ? "" : `${prefix}${last ? "   " : "│  "}`;
        children.forEach((child, i) => walk(child, nextPrefix, i === children.length - 1, false));
    };
    for (const top of ordered(byParent.get(undefined) ?? [])) walk(top, "", true, true);
    return lines;
}

function ordered(resources: Resource[]): Resource[] {
    return [...resources.filter((r) => !r.custom), ...resources.filter((r) => r.custom)];
}
