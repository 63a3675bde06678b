import type { z } from "zod";
import type { NameContext } from "../names";

/** What the pipeline's Deploy action looks like for one deploy kind (pure data, no resources). */
export interface DeployActionSpec {
    /** CodePipeline action provider, e.g. `ECS`, `CodeDeployToECS`, `CodeDeploy`, `S3`. */
    readonly provider: string;
    readonly configuration: Readonly<Record<string, string>>;
    /** Names of the pipeline artifacts the action reads. */
    readonly inputArtifacts: readonly string[];
}

export interface DeployContext extends NameContext {
    readonly service: string;
    /** Name of the artifact the Build stage produces. */
    readonly buildArtifact: string;
}

/**
 * One way of deploying a service. Adding a kind means: a module implementing this interface, its entry in
 * `DEPLOY_KINDS`, one translation case in `components/deploy/`, and tests for both.
 */
export interface DeployKind<K extends string, S extends z.ZodType> {
    readonly kind: K;
    /** Config schema for `cicd:services[i].deploy` when `kind` is this kind. */
    readonly schema: S;
    /** Whether CodeDeploy does the work, so the pipeline needs a CodeDeploy application and a deploy role. */
    readonly usesCodeDeploy: boolean;
    /** The CodePipeline action for this deploy. */
    action(config: z.infer<S>, ctx: DeployContext): DeployActionSpec;
    /** One line for plans and diagrams, e.g. `ECS blue/green web-cluster/web`. */
    summary(config: z.infer<S>): string;
}
