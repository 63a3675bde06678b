import type { AnalyzerResource, PlannedResource } from "./types";

const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * Adds the root stack resource the engine creates (`pulumi:pulumi:Stack`, named
 * `<project>-<stack>`) and parents top-level resources to it, as in a real deployment. Their URNs
 * keep no parent-type prefix: the engine omits the root stack's type from child URNs.
 */
export function withStackRoot(project: string, stack: string, resources: PlannedResource[]): PlannedResource[] {
    const root: PlannedResource = {
        type: STACK_TYPE,
        name: `${project}-${stack}`,
        urn: `urn:pulumi:${stack}::${project}::${STACK_TYPE}::${project}-${stack}`,
        custom: false,
        inputs: {},
        dependencies: [],
        propertyDependencies: {},
        options: {
            protect: false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            ignoreChanges: [],
            additionalSecretOutputs: [],
        },
    };
    return [root, ...resources.map((r) => (r.parent ? r : { ...r, parent: root.urn }))];
}

export function toAnalyzerResource(resource: PlannedResource): AnalyzerResource {
    const { protect, retainOnDelete, deleteBeforeReplace, ignoreChanges, additionalSecretOutputs, provider } =
        resource.options;
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        properties: resource.inputs,
        options: {
            protect,
            retainOnDelete,
            deleteBeforeReplace,
            ignoreChanges,
            additionalSecretOutputs,
            aliases: [],
            ...(provider ? { provider } : {}),
        },
        ...(resource.parent ? { parent: resource.parent } : {}),
        dependencies: resource.dependencies,
        propertyDependencies: resource.propertyDependencies,
    };
}
