import type * as pulumi from "@pulumi/pulumi";
import type { NameContext } from "../../model/names";

/** What every deploy translation receives. */
export interface DeployTranslationArgs<C> {
    /** Prefix for child names, e.g. `web-deploy`. */
    readonly name: string;
    /** The component that owns the resources. */
    readonly parent: pulumi.Resource;
    readonly ctx: NameContext;
    readonly service: string;
    readonly config: C;
    /** CodeDeploy service role, present for kinds that use CodeDeploy. */
    readonly deployRoleArn?: pulumi.Input<string>;
    readonly tags: Record<string, string>;
    /** Resources that must exist first (the deploy role's policy). */
    readonly dependsOn: pulumi.Resource[];
}

/** Creates the resources a deploy kind needs besides the pipeline action; returns them. */
export type DeployTranslation<C> = (args: DeployTranslationArgs<C>) => pulumi.Resource[];
