/**
 * Plain-object shapes of the analyzer protocol (pulumi/proto/pulumi/analyzer.proto), as the
 * harness accepts and returns them. Property bags may hold `UNKNOWN` and `secret(...)` values.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "" | "low" | "medium" | "high" | "critical";

/** Resource options the engine sends with each resource (the pack refuses requests without them). */
export interface AnalyzerResourceOptions {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
    aliases?: string[];
    parent?: string;
    customTimeouts?: { create?: number; update?: number; delete?: number };
}

/** The provider resource a resource is managed by. */
export interface AnalyzerProviderResource {
    type: string;
    name: string;
    urn: string;
    properties?: Record<string, unknown>;
}

/** One resource, as `analyze` (inputs) or `analyzeStack` (outputs) receives it. */
export interface AnalyzerResource {
    type: string;
    name: string;
    urn: string;
    properties: Record<string, unknown>;
    options?: AnalyzerResourceOptions;
    provider?: AnalyzerProviderResource;
    /** URN of the parent resource (analyzeStack only). */
    parent?: string;
    /** URNs this resource depends on (analyzeStack only). */
    dependencies?: string[];
    /** For each input property, the URNs whose outputs fed it (analyzeStack only). */
    propertyDependencies?: Record<string, string[]>;
}

/** One policy finding. */
export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    message: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    /** The resource the finding is about ("" when the pack did not say). */
    urn: string;
}

/** A policy for which the pack answered "not applicable", with its reason. */
export interface NotApplicable {
    policyName: string;
    reason: string;
}

export interface AnalyzeResult {
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
}

/** One remediation a `remediate` call applied (or could not apply, see `diagnostic`). */
export interface Remediation {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    /** The resource's properties after this remediation, if it changed them. */
    properties?: Record<string, unknown>;
    /** Set when the remediation could not run (e.g. an unknown value during preview). */
    diagnostic: string;
}

export interface RemediateResult {
    remediations: Remediation[];
    notApplicable: NotApplicable[];
}

/** A policy as `getAnalyzerInfo` describes it. */
export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** JSON schema of the policy's configuration (`properties` and `required`), if any. */
    configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    /** Config the pack was constructed with, per policy. */
    initialConfig: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;
}

/** Per-policy configuration, as in a `--policy-pack-config` file. */
export type PolicyPackConfig = Record<
    string,
    EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

/** What `configureStack` tells the pack about the stack being analysed. */
export interface StackContext {
    stack: string;
    project: string;
    organization?: string;
    tags?: Record<string, string>;
    /** True for a preview, false for an update. */
    dryRun: boolean;
    config?: Record<string, string>;
}
