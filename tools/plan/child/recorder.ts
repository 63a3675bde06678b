// Records every registration with what the engine would see: parent, dependencies, property
// dependencies and options. The SDK's MockMonitor passes only type/name/inputs to `Mocks`, so the
// plan wraps the installed monitor's registerResource and reads the full RegisterResourceRequest
// (proto/resource.proto).
//
// URNs are written as the engine writes them: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`
// where the qualified type is the parent's qualified type, `$`, and the resource's own type; the
// root stack's type is left out (https://pkg.go.dev/github.com/pulumi/pulumi/sdk/v3/go/common/resource/urn).
// The mock monitor keeps only the last parent's type (`Parent$Type` instead of `Grandparent$Parent$Type`).
// Users copy these URNs into `--target` and `pulumi state` commands, so every URN the program sees
// (parent, dependencies, provider, references in inputs) is mapped to the engine's form as it is recorded:
// a resource registers only once its parent and dependencies have their URNs.
import { type Resource, SECRET_SIG, SIG_KEY } from "../../shared/resource";

type Callback = (err: unknown, response?: { getUrn(): string }) => void;
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): unknown } | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void };
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getProvider(): string;
}
interface Monitor {
    registerResource(req: RegisterRequest, callback: Callback): void;
}

/** Records each successful registration; `onRecord` sees each one as it comes, after every resource it refers to. */
export function recordRegistrations(monitor: Monitor, onRecord: (r: Resource) => void = () => undefined): Resource[] {
    const recorded: Resource[] = [];
    const engineUrns = new Map<string, string>();
    const fix = (urn: string) => engineUrns.get(urn) ?? urn;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (err, response) => {
            if (!err && response) {
                const resource = toPlanned(req, response.getUrn(), fix);
                engineUrns.set(response.getUrn(), resource.urn);
                recorded.push(resource);
                onRecord(resource);
            }
            callback(err, response);
        });
    return recorded;
}

function toPlanned(req: RegisterRequest, mockUrn: string, fix: (urn: string) => string): Resource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList().map(fix);
    });
    const parent = req.getParent() ? fix(req.getParent()) : undefined;
    const head = mockUrn.slice(0, mockUrn.indexOf("::", mockUrn.indexOf("::") + 2) + 2);
    const type = req.getType();
    const inputs = decode(req.getObject()?.toJavaScript(), fix);
    return {
        type,
        name: req.getName(),
        urn: `${head}${parent ? `${parent.split("::")[2]}$${type}` : type}::${req.getName()}`,
        custom: req.getCustom(),
        parent,
        inputs:
            inputs && typeof inputs === "object" && !Array.isArray(inputs) ? (inputs as Record<string, unknown>) : {},
        dependencies: req.getDependenciesList().map(fix),
        propertyDependencies,
        options: {
            protect: Boolean(req.getProtect()),
            retainOnDelete: Boolean(req.getRetainondelete()),
            deleteBeforeReplace: req.getDeletebeforereplace(),
            ignoreChanges: req.getIgnorechangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        },
        // An explicit provider reference is `<provider urn>::<provider id>`.
        ...(req.getProvider() ? { provider: fix(req.getProvider().split("::").slice(0, -1).join("::")) } : {}),
    };
}

// Wire properties (google.protobuf.Struct as JS) as the engine presents them to analyzers: secrets
// unwrapped, resource references replaced by their id (custom) or URN (component), unknowns kept as
// the sentinel string. The resource signature is @pulumi/pulumi runtime/rpc.ts specialResourceSig.
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

function decode(value: unknown, fix: (urn: string) => string): unknown {
    if (typeof value === "string") return fix(value);
    if (Array.isArray(value)) return value.map((v) => decode(v, fix));
    if (!value || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) return decode(record.value, fix);
    if (record[SIG_KEY] === RESOURCE_SIG) return record.id || decode(record.urn, fix);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decode(v, fix)]));
}
