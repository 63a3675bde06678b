// URNs as the engine writes them. A URN is `urn:pulumi:<stack>::<project>::<qualified type>::<name>`
// where the qualified type is the parent's qualified type, `$`, and the resource's own type; the
// root stack's type is left out (https://pkg.go.dev/github.com/pulumi/pulumi/sdk/v3/go/common/resource/urn).
// The SDK's mock monitor keeps only the last parent's type, so a resource two components deep gets
// `Parent$Type` instead of `Grandparent$Parent$Type`. Users copy these URNs into `--target` and
// `pulumi state` commands, so the plan writes the engine's form everywhere a URN appears.
import { type Resource, STACK_TYPE } from "../shared/resource";

/**
 * Rewrites resources to engine URNs one at a time, in registration order: a resource refers (parent,
 * provider, dependencies, component references in inputs) only to resources registered before it,
 * whose URN is known to the program only once their registration returned. So each resource can be
 * judged by the pack as soon as it is registered, under the URN the engine would give it.
 */
export class EngineUrns {
    private readonly qualified = new Map<string, string>();
    private readonly renamed = new Map<string, string>();

    /** `resource`, rewritten in place (it was just parsed and is not shared). */
    add(r: Resource): Resource {
        const parentType = r.parent ? this.qualified.get(this.fix(r.parent)) : undefined;
        const type = parentType !== undefined ? `${parentType}$${r.type}` : r.type;
        const head = r.urn.slice(0, r.urn.indexOf("::", r.urn.indexOf("::") + 2) + 2);
        const urn = `${head}${type}::${r.name}`;
        if (urn !== r.urn) this.renamed.set(r.urn, urn);
        if (r.type !== STACK_TYPE) this.qualified.set(urn, type);
        if (this.renamed.size > 0) {
            r.urn = urn;
            if (r.parent) r.parent = this.fix(r.parent);
            if (r.provider) r.provider = this.fix(r.provider);
            r.dependencies = r.dependencies.map((u) => this.fix(u));
            for (const key of Object.keys(r.propertyDependencies)) {
                r.propertyDependencies[key] = r.propertyDependencies[key].map((u) => this.fix(u));
            }
            replaceUrns(r.inputs, this.renamed);
        }
        return r;
    }

    private fix(urn: string): string {
        return this.renamed.get(urn) ?? urn;
    }
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
