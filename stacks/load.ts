import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config-error";
import { validatePlatformConfig, type PlatformConfig } from "./platform-config";

/** Reads one `cicd:` key as an object, turning malformed JSON into a ConfigError that names the key. */
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

/** Loads and validates the current stack's `cicd:` configuration. Throws `ConfigError` before any resource exists. */
export function loadPlatformConfig(): PlatformConfig & {
    readonly stackFile: string;
    /** `aws:defaultTags.tags`: an explicit provider does not read the stack's `aws:` config, so the program does. */
    readonly stackDefaultTags: Record<string, string>;
} {
    const stack = pulumi.getStack();
    const stackFile = `Pulumi.${stack}.yaml`;
    const cicd = new pulumi.Config("cicd");
    const raw = {
        environment: readObject(cicd, "environment", stackFile),
        services: readObject(cicd, "services", stackFile),
    };
    const aws = new pulumi.Config("aws");
    const config = validatePlatformConfig(raw, {
        stack,
        awsRegion: aws.get("region"),
        awsAllowedAccountIds: readObject(aws, "allowedAccountIds", stackFile),
    });
    const defaultTags = readObject(aws, "defaultTags", stackFile) as { tags?: Record<string, string> } | undefined;
    return { ...config, stackFile, stackDefaultTags: { ...defaultTags?.tags } };
}
