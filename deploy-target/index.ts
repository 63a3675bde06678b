import { deployTarget } from "./program";

// Run in each target account before the pipeline account's `pulumi up` (see the README, "Deploying across
// accounts"): the pipeline account's key policy, bucket policy and CreatePipeline all need this role to exist.
const { plan, role } = deployTarget();

/** Paste-free check: this must equal `cicd:environment.deployRoleArns[<this account>]` of the pipeline stack. */
export const deployRoleArn = role.roleArn;
export const expectedDeployRoleArn = plan.role.arn;
export const pipelines = plan.pipelines.map((p) => p.pipelineName);
