import type { ConfigIssue } from "./config-error";
import { releaseRoleOf } from "./release-schema";
import type { MergedServices } from "./service-layers";
import type { PlatformConfig } from "./platform-config";

/**
 * Keys of a service that an environment fed by releases (`verify`, `release`) never reads: its pipelines start from
 * the release bucket and deploy the build output that came with the release (model/release-pipeline.ts), so the git
 * source, its push triggers and how the build compiles and packages are the building environment's. Its test
 * suites still read `build.image`, `computeType`, `timeoutMinutes`, `commands.install`, and the `environment` and
 * `secrets` that install step uses (model/projects.ts). Set in Pulumi.yaml these keys are shared and fine; set in this environment's stack file they would look
 * effective and do nothing, so they are errors.
 */
const UNREAD_WHERE_RELEASED: readonly (readonly string[])[] = [
    ["source"],
    ["triggers"],
    ...["buildspecFile", "artifactFiles", "artifactBaseDirectory", "containerImage", "imageRepository"].map((key) => [
        "build",
        key,
    ]),
    ...["containerName", "cache", "cachePaths"].map((key) => ["build", key]),
    ...["preBuild", "build", "postBuild"].map((key) => ["build", "commands", key]),
];

const valueAt = (root: unknown, path: readonly string[]): unknown =>
    path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);

/** Every key under `value` as a path (a list or a scalar is one leaf). */
function leaves(value: unknown, path: readonly string[]): string[][] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [[...path]];
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, [...path, key]));
}

/** A stack-file value this environment ignores, named with the reason and the fix. */
export function ignoredOverrides(config: PlatformConfig, layers: Pick<MergedServices, "originOf">): ConfigIssue[] {
    const role = releaseRoleOf(config.environment);
    if (role === "build") return [];
    // A service this stack file alone defines must still give every key the schema requires (its source and build
    // among them); only a service that Pulumi.yaml defines for every environment has a shared place for them.
    const shared = config.services.filter((service) => ["merged", "project"].includes(layers.originOf([service.name])));
    return config.services.flatMap((service, i) =>
        !shared.includes(service)
            ? []
            : UNREAD_WHERE_RELEASED.flatMap((key) =>
                  (valueAt(service, key) === undefined ? [] : leaves(valueAt(service, key), key))
                      .filter((path) => ["stack", "both"].includes(layers.originOf([service.name, ...path])))
                      .map((path) => ({
                          path: ["services", i, ...path],
                          message: `is ignored here: ${config.environment.name} deploys the releases ${config.environment.release?.from?.environment ?? "upstream"} promotes (release role "${role}"), so its pipelines start from the release bucket and never build: they read neither the git source, its triggers, nor how the build compiles and packages. Remove it from this stack file.`,
                      })),
              ),
    );
}
