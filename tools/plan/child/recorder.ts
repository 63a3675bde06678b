// Records every registration with what the engine would see: parent, dependencies, property
// dependencies and options. The SDK's MockMonitor passes only type/name/inputs to `Mocks`, so the
// plan wraps the installed monitor's registerResource and reads the full RegisterResourceRequest
// (proto/resource.proto), taking the URN from the mock's own response so child URNs are exactly
// the SDK's `<ParentType>$<Type>` form.
import type { Resource } from "../../shared/resource";
import { decodeObject } from "./decode";

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

/**
 * Records every successful registration, in order, before the program learns its URN: a resource
 * is therefore recorded after every resource it can refer to. `onRecord` sees each one as it comes.
 */
export function recordRegistrations(monitor: Monitor, onRecord: (r: Resource) => void = () => undefined): Resource[] {
    const recorded: Resource[] = [];
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (err, response) => {
            if (!err && response) {
                const resource = toPlanned(req, response.getUrn());
                recorded.push(resource);
                onRecord(resource);
            }
            callback(err, response);
        });
    return recorded;
}

function toPlanned(req: RegisterRequest, urn: string): Resource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    return {
        type: req.getType(),
        name: req.getName(),
        urn,
        custom: req.getCustom(),
        parent: req.getParent() || undefined,
        inputs: decodeObject(req.getObject()?.toJavaScript()),
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        options: {
            protect: Boolean(req.getProtect()),
            retainOnDelete: Boolean(req.getRetainondelete()),
            deleteBeforeReplace: req.getDeletebeforereplace(),
            ignoreChanges: req.getIgnorechangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        },
        // An explicit provider reference is `<provider urn>::<provider id>`.
        ...(req.getProvider() ? { provider: req.getProvider().split("::").slice(0, -1).join("::") } : {}),
    };
}
