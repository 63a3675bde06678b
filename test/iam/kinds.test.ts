import { strict as assert } from "node:assert";
import * as names from "../../model/names";
import { deployRolePolicy } from "../../model/iam/deploy-role";
import { pipelineRolePolicy } from "../../model/iam/pipeline-role";
import { buildPipelineModel } from "../../model/pipeline";
import { serviceSchema, type ServiceConfig } from "../../stacks/service-schema";
import { planEnvironment } from "../../model/environment";
import { BUCKET, CONNECTION_ARN, ctx, environment, KEY_ARN, refs, REGION } from "./fixtures";
import { arn, environmentResourcePolicy, role } from "./requests";
import { decisions, req, unexpected, type Caller, type Request } from "./sim";

const STACK_ROLE = role("network-cfn-execution");
const source = { kind: "codestar", connectionArn: CONNECTION_ARN, repository: "acme/fleet" };
const build = { commands: { build: ["make"] } };

const TEMPLATE = arn("ec2", "launch-template/lt-0a1b2c3d4e5f67890");
const INSTANCE_ROLE = role("fleet-instance");

const fleet = serviceSchema.parse({
    name: "fleet",
    source,
    build,
    deploy: {
        kind: "ec2-codedeploy",
        autoScalingGroups: ["fleet-asg"],
        ec2TagFilters: [{ key: "service", value: "fleet" }],
        deploymentConfig: { minimumHealthyHostsPercent: 75 },
        alarms: ["fleet-5xx"],
        instanceRoleArn: role("fleet-instance"),
    },
    checks: [{ kind: "lambda-check", name: "RatingsHold", functionName: "ratings-check" }],
});

const fleetBlueGreen = serviceSchema.parse({
    name: "fleet",
    source,
    build,
    deploy: {
        kind: "ec2-codedeploy",
        autoScalingGroups: ["fleet-asg"],
        alarms: ["fleet-5xx"],
        instanceRoleArn: INSTANCE_ROLE,
        blueGreen: { targetGroups: ["fleet-tg"], launchTemplateId: "lt-0a1b2c3d4e5f67890" },
    },
});

const network = serviceSchema.parse({
    name: "network",
    source,
    build,
    deploy: { kind: "cloudformation", stackName: "network", templatePath: "network.yaml", roleArn: STACK_ROLE },
});

const pipelineCaller = (svc: ServiceConfig): Caller => ({
    principal: names.roleArn(ctx, svc.name, "pipeline"),
    identity: [pipelineRolePolicy(ctx, buildPipelineModel(environment, svc), svc, refs)],
});

const deployCaller = (svc: ServiceConfig): Caller => {
    const doc = deployRolePolicy(buildPipelineModel(environment, svc));
    assert.ok(doc, `${svc.name} has a deploy role`);
    return { principal: names.roleArn(ctx, svc.name, "deploy"), identity: [doc] };
};

const stack = (name: string) => arn("cloudformation", `stack/${name}/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e`);
const asg = (name: string) =>
    arn("autoscaling", `autoScalingGroup:6d6f2c4e-1a2b-3c4d-5e6f-7a8b9c0d1e2f:autoScalingGroupName/${name}`);
const copy = asg("CodeDeploy_fleet-prod_d-ABCDEFGHI");
const instance = arn("ec2", "instance/i-0123456789abcdef0");
const fromTemplate = { "ec2:LaunchTemplate": TEMPLATE };
const ofGroup = (group: string) => ({ "aws:ResourceTag/aws:autoscaling:groupName": group });
const toCfn = { "iam:PassedToService": "cloudformation.amazonaws.com" };

