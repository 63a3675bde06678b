/**
 * Entry of the compiled pack (`npm run build` → dist/start.js), which the audit and plan run with
 * plain `node` for a start-up under a second. `pulumi preview --policy-pack` keeps using index.ts.
 *
 * @pulumi/policy loads all of @pulumi/pulumi, whose closure serializer requires the TypeScript
 * compiler up front (`@pulumi/pulumi/typescript-shim`): about 400 ms of a one-second start. A pack
 * never serializes closures, so the shim is registered as a module whose exports load TypeScript
 * on first use: behaviour is unchanged if anything ever does touch it.
 */
import Module = require("module");

function deferTypeScript(): void {
    let shimPath: string;
    try {
        shimPath = require.resolve("@pulumi/pulumi/typescript-shim");
    } catch {
        return; // An SDK without the shim: nothing to defer.
    }
    const cache = (Module as unknown as { _cache: Record<string, Module> })._cache;
    let real: object | undefined;
    // First use: drop the placeholder and load the SDK's own shim (its TypeScript, or its vendored copy).
    const load = (): object => {
        if (real === undefined) {
            delete cache[shimPath];
            real = require(shimPath) as object;
        }
        return real;
    };
    const lazy = new Proxy({}, { get: (_t, key) => Reflect.get(load(), key), has: (_t, key) => key in load() });
    const cached = new Module(shimPath);
    cached.filename = shimPath;
    cached.loaded = true;
    cached.exports = lazy;
    cache[shimPath] = cached;
}

deferTypeScript();
require("./index");
