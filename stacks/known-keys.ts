import { closest, distance } from "fastest-levenshtein";
import type { z } from "zod";

/**
 * The keys a zod schema allows at a path of the config, found by walking the schema the way the parser does: into
 * objects by key, lists by element, records by value, and into the one option of a discriminated union that the
 * input's discriminator (`kind`) picks. Used to suggest the nearest valid key for a misspelt one.
 */

type Schema = z.core.$ZodType;

interface Def {
    readonly type: string;
    readonly shape?: Record<string, Schema>;
    readonly innerType?: Schema;
    readonly in?: Schema;
    readonly element?: Schema;
    readonly valueType?: Schema;
    readonly items?: readonly Schema[];
    readonly options?: readonly Schema[];
    readonly discriminator?: string;
}

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Through the wrappers that do not change the keys (default, optional, nullable, pipe, readonly...). */
function unwrap(schema: Schema): Schema {
    let current = schema;
    for (;;) {
        const def = defOf(current);
        const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
        if (!inner) return current;
        current = inner;
    }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

/** The object schemas `schema` may be for this input (one, or every option of a union it cannot tell apart). */
function objectsFor(schema: Schema, input: unknown): Schema[] {
    const current = unwrap(schema);
    const def = defOf(current);
    if (def.type === "object") return [current];
    if (def.type === "union" && def.options) {
        const objects = def.options.flatMap((option) => objectsFor(option, input));
        const key = def.discriminator;
        if (key === undefined || !isObject(input)) return objects;
        const picked = objects.filter((option) => {
            const literal = unwrap(defOf(option).shape?.[key] ?? option);
            const values = (literal as unknown as { _zod: { values?: Set<unknown> } })._zod.values;
            return values?.has(input[key]) ?? false;
        });
        return picked.length > 0 ? picked : objects;
    }
    return [];
}

function childOf(schema: Schema, segment: PropertyKey, input: unknown): Schema | undefined {
    const current = unwrap(schema);
    const def = defOf(current);
    if (def.type === "array") return def.element;
    if (def.type === "tuple") return typeof segment === "number" ? def.items?.[segment] : undefined;
    if (def.type === "record") return def.valueType;
    const [object] = objectsFor(current, input);
    return object ? defOf(object).shape?.[String(segment)] : undefined;
}

/** The keys allowed at `path` (of `input`, parsed by `root`); empty when the path leads nowhere known. */
export function knownKeysAt(root: Schema, path: readonly PropertyKey[], input: unknown): string[] {
    let schema: Schema | undefined = root;
    let value = input;
    for (const segment of path) {
        if (!schema) return [];
        schema = childOf(schema, segment, value);
        value = isObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
    }
    if (!schema) return [];
    return [...new Set(objectsFor(schema, value).flatMap((object) => Object.keys(defOf(object).shape ?? {})))];
}

/** The nearest of `keys` to a misspelt `key`, when it is a few edits away. */
export function nearestKey(key: string, keys: readonly string[]): string | undefined {
    if (keys.length === 0) return undefined;
    const nearest = closest(key, [...keys]);
    return distance(key, nearest) <= Math.max(2, Math.floor(key.length / 4)) ? nearest : undefined;
}
