// Turns a registration's wire properties (google.protobuf.Struct as JS) into plain values the way
// the engine presents them to analyzers: secrets unwrapped, resource references replaced by their
// id (custom) or URN (component), unknowns kept as the sentinel string. Signature keys from
// @pulumi/pulumi runtime/rpc.ts (specialSigKey, specialSecretSig, specialResourceSig).
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";

export function decodeValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(decodeValue);
    if (!value || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (record[SIG] === SECRET) return decodeValue(record.value);
    if (record[SIG] === RESOURCE) return record.id || record.urn;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeValue(v)]));
}

export function decodeObject(value: unknown): Record<string, unknown> {
    const decoded = decodeValue(value);
    return decoded && typeof decoded === "object" && !Array.isArray(decoded)
        ? (decoded as Record<string, unknown>)
        : {};
}
