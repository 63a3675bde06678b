import type { NameContext } from "../names";
import type { Statement } from "../iam/document";

export type ActionCategory = "Source" | "Build" | "Test" | "Approval" | "Deploy" | "Invoke";

/** How many artifacts an action takes or produces, as its reference page states. */
export interface ArtifactCount {
    readonly min: number;
    readonly max: number;
}

/** What a record's permissions may depend on besides the action's own configuration. */
export interface PermissionContext {
    readonly ctx: NameContext;
    /** The action's configuration, as validated against the record. */
    readonly configuration: Readonly<Record<string, string>>;
    /** Roles the action passes to ECS tasks (ECS deploys only). */
    readonly passRoleArns?: readonly string[];
    /** KMS key of an S3 source bucket, when that bucket is encrypted with a customer managed key. */
    readonly sourceKeyArn?: string;
    /** CodeDeploy deployment configuration the deployment group uses (CodeDeploy actions only). */
    readonly deploymentConfigName?: string;
    /** CloudWatch alarms the stage's rollback condition reads. */
    readonly alarms?: readonly string[];
    /** Name of the pipeline running the action (actions that write logs of their own). */
    readonly pipelineName?: string;
}

/**
 * The contract of one CodePipeline action provider, from its AWS action reference page. The model validates every
 * action against it, and the pipeline role's statements for the action come from `permissions`.
 */
export interface ActionRecord {
    /** The action reference page everything here comes from. */
    readonly reference: string;
    readonly category: ActionCategory;
    readonly owner: "AWS";
    readonly provider: string;
    readonly version: "1";
    /** The action exists only in V2 pipelines. */
    readonly v2Only: boolean;
    readonly requiredKeys: readonly string[];
    readonly optionalKeys: readonly string[];
    readonly inputArtifacts: ArtifactCount;
    readonly outputArtifacts: ArtifactCount;
    /**
     * The statements the role running the action needs, from the page's service role permissions section, scoped
     * to this action's resources. Artifact-store access (bucket folder and key) is granted once per pipeline.
     */
    permissions(x: PermissionContext): (Statement | undefined)[];
    /** Rules between keys and artifacts that the page states beyond required/optional (messages without a path). */
    validate?(configuration: Readonly<Record<string, string>>, inputArtifacts: number): string[];
}