const cases: { name: string; caller: () => Caller; needs: Request[]; denied: Request[] }[] = [
    {
        name: "ec2-codedeploy pipeline role (CodeDeploy action, Lambda check)",
        caller: () => pipelineCaller(fleet),
        needs: [
            req("codedeploy:GetApplication", arn("codedeploy", "application:fleet-prod")),
            req("codedeploy:GetApplicationRevision", arn("codedeploy", "application:fleet-prod")),
            req("codedeploy:RegisterApplicationRevision", arn("codedeploy", "application:fleet-prod")),
            req("codedeploy:CreateDeployment", arn("codedeploy", "deploymentgroup:fleet-prod/fleet-prod")),
            req("codedeploy:GetDeployment", arn("codedeploy", "deploymentgroup:fleet-prod/fleet-prod")),
            req("codedeploy:GetDeploymentConfig", arn("codedeploy", "deploymentconfig:fleet-prod-min-healthy")),
            req("lambda:InvokeFunction", arn("lambda", "function:ratings-check")),
        ],
        denied: [
            req("codedeploy:CreateDeployment", arn("codedeploy", "deploymentgroup:payments-prod/payments-prod")),
            req("codedeploy:RegisterApplicationRevision", arn("codedeploy", "application:payments-prod")),
            req("codedeploy:GetDeploymentConfig", arn("codedeploy", "deploymentconfig:CodeDeployDefault.AllAtOnce")),
            req("codedeploy:DeleteDeploymentGroup", arn("codedeploy", "deploymentgroup:fleet-prod/fleet-prod")),
            req("lambda:InvokeFunction", arn("lambda", "function:payments-refund")),
            req("lambda:UpdateFunctionCode", arn("lambda", "function:ratings-check")),
            req("lambda:ListFunctions", "*"),
        ],
    },
    {
        name: "ec2-codedeploy CodeDeploy service role",
        caller: () => deployCaller(fleet),
        needs: [
            req("autoscaling:PutLifecycleHook", asg("fleet-asg")),
            req("autoscaling:DeleteLifecycleHook", asg("fleet-asg")),
            req("autoscaling:CompleteLifecycleAction", asg("fleet-asg")),
            req("autoscaling:RecordLifecycleActionHeartbeat", asg("fleet-asg")),
            req("autoscaling:DescribeAutoScalingGroups", "*"),
            req("autoscaling:DescribeLifecycleHooks", "*"),
            req("ec2:DescribeInstances", "*"),
            req("ec2:DescribeInstanceStatus", "*"),
            req("cloudwatch:DescribeAlarms", arn("cloudwatch", "alarm:fleet-5xx")),
        ],
        denied: [
            req("autoscaling:PutLifecycleHook", asg("payments-asg")),
            req("autoscaling:UpdateAutoScalingGroup", asg("fleet-asg")),
            req("autoscaling:DeleteAutoScalingGroup", asg("fleet-asg")),
            req("autoscaling:CreateAutoScalingGroup", asg("fleet-asg-copy")),
            req("ec2:RunInstances", arn("ec2", "instance/*")),
            req("ec2:TerminateInstances", arn("ec2", "instance/i-0123456789abcdef0")),
            req("iam:PassRole", role("fleet-instance")),
            req("cloudwatch:DescribeAlarms", arn("cloudwatch", "alarm:payments-5xx")),
            req("sns:Publish", arn("sns", "payments-events")),
        ],
    },
    {
        name: "ec2-codedeploy blue/green CodeDeploy service role (copied Auto Scaling group)",
        caller: () => deployCaller(fleetBlueGreen),
        needs: [
            req("autoscaling:CreateAutoScalingGroup", copy),
            req("autoscaling:UpdateAutoScalingGroup", copy),
            req("autoscaling:PutLifecycleHook", copy),
            req("autoscaling:AttachLoadBalancerTargetGroups", copy),
            req("autoscaling:DeleteAutoScalingGroup", asg("fleet-asg")),
            req("autoscaling:SuspendProcesses", asg("fleet-asg")),
            req("autoscaling:DescribePolicies", "*"),
            req("elasticloadbalancing:DescribeTargetHealth", "*"),
            req(
                "elasticloadbalancing:RegisterTargets",
                arn("elasticloadbalancing", "targetgroup/fleet-tg/0123456789abcdef"),
            ),
            req(
                "elasticloadbalancing:DeregisterTargets",
                arn("elasticloadbalancing", "targetgroup/fleet-tg/0123456789abcdef"),
            ),
            req("ec2:RunInstances", TEMPLATE, fromTemplate),
            req("ec2:RunInstances", arn("ec2", "instance/*"), fromTemplate),
            req("ec2:RunInstances", arn("ec2", "subnet/subnet-0123456789abcdef0"), fromTemplate),
            req("ec2:RunInstances", "arn:aws:ec2:eu-west-1::image/ami-0123456789abcdef0", fromTemplate),
            req("ec2:CreateTags", instance, { "ec2:CreateAction": "RunInstances" }),
            req("iam:PassRole", INSTANCE_ROLE, { "iam:PassedToService": "ec2.amazonaws.com" }),
            req("ec2:TerminateInstances", instance, ofGroup("fleet-asg")),
            req("ec2:TerminateInstances", instance, ofGroup("CodeDeploy_fleet-prod_d-ABCDEFGHI")),
        ],
        denied: [
            req("autoscaling:CreateAutoScalingGroup", asg("fleet-asg-2")),
            req("autoscaling:DeleteAutoScalingGroup", asg("payments-asg")),
            req("autoscaling:DeleteAutoScalingGroup", asg("CodeDeploy_payments-prod_d-ABCDEFGHI")),
            req(
                "elasticloadbalancing:RegisterTargets",
                arn("elasticloadbalancing", "targetgroup/payments-tg/0123456789abcdef"),
            ),
            req("ec2:RunInstances", arn("ec2", "instance/*"), {
                "ec2:LaunchTemplate": arn("ec2", "launch-template/lt-9999999999"),
            }),
            req("ec2:RunInstances", arn("ec2", "instance/*")),
            req("ec2:CreateTags", instance, { "ec2:CreateAction": "CreateTags" }),
            req("iam:PassRole", INSTANCE_ROLE, { "iam:PassedToService": "lambda.amazonaws.com" }),
            req("iam:PassRole", role("AdministratorAccess"), { "iam:PassedToService": "ec2.amazonaws.com" }),
            req("ec2:TerminateInstances", instance, ofGroup("payments-asg")),
            req("ec2:TerminateInstances", instance),
        ],
    },
    {
        name: "cloudformation pipeline role (change set, execute, stack role)",
        caller: () => pipelineCaller(network),
        needs: [
            req("cloudformation:CreateChangeSet", stack("network")),
            req("cloudformation:DescribeChangeSet", stack("network")),
            req("cloudformation:DeleteChangeSet", stack("network")),
            req("cloudformation:ExecuteChangeSet", stack("network")),
            req("cloudformation:DescribeStacks", stack("network")),
            req("cloudformation:DescribeStackEvents", stack("network")),
            req("iam:PassRole", STACK_ROLE, toCfn),
        ],
        denied: [
            req("cloudformation:CreateChangeSet", stack("payments")),
            req("cloudformation:ExecuteChangeSet", stack("payments")),
            req("cloudformation:DeleteStack", stack("network")),
            req("cloudformation:UpdateStack", stack("network")),
            req("cloudformation:CreateStack", stack("network")),
            req("iam:PassRole", STACK_ROLE, { "iam:PassedToService": "ec2.amazonaws.com" }),
            req("iam:PassRole", role("AdministratorAccess"), toCfn),
            req("iam:PassRole", role("network-prod-pipeline"), toCfn),
        ],
    },
];

