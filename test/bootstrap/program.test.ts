import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readBootstrapConfig } from "../../bootstrap/config";
import { GitHubAccess } from "../../bootstrap/github-access";
import { githubTrustPolicy, oidcProviderArn, previewPolicy, splitDeployerPolicy } from "../../bootstrap/documents";
import { main as plan } from "../../tools/plan";
import { childrenOf, find, withMocks } from "../support/mock-runtime";

const ACCOUNT = "333333333333";
const FIXTURES = path.join(__dirname, "fixtures");
const config = (extra: Record<string, unknown> = {}) =>
    readBootstrapConfig(
        {
            accountId: ACCOUNT,
            githubRepository: "acme/pulumi-cicd-platform",
            environments: {
                staging: { deployerPolicyFile: "deployer-policy.json" },
                prod: { deployerPolicyFile: "deployer-policy.json" },
            },
            ...extra,
        },
        FIXTURES,
    );
const json = (value: unknown) => JSON.parse(String(value));

describe("bootstrap: GitHubAccess under Pulumi mocks", () => {
    it("creates GitHub's OIDC provider (protected, STS audience), the preview role and a deploy role per environment", async () => {
        const resources = await withMocks("bootstrap", () => {
            new GitHubAccess("github", { config: config() });
        });
        const access = find(resources, "cicd:bootstrap:GitHubAccess", "github");
        assert.deepEqual(
            childrenOf(resources, access)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [
                "aws:iam/openIdConnectProvider:OpenIdConnectProvider github-oidc-provider",
                "aws:iam/policy:Policy github-deploy-prod-policy-1",
                "aws:iam/policy:Policy github-deploy-staging-policy-1",
                "aws:iam/role:Role github-deploy-prod-role",
                "aws:iam/role:Role github-deploy-staging-role",
                "aws:iam/role:Role github-preview-role",
                "aws:iam/rolePolicy:RolePolicy github-preview-read",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment github-deploy-prod-policy-1",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment github-deploy-staging-policy-1",
            ],
        );
        const provider = find(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github-oidc-provider");
        assert.equal(provider.inputs.url, "https://token.actions.githubusercontent.com");
        assert.deepEqual(provider.inputs.clientIdLists, ["sts.amazonaws.com"]);
        assert.equal(provider.options.protect, true);
    });

    it("gives each role the trust of its one subject and the policy it is meant to hold", async () => {
        const resources = await withMocks("bootstrap", () => {
            new GitHubAccess("github", { config: config() });
        });
        const role = (name: string) => find(resources, "aws:iam/role:Role", name).inputs;
        // The provider's ARN as the mocks made it: every role trusts that one provider.
        const providerArn = json(role("github-preview-role").assumeRolePolicy).Statement[0].Principal.Federated;
        assert.match(providerArn, /:oidc-provider\/token\.actions\.githubusercontent\.com$/);
        assert.equal(role("github-preview-role").name, "cicd-github-preview");
        assert.equal(role("github-preview-role").path, "/cicd/github/");
        assert.deepEqual(
            json(role("github-preview-role").assumeRolePolicy),
            githubTrustPolicy(providerArn, "repo:acme/pulumi-cicd-platform:pull_request"),
        );
        assert.deepEqual(
            json(role("github-deploy-prod-role").assumeRolePolicy),
            githubTrustPolicy(providerArn, "repo:acme/pulumi-cicd-platform:environment:prod"),
        );
        assert.deepEqual(
            json(role("github-deploy-staging-role").assumeRolePolicy),
            githubTrustPolicy(providerArn, "repo:acme/pulumi-cicd-platform:environment:staging"),
        );
        assert.deepEqual(
            json(find(resources, "aws:iam/rolePolicy:RolePolicy", "github-preview-read").inputs.policy),
            previewPolicy(ACCOUNT, ["staging", "prod"]),
        );
        const deployer = config().environments.prod.deployerPolicy;
        assert.deepEqual(
            json(find(resources, "aws:iam/policy:Policy", "github-deploy-prod-policy-1").inputs.policy),
            splitDeployerPolicy(deployer)[0],
        );
        const attachment = find(
            resources,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "github-deploy-prod-policy-1",
        );
        assert.equal(attachment.inputs.role, "cicd-github-deploy-prod");
    });

    it("trusts an existing provider instead of creating a second one", async () => {
        const existing = oidcProviderArn(ACCOUNT);
        const resources = await withMocks("bootstrap", () => {
            new GitHubAccess("github", { config: config({ existingOidcProviderArn: existing }) });
        });
        assert.equal(
            resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider").length,
            0,
        );
        assert.equal(
            json(find(resources, "aws:iam/role:Role", "github-deploy-prod-role").inputs.assumeRolePolicy).Statement[0]
                .Principal.Federated,
            existing,
        );
    });
});

describe("bootstrap: the whole program, planned offline and checked by our own policy pack", function () {
    // A child process evaluates the program, then the pack starts and analyses: seconds, more on a loaded machine.
    this.timeout(180_000);
    it("plans with no policy violation, with a provider locked to the configured account", async () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-plan-"));
        const log: string[] = [];
        const code = await plan(
            [
                "--dir",
                path.join(__dirname, "..", "..", "bootstrap"),
                "--stack",
                "example",
                "--config-dir",
                FIXTURES,
                "--out",
                out,
                "--json",
            ],
            (l) => log.push(l),
            (l) => log.push(l),
        );
        const summary = JSON.parse(log.join("\n"));
        assert.equal(code, 0, log.join("\n"));
        assert.deepEqual(summary.policy, { ran: true, violations: [], mandatory: 0 });
        const { resources } = JSON.parse(fs.readFileSync(path.join(out, "example", "resources.json"), "utf8"));
        const provider = resources.find((r: any) => r.type === "pulumi:providers:aws");
        assert.equal(provider.inputs.allowedAccountIds, JSON.stringify([ACCOUNT]));
        const custom = resources.filter((r: any) => r.type.startsWith("aws:"));
        assert.equal(custom.length, 9);
        for (const r of custom) assert.ok(r.provider?.startsWith(provider.urn), `${r.name} uses the locked provider`);
    });
});
