/**
 * The bootstrap: run once per AWS account, before the first PR preview (see the README, "Running it for real").
 *   pulumi -C bootstrap stack init <account-stack> && pulumi -C bootstrap up
 * Its outputs are the role ARNs the workflows assume (GitHub variables `AWS_PREVIEW_ROLE_ARNS` and, per GitHub
 * environment, `AWS_DEPLOY_ROLE_ARN`).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE, readBootstrapConfig } from "./config";
import { GitHubAccess } from "./github-access";
import { stackRegion } from "./region";

const cfg = new pulumi.Config(NAMESPACE);
const raw: Record<string, unknown> = {};
for (const key of ["accountId", "githubRepository", "existingOidcProviderArn"]) {
    const value = cfg.get(key);
    if (value !== undefined) raw[key] = value;
}
const environments = cfg.getObject<unknown>("environments");
if (environments !== undefined) raw.environments = environments;

// Throws before any resource is registered when a key is wrong.
const config = readBootstrapConfig(raw, __dirname);
const region = stackRegion(new pulumi.Config("aws").get("region"));

// The provider refuses credentials of any other account, and uses the stack's region, not the environment's.
const provider = new aws.Provider("account", { allowedAccountIds: [config.accountId], region: region as aws.Region });
const access = new GitHubAccess("github", { config }, { providers: [provider] });

export const oidcProviderArn = access.oidcProviderArn;
export const previewRoleArn = access.previewRoleArn;
export const deployRoleArns = access.deployRoleArns;
