/**
 * Encoding between plain JavaScript values and the protobuf `Struct`s the analyzer protocol
 * carries, following the engine's conventions:
 * - a value computed during preview travels as the sentinel string {@link UNKNOWN};
 * - a secret travels as `{ [sigKey]: secretSig, value }`
 *   (https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/runtime/rpc.ts);
 * - `undefined` means "absent" and is dropped, as the engine never sends it.
 *
 * The Struct class must come from the google-protobuf copy that `@pulumi/pulumi/proto` loads:
 * a second copy produces messages the generated code cannot serialize.
 */
import * as path from "path";

/** What the engine sends, during preview, in place of a value that is not computed yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const SECRET_BRAND: unique symbol = Symbol.for("cicd-guardrails.harness.secret");

/** A secret value, in and out of the harness. Build one with {@link secret}. */
export interface SecretValue {
    readonly [SECRET_BRAND]: true;
    readonly value: unknown;
}

/** Marks a value as secret, as the engine does for `pulumi.secret(...)` properties. */
export function secret(value: unknown): SecretValue {
    return { [SECRET_BRAND]: true, value };
}

export function isSecret(value: unknown): value is SecretValue {
    return typeof value === "object" && value !== null && SECRET_BRAND in value;
}

interface StructClass {
    fromJavaScript(value: Record<string, unknown>): StructInstance;
}
export interface StructInstance {
    toJavaScript(): Record<string, unknown>;
}

const protoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
// Resolve google-protobuf from the proto folder so both sides share one copy of the runtime.
const structPath = require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [protoDir] });
const Struct: StructClass = require(structPath).Struct;

function toWire(value: unknown): unknown {
    if (isSecret(value)) {
        return { [SIG_KEY]: SECRET_SIG, value: toWire(value.value) ?? null };
    }
    if (Array.isArray(value)) {
        return value.map((item) => toWire(item) ?? null);
    }
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) {
            const wire = toWire(item);
            if (wire !== undefined) {
                out[key] = wire;
            }
        }
        return out;
    }
    if (typeof value === "bigint") {
        return Number(value);
    }
    if (typeof value === "function" || typeof value === "symbol") {
        return undefined;
    }
    return value;
}

function fromWire(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(fromWire);
    }
    if (typeof value === "object" && value !== null) {
        const bag = value as Record<string, unknown>;
        if (bag[SIG_KEY] === SECRET_SIG) {
            return secret(fromWire(bag["value"]));
        }
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(bag)) {
            out[key] = fromWire(item);
        }
        return out;
    }
    return value;
}

/** Plain object (with {@link secret}s and {@link UNKNOWN}s) to a protobuf Struct. */
export function toStruct(props: Record<string, unknown> | undefined): StructInstance {
    const wire = toWire(props ?? {});
    return Struct.fromJavaScript((wire ?? {}) as Record<string, unknown>);
}

/** Protobuf Struct back to a plain object; secrets come back as {@link SecretValue}s. */
export function fromStruct(struct: StructInstance | undefined): Record<string, unknown> {
    return struct ? (fromWire(struct.toJavaScript()) as Record<string, unknown>) : {};
}
