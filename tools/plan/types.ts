/** One registration as the plan saw it (the plan's own record; see `toAnalyzerResource`). */
export interface PlannedResource {
    type: string;
    name: string;
    urn: string;
    /** False for ComponentResources (and the synthetic stack root). */
    custom: boolean;
    parent?: string;
    inputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    options: PlannedOptions;
}

export interface PlannedOptions {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    provider?: string;
}

/** What the child process hands back to the CLI. */
export type EvaluationResult =
    | { ok: true; project: string; stack: string; preview: boolean; resources: PlannedResource[]; peakRssMb: number }
    | { ok: false; error: ProgramFailure };

export interface ProgramFailure {
    /** "config": the program rejected its configuration; "crash": anything else. */
    kind: "config" | "crash";
    message: string;
    stack?: string;
}

/** The resource shape the policy harness and `npm run audit` consume. */
export interface AnalyzerResource {
    type: string;
    name: string;
    urn: string;
    properties: Record<string, unknown>;
    options?: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export interface PlanFile {
    stack: string;
    project: string;
    resources: AnalyzerResource[];
}
