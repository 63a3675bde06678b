/**
 * Joining a resource to the one it configures (e.g. a BucketPublicAccessBlock to its Bucket) in
 * stack validation. Ids are unknown during preview, so the primary join is `propertyDependencies`:
 * the URNs whose outputs fed the named input (`bucket: bucket.id` records the bucket's URN).
 * When that is absent (state exports, literal names) the input's known value is matched against
 * the target's known name or id.
 *
 * The candidates are indexed once per stack (by feeding URN and by literal value), so joining every
 * bucket of a 10,000-resource stack stays linear instead of scanning the stack per bucket.
 */
import { PolicyResource } from "@pulumi/policy";
import { asString, dig, plain } from "./props";

/** Known identifiers of a resource: its `id` (if present in the bag) and the given name inputs. */
export function knownIdentifiers(resource: PolicyResource, nameKeys: string[]): Set<string> {
    const props = plain(resource.props);
    const ids = ["id", ...nameKeys].map((key) => asString(dig(props, key))).filter((v): v is string => !!v);
    return new Set(ids);
}

/** Candidates of some types, indexed by what fed their `input`. */
export interface JoinIndex {
    readonly byUrn: ReadonlyMap<string, PolicyResource[]>;
    readonly byValue: ReadonlyMap<string, PolicyResource[]>;
}

function push(map: Map<string, PolicyResource[]>, key: string, resource: PolicyResource): void {
    const list = map.get(key);
    if (list) list.push(resource);
    else map.set(key, [resource]);
}

/** Indexes the resources of `types` by the URNs that fed `input` and by its known literal value. */
export function joinIndex(resources: readonly PolicyResource[], types: readonly string[], input: string): JoinIndex {
    const byUrn = new Map<string, PolicyResource[]>();
    const byValue = new Map<string, PolicyResource[]>();
    for (const candidate of resources) {
        if (!types.includes(candidate.type)) continue;
        for (const dep of candidate.propertyDependencies?.[input] ?? []) push(byUrn, dep.urn, candidate);
        const value = asString(dig(plain(candidate.props), input));
        if (value !== undefined) push(byValue, value, candidate);
    }
    return { byUrn, byValue };
}

/** Indexed candidates fed by `target` (or naming it literally), each once. */
export function joinedTo(target: PolicyResource, index: JoinIndex, targetNameKeys: string[]): PolicyResource[] {
    const found = new Set(index.byUrn.get(target.urn) ?? []);
    for (const id of knownIdentifiers(target, targetNameKeys)) {
        for (const candidate of index.byValue.get(id) ?? []) found.add(candidate);
    }
    return [...found];
}
