import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { permissionsPolicy, trustPolicy } from "../../deploy-target/policies";
import { deployTarget } from "../../deploy-target/program";
import { TargetConfigError } from "../../deploy-target/target-plan";
import { find, withMocks } from "../support/mock-runtime";

const FIXTURES = path.join(__dirname, "fixtures");
const TARGET = "444444444444";
const ROLE_ARN = `arn:aws:iam::${TARGET}:role/cicd/prod-deployer`;

/** Runs `body` with this stack config, then puts the process's config back. */
async function withConfig<T>(values: Record<string, string>, body: () => Promise<T>): Promise<T> {
    const saved = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig(values);
    try {
        return await body();
    } finally {
        pulumi.runtime.setAllConfig(saved);
    }
}

const config = (overrides: Record<string, string> = {}) => ({
    "aws:region": "eu-west-1",
    "cicd-deploy-target:pipelineStack": "fixture",
    "cicd-deploy-target:accountId": TARGET,
    "cicd-deploy-target:pipelineProject": FIXTURES,
    ...overrides,
});

const unwrap = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

describe("deploy-target program under Pulumi mocks", () => {
    it("creates the role the main stack names, with its trust and permissions, in the target account only", async () => {
        let arn: string | undefined;
        let planned: ReturnType<typeof deployTarget>["plan"] | undefined;
        const resources = await withConfig(config(), () =>
            withMocks(
                "web",
                async () => {
                    const { plan, role } = deployTarget();
                    planned = plan;
                    arn = await unwrap(role.roleArn);
                },
                TARGET,
            ),
        );
        assert.ok(planned);
        assert.strictEqual(arn, ROLE_ARN);
        const role = find(resources, "aws:iam/role:Role", "deploy-role");
        assert.strictEqual(role.inputs.name, "prod-deployer");
        assert.strictEqual(role.inputs.path, "/cicd/");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string), trustPolicy(planned));
        const inline = find(resources, "aws:iam/rolePolicy:RolePolicy", "deploy-policy");
        assert.deepStrictEqual(JSON.parse(inline.inputs.policy as string), permissionsPolicy(planned));
        const provider = find(resources, "pulumi:providers:aws", "target-account");
        assert.deepStrictEqual(JSON.parse(provider.inputs.allowedAccountIds as string), [TARGET]);
        assert.strictEqual(role.provider?.startsWith(provider.urn), true);
    });

    it("names each missing key of its own config", async () => {
        await withConfig({}, async () => {
            assert.throws(
                () => deployTarget(),
                (err: unknown) =>
                    err instanceof TargetConfigError &&
                    err.problems.length === 2 &&
                    err.problems[0] ===
                        "`cicd-deploy-target:pipelineStack` is required: the main project's stack whose pipelines deploy here. Set it with `pulumi config set cicd-deploy-target:pipelineStack prod`." &&
                    err.problems[1] ===
                        "`cicd-deploy-target:accountId` is required: this account's 12-digit id. Set it with `pulumi config set cicd-deploy-target:accountId 444455556666`.",
            );
        });
    });

    it("says which stack file is missing", async () => {
        await withConfig(config({ "cicd-deploy-target:pipelineStack": "nope" }), async () => {
            assert.throws(
                () => deployTarget(),
                (err: unknown) =>
                    err instanceof TargetConfigError &&
                    err.problems[0] ===
                        `\`cicd-deploy-target:pipelineStack\` is "nope", but ${path.join(FIXTURES, "Pulumi.nope.yaml")} does not exist. Name a stack of the main project (its Pulumi.<stack>.yaml), or set \`cicd-deploy-target:pipelineProject\` to the project's directory.`,
            );
        });
    });
});
