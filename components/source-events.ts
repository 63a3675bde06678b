import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SourceEventsPlan } from "../model/environment";

export interface SourceEventsArgs {
    /** Role name, path, trust and policy (which pipelines EventBridge may start), from the environment plan. */
    readonly plan: SourceEventsPlan;
}

/**
 * The environment's one EventBridge role for CodeCommit and S3 sources, shared by their pipelines so that no
 * pipeline needs a fourth role. CodeConnections sources need none: their V2 triggers start the pipeline.
 */
export class SourceEvents extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;
    /** The role's policy: rules' targets depend on it, so EventBridge can start the pipeline from the first event. */
    public readonly rolePolicy: aws.iam.RolePolicy;

    constructor(name: string, args: SourceEventsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:source:SourceEvents", name, {}, opts);
        const { plan } = args;
        const role = new aws.iam.Role(
            `${name}-role`,
            { name: plan.roleName, path: plan.rolePath, assumeRolePolicy: JSON.stringify(plan.trustPolicy) },
            { parent: this },
        );
        this.rolePolicy = new aws.iam.RolePolicy(
            `${name}-policy`,
            { role: role.id, policy: JSON.stringify(plan.policy) },
            { parent: this },
        );
        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
