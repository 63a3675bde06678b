import * as assert from "assert";
import { planTarget, splitRoleArn, TargetConfigError, type TargetSettings } from "../../deploy-target/target-plan";
import { ConfigError } from "../../stacks/config-error";
import { CONNECTION, rawService, smokeTests } from "../fixtures/config";
import { DEPLOY_ROLE, mainStack, OTHER_TARGET, PIPELINE_ACCOUNT, TARGET_ACCOUNT } from "./fixtures/main-stack";

const settings = (overrides: Partial<TargetSettings> = {}): TargetSettings => ({
    pipelineStack: "prod",
    accountId: TARGET_ACCOUNT,
    ...overrides,
});

/** The problems a plan is rejected with, exactly. */
function problems(fn: () => unknown): readonly string[] {
    try {
        fn();
    } catch (err) {
        if (err instanceof TargetConfigError) return err.problems;
        throw err;
    }
    assert.fail("expected a TargetConfigError");
}

const source = { kind: "codestar", connectionArn: CONNECTION, repository: "acme/app" };

describe("deploy-target: plan from the main project's stack", () => {
    it("creates the configured role, for exactly the pipelines that deploy to this account", () => {
        const plan = planTarget(settings(), mainStack());
        assert.deepStrictEqual(plan.role, { arn: DEPLOY_ROLE, name: "prod-deployer", path: "/cicd/" });
        assert.deepStrictEqual(
            plan.pipelines.map((p) => [p.pipelineName, p.pipelineRoleArn, p.artifactFolder]),
            [
                ["docs-prod", `arn:aws:iam::${PIPELINE_ACCOUNT}:role/cicd/prod/docs-prod-pipeline`, "docs-prod"],
                ["worker-prod", `arn:aws:iam::${PIPELINE_ACCOUNT}:role/cicd/prod/worker-prod-pipeline`, "worker-prod"],
            ],
        );
        assert.strictEqual(plan.artifactBucket, `cicd-artifacts-prod-${PIPELINE_ACCOUNT}-eu-west-1`);
        assert.strictEqual(plan.target.accountId, TARGET_ACCOUNT);
        assert.strictEqual(plan.pipeline.accountId, PIPELINE_ACCOUNT);
    });

    it("splits role ARNs into path and name the way IAM stores them", () => {
        assert.deepStrictEqual(splitRoleArn("arn:aws:iam::111122223333:role/deployer"), {
            partition: "aws",
            account: "111122223333",
            path: "/",
            name: "deployer",
        });
        assert.deepStrictEqual(splitRoleArn("arn:aws-cn:iam::111122223333:role/a/b/deployer").path, "/a/b/");
    });

    it("rejects a malformed account id and key ARN before reading the main config", () => {
        assert.deepStrictEqual(
            problems(() => planTarget(settings({ accountId: "4444", artifactKeyArn: "alias/cicd-prod" }), {})),
            [
                '`cicd-deploy-target:accountId` is "4444", not a 12-digit AWS account id. Set it to this account\'s id, quoted in YAML (like "444455556666") so leading zeros survive.',
                '`cicd-deploy-target:artifactKeyArn` is "alias/cicd-prod", not a KMS key ARN. Use the `artifactKeyArn` output of the pipeline stack (arn:aws:kms:<region>:<account>:key/<id>), or remove the key.',
            ],
        );
    });

    it("rejects the pipeline account itself, a wrong region and a key of another account", () => {
        const key = `arn:aws:kms:eu-west-1:${TARGET_ACCOUNT}:key/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e`;
        assert.deepStrictEqual(
            problems(() =>
                planTarget(
                    settings({ accountId: PIPELINE_ACCOUNT, awsRegion: "us-east-1", artifactKeyArn: key }),
                    mainStack(),
                ),
            ),
            [
                "`cicd-deploy-target:accountId` is the pipeline account of Pulumi.prod.yaml itself. Deploys in that account need no deploy-target stack: remove this stack, or set the account the deploys land in.",
                '`aws:region` is "us-east-1", but the pipelines of Pulumi.prod.yaml deploy in "eu-west-1" (`cicd:environment.region`). Set `aws:region` to "eu-west-1".',
                `\`cicd:environment.deployRoleArns\` in Pulumi.prod.yaml has no role for account ${PIPELINE_ACCOUNT}. Add "${PIPELINE_ACCOUNT}": arn:aws:iam::${PIPELINE_ACCOUNT}:role/<name> there first: this stack creates that role.`,
                `no service in Pulumi.prod.yaml deploys to account ${PIPELINE_ACCOUNT}. Set \`deploy.accountId\` on the services that deploy here, or check \`cicd-deploy-target:accountId\`.`,
                `\`cicd-deploy-target:artifactKeyArn\` is "${key}", which is not a key of account ${PIPELINE_ACCOUNT} in eu-west-1. Use the \`artifactKeyArn\` output of the prod stack, or remove the key.`,
            ],
        );
    });

    it("asks for a role entry when no service deploys here yet", () => {
        assert.deepStrictEqual(
            problems(() => planTarget(settings({ accountId: "666666666666" }), mainStack())),
            [
                '`cicd:environment.deployRoleArns` in Pulumi.prod.yaml has no role for account 666666666666. Add "666666666666": arn:aws:iam::666666666666:role/<name> there first: this stack creates that role.',
                "no service in Pulumi.prod.yaml deploys to account 666666666666. Set `deploy.accountId` on the services that deploy here, or check `cicd-deploy-target:accountId`.",
            ],
        );
    });

    it("rejects task roles outside the account that runs the service, in the main stack's config already", () => {
        const foreign = `arn:aws:iam::${PIPELINE_ACCOUNT}:role/worker-task`;
        const services = [
            rawService({
                name: "worker",
                source,
                tests: smokeTests,
                deploy: {
                    kind: "ecs-rolling",
                    cluster: "apps",
                    service: "worker",
                    passRoleArns: [foreign],
                    accountId: TARGET_ACCOUNT,
                },
            }),
        ];
        // Config validation (stacks/arn-rules.ts) refuses it before the target is planned.
        assert.throws(() => planTarget(settings(), mainStack({ services })), {
            name: "ConfigError",
            message: `Invalid configuration in Pulumi.prod.yaml (1 problem):\n  - \`cicd:services.worker.deploy.passRoleArns[0]\` in Pulumi.prod.yaml is in account ${PIPELINE_ACCOUNT}, but \`deploy.accountId\` is ${TARGET_ACCOUNT}: the pipelines would trust a resource of another account. Use the one in account ${TARGET_ACCOUNT}.`,
        });
    });

    it("rejects a configured role name IAM would refuse", () => {
        const long = `arn:aws:iam::${TARGET_ACCOUNT}:role/${"d".repeat(65)}`;
        assert.deepStrictEqual(
            problems(() =>
                planTarget(
                    settings(),
                    mainStack({
                        environment: {
                            deployRoleArns: {
                                [TARGET_ACCOUNT]: long,
                                [OTHER_TARGET]: DEPLOY_ROLE.replace(TARGET_ACCOUNT, OTHER_TARGET),
                            },
                        },
                    }),
                ),
            ),
            [
                `\`cicd:environment.deployRoleArns\` entry ${long} has a role name of 65 characters; IAM allows 64. Shorten it.`,
            ],
        );
    });

    it("passes the main project's own validation errors through unchanged", () => {
        assert.throws(
            () => planTarget(settings(), mainStack({ services: [] })),
            (err: unknown) =>
                err instanceof ConfigError && err.message.includes("`cicd:services` must define at least one service"),
        );
    });
});
