import * as pulumi from "@pulumi/pulumi";
import { ConfigError, type ConfigSources } from "./config-error";
import { configFromStackValues, type PlatformConfig } from "./platform-config";

/** Reads one key as an object, turning malformed JSON into a ConfigError that names the key. */
function readObject(config: pulumi.Config, key: string, stackFile: string): unknown {
    try {
        return config.getObject<unknown>(key);
    } catch {
        throw new ConfigError(stackFile, [
            {
                path: [key],
                message: "is not valid structured config. Write it as a YAML mapping or list under `config:`.",
            },
        ]);
    }
}

/**
 * Loads and validates the current stack's `cicd:` configuration. Throws `ConfigError` before any resource exists.
 *
 * `cicd:serviceDefaults` is project-level config (in Pulumi.yaml): the CLI passes project-level values to the program
 * with the stack's own keys (https://www.pulumi.com/blog/project-config-mvp/), so `pulumi.Config` returns it like any
 * other key; `npm run plan` passes it the same way (`tools/plan/stack-config.ts`). The Node SDK itself never opens
 * Pulumi.yaml: `pulumi.Config` reads only the `PULUMI_CONFIG` map the language host sets
 * (`@pulumi/pulumi/runtime/config.js`), so under Pulumi's mocks it is whatever the test sets.
 */
export function loadPlatformConfig(): PlatformConfig & {
    readonly stackFile: string;
    /** `aws:defaultTags.tags`: an explicit provider does not read the stack's `aws:` config, so the program does. */
    readonly stackDefaultTags: Record<string, string>;
    /** Names the file of a service's value in errors the model raises (`planEnvironment`). */
    readonly configSources: ConfigSources;
} {
    const stack = pulumi.getStack();
    const stackFile = `Pulumi.${stack}.yaml`;
    const cicd = new pulumi.Config("cicd");
    const aws = new pulumi.Config("aws");
    // Every `cicd:` key the stack has, so a misspelt one is reported rather than ignored (`stacks/namespace.ts`).
    const namespaceKeys = Object.keys(pulumi.runtime.allConfig()).filter((key) => key.startsWith("cicd:"));
    const { layers, ...config } = configFromStackValues(
        {
            ...Object.fromEntries(namespaceKeys.map((key) => [key, undefined])),
            "cicd:environment": readObject(cicd, "environment", stackFile),
            "cicd:serviceDefaults": readObject(cicd, "serviceDefaults", stackFile),
            "cicd:services": readObject(cicd, "services", stackFile),
            "aws:region": aws.get("region"),
            "aws:allowedAccountIds": readObject(aws, "allowedAccountIds", stackFile),
        },
        stack,
    );
    const defaultTags = readObject(aws, "defaultTags", stackFile) as { tags?: Record<string, string> } | undefined;
    return {
        ...config,
        stackFile,
        stackDefaultTags: { ...defaultTags?.tags },
        configSources: { serviceNames: config.services.map((s) => s.name), originOf: layers.originOf },
    };
}
