/** Raw (YAML-shaped) deploy configs and checks of the kinds added for EC2, CloudFormation and Lambda checks. */

export const INSTANCE_ROLE = "arn:aws:iam::111111111111:role/fleet-instance";

export const ec2Deploy = {
    kind: "ec2-codedeploy",
    autoScalingGroups: ["fleet-asg"],
    ec2TagFilters: [{ key: "service", value: "fleet" }],
    alarms: ["fleet-5xx"],
    instanceRoleArn: INSTANCE_ROLE,
};

/** Blue/green: copy the one Auto Scaling group, move the target group's traffic to the copy. */
export const ec2BlueGreenDeploy = {
    kind: "ec2-codedeploy",
    autoScalingGroups: ["fleet-asg"],
    alarms: ["fleet-5xx"],
    instanceRoleArn: INSTANCE_ROLE,
    blueGreen: {
        targetGroups: ["fleet-tg"],
        launchTemplateId: "lt-0a1b2c3d4e5f67890",
        terminateAfterMinutes: 30,
    },
};

export const STACK_ROLE = "arn:aws:iam::111111111111:role/network-cfn-execution";

export const cloudFormationDeploy = {
    kind: "cloudformation",
    stackName: "network",
    templatePath: "network.yaml",
    templateConfigurationPath: "config/dev.json",
    capabilities: ["CAPABILITY_NAMED_IAM"],
    parameterOverrides: { Environment: "dev" },
    roleArn: STACK_ROLE,
};

export const ratingsCheck = (when: "before-deploy" | "after-deploy" = "before-deploy") => ({
    kind: "lambda-check",
    name: "RatingsHold",
    functionName: "ratings-check",
    userParameters: { minimumAverage: 4 },
    when,
});
