import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { permissionsPolicy, trustPolicy } from "./policies";
import type { TargetPlan } from "./target-plan";

export interface DeployTargetRoleArgs {
    /** The validated plan of this target account (see `planTarget`). */
    readonly plan: TargetPlan;
    /**
     * Longest session the pipeline may hold, in seconds (IAM allows 3,600 to 43,200).
     * @default 3600
     */
    readonly maxSessionDuration?: number;
}

/**
 * The role a pipeline account's pipelines assume to deploy into this account, named exactly as the main project's
 * `cicd:environment.deployRoleArns` expects, with its trust and permissions as one inline policy.
 */
export class DeployTargetRole extends pulumi.ComponentResource {
    /** ARN of the role; equals the configured `deployRoleArns` entry. */
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: DeployTargetRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:deploy-target:DeployTargetRole", name, {}, opts);
        const { plan } = args;
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: plan.role.name,
                path: plan.role.path,
                description: `Deploys of the ${plan.pipeline.environment} pipelines of account ${plan.pipeline.accountId}`,
                assumeRolePolicy: JSON.stringify(trustPolicy(plan)),
                maxSessionDuration: args.maxSessionDuration ?? 3600,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-policy`,
            { role: role.name, name: "deploy", policy: JSON.stringify(permissionsPolicy(plan)) },
            { parent: this },
        );
        // The main program's CreatePipeline and resource policies use the configured ARN: a different one is a bug.
        this.roleArn = role.arn.apply((arn) => {
            if (arn !== plan.role.arn)
                throw new Error(`the deploy role was created as ${arn}, but the pipelines expect ${plan.role.arn}`);
            return arn;
        });
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
