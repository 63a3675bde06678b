/**
 * Joining a resource to the one it configures (e.g. a BucketPublicAccessBlock to its Bucket) in
 * stack validation. Ids are unknown during preview, so the primary join is `propertyDependencies`:
 * the URNs whose outputs fed the named input (`bucket: bucket.id` records the bucket's URN).
 * When that is absent (state exports, literal names) the input's known value is matched against
 * the target's known name or id.
 */
import { PolicyResource } from "@pulumi/policy";
import { asString, dig, plain } from "./props";

/** Known identifiers of a resource: its `id` (if present in the bag) and the given name inputs. */
export function knownIdentifiers(resource: PolicyResource, nameKeys: string[]): Set<string> {
    const props = plain(resource.props);
    const ids = ["id", ...nameKeys].map((key) => asString(dig(props, key))).filter((v): v is string => !!v);
    return new Set(ids);
}

/** Resources of `types` whose `input` was fed by `target` (or names it literally). */
export function joinedTo(
    target: PolicyResource,
    candidates: PolicyResource[],
    types: readonly string[],
    input: string,
    targetNameKeys: string[],
): PolicyResource[] {
    const ids = knownIdentifiers(target, targetNameKeys);
    return candidates.filter((candidate) => {
        if (!types.includes(candidate.type)) {
            return false;
        }
        const fedBy = candidate.propertyDependencies?.[input] ?? [];
        if (fedBy.some((dep) => dep.urn === target.urn)) {
            return true;
        }
        const value = asString(dig(plain(candidate.props), input));
        return value !== undefined && ids.has(value);
    });
}
