/**
 * Unknown-safe, crash-safe access to the property bags the policy SDK hands to policies.
 *
 * What @pulumi/policy 1.x actually passes (read from its proxy.js / deserialize.js / secret.js):
 * - `props` is wrapped in `unknownCheckingProxy`: reading a field whose value is one of seven
 *   sentinel strings (unknown string, number, bool, array, object, asset, archive) throws
 *   `UnknownValueError`, which the SDK downgrades to an *advisory* "can't run during preview" note.
 *   A mandatory presence check written against the proxy would therefore never block a preview.
 * - Every proxy answers the `__getSpecialProxyTarget` key with the raw object underneath.
 * - `analyze` / `analyzeStack` unwrap secrets to plain values; `remediate` keeps them as
 *   `Secret` instances behind a second, secrets-preserving proxy.
 *
 * `plain()` strips all of that into ordinary JSON data in which unknowns are still the sentinel
 * strings, so policies decide for themselves what an unknown means (present, but not judgeable).
 */
import { Secret } from "@pulumi/policy";

const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The sentinel the engine sends for a computed string during preview (used by tests too). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Json = unknown;
export type Bag = Record<string, unknown>;

/** True when the value is one of the engine's "computed during preview" sentinels. */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

function proxyTarget(value: unknown): unknown {
    let current = value;
    // Both SDK proxies answer these keys without throwing; unwrap nested proxies (remediate).
    for (let depth = 0; depth < 4 && current instanceof Object; depth++) {
        const bag = current as Record<string, unknown>;
        if (bag["__isSpecialProxy"] !== true) {
            break;
        }
        current = bag["__getSpecialProxyTarget"];
    }
    return current;
}

/** Deep copy into plain JSON-like data: no proxies, no Secret wrappers, sentinels kept. */
export function plain(value: unknown, depth = 0): Json {
    let current = proxyTarget(value);
    if (current instanceof Secret) {
        current = proxyTarget(current.value);
    }
    if (depth > 64 || current === null || typeof current !== "object") {
        return current;
    }
    if (Array.isArray(current)) {
        return current.map((item) => plain(item, depth + 1));
    }
    const out: Bag = {};
    for (const key of Object.keys(current)) {
        out[key] = plain((current as Bag)[key], depth + 1);
    }
    return out;
}

/** A plain object (not an array, not an unknown), or undefined. */
export function asBag(value: unknown): Bag | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Bag) : undefined;
}

/** An array, or undefined for anything else (including an unknown array). */
export function asArray(value: unknown): unknown[] | undefined {
    return Array.isArray(value) ? value : undefined;
}

/** A known string, or undefined (unknown sentinels are not returned as strings). */
export function asString(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** Read `obj.a.b.c` from plain data; undefined when any step is missing or not an object. */
export function dig(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        const bag = asBag(current);
        if (!bag || !Object.prototype.hasOwnProperty.call(bag, key)) {
            return undefined;
        }
        current = bag[key];
    }
    return current;
}

/** Set and not empty: null, undefined and "" count as absent; an unknown counts as present. */
export function isPresent(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** `true`, the string "true", or unknown (benefit of the doubt in preview). */
export function isTrueOrUnknown(value: unknown): boolean {
    return value === true || value === "true" || isUnknown(value);
}
