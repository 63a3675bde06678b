import { strict as assert } from "assert";
import { configProblems } from "../support/config-problems";
import { planEnvironment } from "../../model/environment";
import { configFromStackValues } from "../../stacks/platform-config";
import { ecsBlueGreenDeploy, keyed, rawEnvironment, rawService } from "../fixtures/config";
import { cloudFormationDeploy, ec2BlueGreenDeploy, ec2Deploy, ratingsCheck } from "./fixtures";

/**
 * The problems reported for one service, one line each, before any resource exists: the service is written keyed
 * by its name in Pulumi.dev.yaml, over `defaults` (its `cicd:serviceDefaults` entry in Pulumi.yaml) when given.
 */
function problems(service: Record<string, unknown>, defaults?: Record<string, unknown>): string[] {
    return configProblems(() => {
        configFromStackValues(
            {
                "cicd:environment": rawEnvironment(),
                "cicd:serviceDefaults": defaults && { [String(service.name)]: defaults },
                "cicd:services": keyed(service),
            },
            "dev",
        );
    });
}

describe("deploy kind and check validation", () => {
    it("accepts each kind's example config", () => {
        assert.deepEqual(problems(rawService({ deploy: ec2Deploy })), []);
        assert.deepEqual(problems(rawService({ deploy: cloudFormationDeploy })), []);
        assert.deepEqual(problems(rawService({ checks: [ratingsCheck()] })), []);
    });

    it("rejects an EC2 deploy with no target", () => {
        const { autoScalingGroups: _a, ec2TagFilters: _t, ...noTarget } = ec2Deploy;
        assert.deepEqual(problems(rawService({ deploy: noTarget })), [
            "`cicd:services.web.deploy` in Pulumi.dev.yaml has no target: CodeDeploy would deploy to no instance. Add `autoScalingGroups` (group names), `ec2TagFilters` ([{ key, value }]) or both.",
        ]);
    });

    it("names both files when the kind comes from Pulumi.yaml and its targets from the stack file", () => {
        const { kind, autoScalingGroups: _a, ec2TagFilters: _t, ...perEnvironment } = ec2Deploy;
        assert.deepEqual(problems(rawService({ deploy: perEnvironment }), { deploy: { kind } }), [
            "`cicd:services.web.deploy` in Pulumi.dev.yaml (merged with `cicd:serviceDefaults.web.deploy` in Pulumi.yaml) has no target: CodeDeploy would deploy to no instance. Add `autoScalingGroups` (group names), `ec2TagFilters` ([{ key, value }]) or both.",
        ]);
        assert.deepEqual(problems(rawService({ deploy: ec2Deploy }), { deploy: { kind } }), []);
    });

    it("accepts blue/green with one Auto Scaling group, and rejects it with tags or several groups", () => {
        assert.deepEqual(problems(rawService({ deploy: ec2BlueGreenDeploy })), []);
        const message =
            "`cicd:services.web.deploy.blueGreen` in Pulumi.dev.yaml copies one Auto Scaling group: list exactly one in `autoScalingGroups` and no `ec2TagFilters` (tagged instances cannot be copied), or deploy in place.";
        assert.deepEqual(problems(rawService({ deploy: { ...ec2BlueGreenDeploy, autoScalingGroups: ["a", "b"] } })), [
            message,
        ]);
        assert.deepEqual(
            problems(rawService({ deploy: { ...ec2BlueGreenDeploy, ec2TagFilters: [{ key: "k", value: "v" }] } })),
            [message],
        );
    });

    it("rejects a deployment configuration of another compute platform", () => {
        assert.deepEqual(
            problems(rawService({ deploy: { ...ec2Deploy, deploymentConfig: "CodeDeployDefault.ECSAllAtOnce" } })),
            [
                '`cicd:services.web.deploy.deploymentConfig` in Pulumi.dev.yaml must be CodeDeployDefault.OneAtATime, CodeDeployDefault.HalfAtATime, CodeDeployDefault.AllAtOnce or { minimumHealthyHostsPercent: <0-99> }; ECS compute platform configurations do not apply to EC2/on-premises instances (found "CodeDeployDefault.ECSAllAtOnce").',
            ],
        );
        assert.deepEqual(
            problems(
                rawService({
                    deploy: { ...ec2Deploy, deploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes" },
                }),
            ),
            [
                '`cicd:services.web.deploy.deploymentConfig` in Pulumi.dev.yaml must be CodeDeployDefault.OneAtATime, CodeDeployDefault.HalfAtATime, CodeDeployDefault.AllAtOnce or { minimumHealthyHostsPercent: <0-99> }; Lambda compute platform configurations do not apply to EC2/on-premises instances (found "CodeDeployDefault.LambdaCanary10Percent5Minutes").',
            ],
        );
    });

    it("rejects a minimum of 100% healthy hosts, which could never take an instance out", () => {
        assert.deepEqual(
            problems(rawService({ deploy: { ...ec2Deploy, deploymentConfig: { minimumHealthyHostsPercent: 100 } } })),
            [
                "`cicd:services.web.deploy.deploymentConfig.minimumHealthyHostsPercent` in Pulumi.dev.yaml must be at most 99: at 100% no instance could ever be taken out of service (found 100).",
            ],
        );
    });

    for (const name of [
        "AdministratorAccess",
        "cfn-admin",
        "OrganizationAccountAccessRole",
        "AWSReservedSSO_AdministratorAccess_0123456789abcdef",
        "cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1",
    ]) {
        it(`rejects the administrator role ${name} as the stack role`, () => {
            const roleArn = `arn:aws:iam::111111111111:role/${name}`;
            assert.deepEqual(problems(rawService({ deploy: { ...cloudFormationDeploy, roleArn } })), [
                `\`cicd:services.web.deploy.roleArn\` in Pulumi.dev.yaml is "${roleArn}", an administrator role by its name. CloudFormation changes the stack with this role: give it a role allowed only what the template manages.`,
            ]);
        });
    }

    it("rejects a managed policy ARN where the stack role goes", () => {
        const roleArn = "arn:aws:iam::aws:policy/AdministratorAccess";
        assert.deepEqual(problems(rawService({ deploy: { ...cloudFormationDeploy, roleArn } })), [
            '`cicd:services.web.deploy.roleArn` in Pulumi.dev.yaml must be an IAM role ARN, like "arn:aws:iam::111122223333:role/ecs-task" (found "arn:aws:iam::aws:policy/AdministratorAccess").',
        ]);
    });

    it("rejects a check that invokes no function", () => {
        const { functionName: _f, ...noFunction } = ratingsCheck();
        assert.deepEqual(problems(rawService({ checks: [noFunction] })), [
            "`cicd:services.web.checks[0].functionName` in Pulumi.dev.yaml is required. Add it to `cicd:services.web` in Pulumi.dev.yaml, or to `cicd:serviceDefaults.web` in Pulumi.yaml for every environment.",
        ]);
    });

    it("rejects two checks with one name (they become actions of one stage)", () => {
        assert.deepEqual(problems(rawService({ checks: [ratingsCheck(), ratingsCheck("after-deploy")] })), [
            '`cicd:services.web.checks[1].name` in Pulumi.dev.yaml is "RatingsHold", already used by `cicd:services.web.checks[0]`. Give each check its own name.',
        ]);
    });
    it("rejects a check named like an action the deploy kind puts in the same stage", () => {
        const planned = (service: Record<string, unknown>) =>
            configProblems(() => {
                const config = configFromStackValues(
                    { "cicd:environment": rawEnvironment(), "cicd:services": keyed(service) },
                    "dev",
                );
                planEnvironment(config, { stackFile: "Pulumi.dev.yaml", configSources: config.layers });
            });
        const named = (name: string, when: "before-deploy" | "after-deploy", deploy: Record<string, unknown>) =>
            rawService({ deploy, checks: [{ ...ratingsCheck(when), name }] });
        assert.deepEqual(planned(named("Deploy", "before-deploy", ec2Deploy)), [
            '`cicd:services.web.checks[0].name` in Pulumi.dev.yaml is "Deploy", the name the Deploy stage already gives the ec2-codedeploy deploy\'s Deploy action; action names are unique within a stage. Rename the check.',
        ]);
        assert.deepEqual(planned(named("ExecuteChangeSet", "after-deploy", cloudFormationDeploy)), [
            '`cicd:services.web.checks[0].name` in Pulumi.dev.yaml is "ExecuteChangeSet", the name the Deploy stage already gives the cloudformation deploy\'s Deploy action; action names are unique within a stage. Rename the check.',
        ]);
        assert.deepEqual(planned(named("Smoke", "after-deploy", cloudFormationDeploy)), []);
    });
    it("takes a task definition template per environment, as a relative JSON path in the build output", () => {
        const blueGreen = (taskDefinitionTemplatePath: string) =>
            rawService({ deploy: { ...ecsBlueGreenDeploy, taskDefinitionTemplatePath } });
        assert.deepEqual(problems(blueGreen("deploy/taskdef.prod.json")), []);
        assert.deepEqual(problems(blueGreen("../taskdef.json")), [
            '`cicd:services.web.deploy.taskDefinitionTemplatePath` in Pulumi.dev.yaml must be a relative path to a JSON file in the build output, like "deploy/taskdef.prod.json" (found "../taskdef.json").',
        ]);
        const config = configFromStackValues(
            { "cicd:environment": rawEnvironment(), "cicd:services": keyed(blueGreen("deploy/taskdef.prod.json")) },
            "dev",
        );
        const [pipeline] = planEnvironment(config, { stackFile: "Pulumi.dev.yaml" }).pipelines;
        const deploy = pipeline.stages.find((s) => s.id === "deploy")!.actions.find((a) => a.id === "deploy")!;
        assert.equal(deploy.configuration.TaskDefinitionTemplatePath, "deploy/taskdef.prod.json");
    });
});
