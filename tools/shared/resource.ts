/**
 * The one resource shape of the tools: what the plan records from each registration, what it
 * writes to `resources.json`, and what the audit reads from a plan or a `pulumi stack export`.
 * Only the pack runner translates it to the analyzer protocol's shape.
 */
export interface Resource {
    type: string;
    name: string;
    urn: string;
    /** False for component resources and the stack root. */
    custom: boolean;
    parent?: string;
    inputs: Record<string, unknown>;
    /** What the engine recorded after an update (stack exports only); `analyzeStack` reads these. */
    outputs?: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    options: ResourceOptions;
    /** URN of the provider resource that manages this one (`pulumi:providers:<pkg>`), when known. */
    provider?: string;
}

interface ResourceOptions {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
}

export const STACK_TYPE = "pulumi:pulumi:Stack";
export const PIPELINE_TYPE = "aws:codepipeline/pipeline:Pipeline";
/** The value the engine gives a computed output during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Secret values on the wire: `{ [SIG_KEY]: SECRET_SIG, value }` (@pulumi/pulumi runtime/rpc.ts). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export const NO_OPTIONS: ResourceOptions = {
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    additionalSecretOutputs: [],
};

/** What `npm run plan` writes and `npm run audit` and `--base` read back. */
export interface PlanFile {
    kind: "offline-plan";
    project: string;
    stack: string;
    preview: boolean;
    resources: Resource[];
}
