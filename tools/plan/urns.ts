// URNs as the engine writes them. A URN is `urn:pulumi:<stack>::<project>::<qualified type>::<name>`
// where the qualified type is the parent's qualified type, `$`, and the resource's own type; the
// root stack's type is left out (https://pkg.go.dev/github.com/pulumi/pulumi/sdk/v3/go/common/resource/urn).
// The SDK's mock monitor keeps only the last parent's type, so a resource two components deep gets
// `Parent$Type` instead of `Grandparent$Parent$Type`. Users copy these URNs into `--target` and
// `pulumi state` commands, so the plan writes the engine's form everywhere a URN appears.
import { type Resource, STACK_TYPE } from "../shared/resource";

export function withEngineUrns(resources: Resource[]): Resource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const qualified = new Map<string, string>();
    const qualify = (r: Resource): string => {
        let type = qualified.get(r.urn);
        if (type === undefined) {
            const parent = r.parent ? byUrn.get(r.parent) : undefined;
            type = parent && parent.type !== STACK_TYPE ? `${qualify(parent)}$${r.type}` : r.type;
            qualified.set(r.urn, type);
        }
        return type;
    };
    const renamed = new Map<string, string>();
    for (const r of resources) {
        const head = r.urn.slice(0, r.urn.indexOf("::", r.urn.indexOf("::") + 2) + 2);
        const urn = `${head}${qualify(r)}::${r.name}`;
        if (urn !== r.urn) renamed.set(r.urn, urn);
    }
    if (renamed.size === 0) return resources;
    const fix = (urn: string) => renamed.get(urn) ?? urn;
    return resources.map((r) => ({
        ...r,
        urn: fix(r.urn),
        parent: r.parent && fix(r.parent),
        provider: r.provider && fix(r.provider),
        dependencies: r.dependencies.map(fix),
        propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies).map(([key, urns]) => [key, urns.map(fix)]),
        ),
        inputs: replaceUrns(r.inputs, renamed) as Record<string, unknown>,
    }));
}

/** Component references in inputs are URNs: rewrite those too. */
function replaceUrns(value: unknown, renamed: Map<string, string>): unknown {
    if (typeof value === "string") return value.startsWith("urn:pulumi:") ? (renamed.get(value) ?? value) : value;
    if (Array.isArray(value)) return value.map((v) => replaceUrns(v, renamed));
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceUrns(v, renamed)]));
    }
    return value;
}
