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
    // In place: the resources were just parsed from the evaluation's result and are not shared, and a
    // copy of every input at 100 services would double the plan process's peak memory.
    const fix = (urn: string) => renamed.get(urn) ?? urn;
    for (const r of resources) {
        r.urn = fix(r.urn);
        if (r.parent) r.parent = fix(r.parent);
        if (r.provider) r.provider = fix(r.provider);
        r.dependencies = r.dependencies.map(fix);
        for (const key of Object.keys(r.propertyDependencies)) {
            r.propertyDependencies[key] = r.propertyDependencies[key].map(fix);
        }
        replaceUrns(r.inputs, renamed);
    }
    return resources;
}

/** Component references in inputs are URNs: rewrite those too, in place. */
function replaceUrns(value: Record<string, unknown> | unknown[], renamed: Map<string, string>): void {
    for (const [key, v] of Object.entries(value)) {
        if (typeof v === "string") {
            const urn = v.startsWith("urn:pulumi:") ? renamed.get(v) : undefined;
            if (urn) (value as Record<string, unknown>)[key] = urn;
        } else if (v && typeof v === "object") {
            replaceUrns(v as Record<string, unknown>, renamed);
        }
    }
}
