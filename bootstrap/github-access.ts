import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BootstrapConfig } from "./config";
import {
    environmentSubject,
    GITHUB_OIDC_URL,
    githubTrustPolicy,
    previewPolicy,
    pullRequestSubject,
    splitDeployerPolicy,
    STS_AUDIENCE,
} from "./documents";

export interface GitHubAccessArgs {
    /** The validated bootstrap configuration (`readBootstrapConfig`). */
    readonly config: BootstrapConfig;
    /**
     * IAM path of the roles and policies.
     * @default "/cicd/github/"
     */
    readonly path?: string;
}

/**
 * What GitHub Actions needs in one account, and nothing more: GitHub's OIDC provider, a read-only role for PR
 * previews, and one deploy role per environment, each trusted by exactly one OIDC subject of one repository.
 */
export class GitHubAccess extends pulumi.ComponentResource {
    public readonly oidcProviderArn: pulumi.Output<string>;
    public readonly previewRoleArn: pulumi.Output<string>;
    /** Deploy role ARN per environment: the `AWS_DEPLOY_ROLE_ARN` variable of that GitHub environment. */
    public readonly deployRoleArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: GitHubAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:bootstrap:GitHubAccess", name, {}, opts);
        const { config } = args;
        const path = args.path ?? "/cicd/github/";
        const child = { parent: this };

        // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
        // No thumbprint: IAM validates GitHub's certificate against its trusted root CAs and ignores thumbprints
        // for GitHub (https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateOpenIDConnectProviderThumbprint.html).
        // Protected: other roles of the account may trust it.
        this.oidcProviderArn = config.existingOidcProviderArn
            ? pulumi.output(config.existingOidcProviderArn)
            : new aws.iam.OpenIdConnectProvider(
                  `${name}-oidc-provider`,
                  { url: GITHUB_OIDC_URL, clientIdLists: [STS_AUDIENCE] },
                  { parent: this, protect: true },
              ).arn;

        const previewRole = new aws.iam.Role(
            `${name}-preview-role`,
            {
                name: "cicd-github-preview",
                path,
                description: `pulumi preview on pull requests of ${config.githubRepository} (read only)`,
                assumeRolePolicy: this.oidcProviderArn.apply((arn) =>
                    JSON.stringify(githubTrustPolicy(arn, pullRequestSubject(config.githubRepository))),
                ),
                maxSessionDuration: 3600,
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-preview-read`,
            {
                role: previewRole.name,
                name: "preview-read",
                policy: JSON.stringify(previewPolicy(config.accountId, Object.keys(config.environments))),
            },
            child,
        );
        this.previewRoleArn = previewRole.arn;

        this.deployRoleArns = {};
        for (const [env, { deployerPolicy }] of Object.entries(config.environments)) {
            const role = new aws.iam.Role(
                `${name}-deploy-${env}-role`,
                {
                    name: `cicd-github-deploy-${env}`,
                    path,
                    description: `pulumi up of ${env} from the ${env} GitHub environment of ${config.githubRepository}`,
                    assumeRolePolicy: this.oidcProviderArn.apply((arn) =>
                        JSON.stringify(githubTrustPolicy(arn, environmentSubject(config.githubRepository, env))),
                    ),
                    maxSessionDuration: 3600,
                },
                child,
            );
            // Managed policies: a deployer policy can outgrow the 10,240 characters of a role's inline policies.
            splitDeployerPolicy(deployerPolicy).forEach((part, i) => {
                const policy = new aws.iam.Policy(
                    `${name}-deploy-${env}-policy-${i + 1}`,
                    {
                        name: `cicd-github-deploy-${env}-${i + 1}`,
                        path,
                        description: `deployer policy of ${env}, part ${i + 1} (npm run deployer-policy -- --stack ${env})`,
                        policy: JSON.stringify(part),
                    },
                    child,
                );
                new aws.iam.RolePolicyAttachment(
                    `${name}-deploy-${env}-policy-${i + 1}`,
                    { role: role.name, policyArn: policy.arn },
                    child,
                );
            });
            this.deployRoleArns[env] = role.arn;
        }
        this.registerOutputs({
            oidcProviderArn: this.oidcProviderArn,
            previewRoleArn: this.previewRoleArn,
            deployRoleArns: this.deployRoleArns,
        });
    }
}
