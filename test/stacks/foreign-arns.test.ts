import { strict as assert } from "assert";
import { configProblems } from "../support/config-problems";
import { validatePlatformConfig } from "../../stacks/platform-config";
import { ec2Deploy } from "../kinds/fixtures";
import {
    CONNECTION,
    ecsBlueGreenDeploy,
    ecsRollingDeploy,
    inAccount,
    rawEnvironment,
    rawProdEnvironment,
    rawService,
    smokeTests,
} from "../fixtures/config";

const problems = (raw: unknown, stack = "dev"): string[] =>
    configProblems(() => validatePlatformConfig(raw, { stack }));
const dev = (...services: Record<string, unknown>[]) => ({ environment: rawEnvironment(), services });

const FOREIGN = "999999999999";
const otherAccount = (key: string, found = FOREIGN) =>
    `\`cicd:services.web.${key}\` is in account ${found}, but the environment's account (\`cicd:environment.accountId\`) is 111111111111: the pipelines would trust a resource of another account. Use the one in account 111111111111.`;

describe("ARNs of other accounts and regions", () => {
    it("rejects pass roles, an instance role and a connection of another account, naming each key", () => {
        const ecs = rawService({ deploy: { ...ecsRollingDeploy, passRoleArns: [`arn:aws:iam::${FOREIGN}:role/x`] } });
        const ec2 = rawService({
            source: { ...(rawService().source as object), connectionArn: inAccount(CONNECTION, FOREIGN) },
            deploy: { ...ec2Deploy, instanceRoleArn: `arn:aws:iam::${FOREIGN}:role/fleet` },
        });
        assert.deepEqual(problems(dev(ecs)), [
            `${otherAccount("deploy.passRoleArns[0]").slice(0, -1)}, or deploy into account ${FOREIGN}: set \`deploy.accountId\` to "${FOREIGN}" and add that account's deploy role to \`cicd:environment.deployRoleArns\`.`,
        ]);
        assert.deepEqual(problems(dev(ec2)), [
            otherAccount("source.connectionArn"),
            otherAccount("deploy.instanceRoleArn"),
        ]);
    });

    it("rejects a listener, a source key and a secret of another region", () => {
        const listener = ecsBlueGreenDeploy.listenerArn.replace(":eu-west-1:", ":us-east-1:");
        const kmsKeyArn = "arn:aws:kms:us-east-1:111111111111:key/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e";
        const secretArn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:npm-AbCdEf";
        const svc = rawService({
            source: { kind: "s3", bucket: "acme-source", objectKey: "web.zip", eventBridgeEnabled: true, kmsKeyArn },
            build: { commands: { build: ["make"] }, secrets: { NPM_TOKEN: { secretArn } } },
            deploy: { ...ecsBlueGreenDeploy, listenerArn: listener },
        });
        const otherRegion = (key: string) =>
            `\`cicd:services.web.${key}\` is in region us-east-1, but the environment's region (\`cicd:environment.region\`) is eu-west-1. Use the one in that region.`;
        assert.deepEqual(problems(dev(svc)), [
            otherRegion("source.kmsKeyArn"),
            otherRegion("deploy.listenerArn"),
            otherRegion("build.secrets.NPM_TOKEN.secretArn"),
        ]);
    });

    it("accepts a connection whose ARN names another region: connections are global", () => {
        const connectionArn = CONNECTION.replace(":eu-west-1:", ":us-east-1:");
        assert.deepEqual(
            problems(dev(rawService({ source: { ...(rawService().source as object), connectionArn } }))),
            [],
        );
    });

    it("expects a cross-account deploy's ARNs in `deploy.accountId`, whose role is listed", () => {
        const env = rawEnvironment({ deployRoleArns: { "444444444444": "arn:aws:iam::444444444444:role/deployer" } });
        const deploy = (roles: string[]) => ({ ...ecsRollingDeploy, accountId: "444444444444", passRoleArns: roles });
        const ok = rawService({ deploy: deploy(["arn:aws:iam::444444444444:role/worker-task"]) });
        assert.deepEqual(problems({ environment: env, services: [ok] }), []);
        const home = rawService({ deploy: deploy(["arn:aws:iam::111111111111:role/worker-task"]) });
        assert.deepEqual(problems({ environment: env, services: [home] }), [
            "`cicd:services.web.deploy.passRoleArns[0]` is in account 111111111111, but `deploy.accountId` is 444444444444: the pipelines would trust a resource of another account. Use the one in account 444444444444.",
        ]);
    });

    it("checks neither plain variables nor a source that a release environment never reads", () => {
        const build = {
            commands: { build: ["make"] },
            environment: { UPSTREAM_TOPIC: `arn:aws:sns:us-east-1:${FOREIGN}:events` },
        };
        assert.deepEqual(problems(dev(rawService({ build }))), []);
        const prod = rawService({ tests: smokeTests, deploy: inAccount(ecsRollingDeploy, "333333333333") });
        assert.deepEqual(problems({ environment: rawProdEnvironment(), services: [prod] }, "prod"), []);
    });
});