describe("deploy kinds' roles (simulated): ec2-codedeploy, cloudformation, lambda-check", () => {
    for (const c of cases) {
        describe(c.name, () => {
            it("allows what the action's documentation lists, on this service's resources", async () => {
                assert.deepEqual(
                    unexpected(await decisions(c.caller(), c.needs, environmentResourcePolicy), "Allowed"),
                    {},
                );
            });
            it("denies other services' resources and what the action never needs", async () => {
                const got = await decisions(c.caller(), c.denied, environmentResourcePolicy);
                assert.deepEqual(
                    unexpected(got, (d) => d !== "Allowed"),
                    {},
                );
            });
        });
    }

    it("gives the CloudFormation kind no CodeDeploy role, and the EC2 kind one", () => {
        assert.deepEqual(buildPipelineModel(environment, network).roles, ["pipeline", "build"]);
        assert.deepEqual(buildPipelineModel(environment, fleet).roles, ["pipeline", "build", "deploy"]);
    });
});

describe("EC2 instance role: downloading revisions (simulated, with the key and bucket policies)", () => {
    const plan = planEnvironment({ environment, services: [fleet, network] }, { stackFile: "Pulumi.test.yaml" });
    const fleetPlan = plan.pipelines.find((p) => p.service === "fleet")!;
    const bucketArn = names.bucketArn(ctx, BUCKET);
    // The simulator drops `kms:EncryptionContext:aws:s3:arn` (its key has colons in the variable part), so requests
    // are evaluated against the key policy without that one condition, and the last test pins the condition itself.
    const keyPolicy = {
        ...plan.artifactStore.keyPolicy,
        Statement: plan.artifactStore.keyPolicy.Statement.map((st) =>
            st.Sid === "InstancesDecryptRevisions"
                ? { ...st, Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } } }
                : st,
        ),
    };
    const bucketPolicy = plan.artifactStore.bucketPolicy(KEY_ARN);
    const instance: Caller = {
        principal: role("fleet-instance"),
        identity: [fleetPlan.revisionReader!.policy(refs)],
    };
    const viaS3 = {
        "kms:ViaService": `s3.${REGION}.amazonaws.com`,
        "kms:EncryptionContext:aws:s3:arn": bucketArn,
    };
    const resourcePolicy = (r: Request) =>
        r.resource === KEY_ARN ? keyPolicy : r.resource.startsWith(bucketArn) ? bucketPolicy : undefined;

    it("reads and decrypts its pipeline's revisions through S3", async () => {
        const needs = [
            req("s3:GetObject", `${bucketArn}/${fleetPlan.artifactFolder}/BuildOutpu/abc.zip`),
            req("s3:GetObjectVersion", `${bucketArn}/${fleetPlan.artifactFolder}/BuildOutpu/abc.zip`),
            req("kms:Decrypt", KEY_ARN, viaS3),
        ];
        assert.deepEqual(unexpected(await decisions(instance, needs, resourcePolicy), "Allowed"), {});
    });

    it("reads no other pipeline's folder, decrypts nothing outside S3, writes nothing", async () => {
        const network = plan.pipelines.find((p) => p.service === "network")!;
        const denied = [
            req("s3:GetObject", `${bucketArn}/${network.artifactFolder}/BuildOutpu/abc.zip`),
            req("s3:PutObject", `${bucketArn}/${fleetPlan.artifactFolder}/BuildOutpu/abc.zip`),
            req("kms:Decrypt", KEY_ARN),
            req("kms:Encrypt", KEY_ARN, viaS3),
        ];
        assert.deepEqual(
            unexpected(await decisions(instance, denied, resourcePolicy), (d) => d !== "Allowed"),
            {},
        );
    });

    it("is named in the key policy, decrypting through S3 and for the artifact bucket only, when an EC2 pipeline needs it", () => {
        const named = (p: typeof plan) =>
            p.artifactStore.keyPolicy.Statement.filter((s) => s.Sid === "InstancesDecryptRevisions").map(
                (s) => s.Principal,
            );
        assert.deepEqual(named(plan), [{ AWS: [role("fleet-instance")] }]);
        const without = planEnvironment({ environment, services: [network] }, { stackFile: "Pulumi.test.yaml" });
        assert.deepEqual(named(without), []);
        assert.equal(without.pipelines[0].revisionReader, undefined);
    });
});
