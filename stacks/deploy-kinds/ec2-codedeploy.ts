import { z } from "zod";
import { alarmNames, iamRoleArn, resourceName } from "../primitives";

/**
 * CodeDeploy's predefined deployment configurations of the EC2/On-Premises (Server) compute platform. The ECS and
 * Lambda ones (`CodeDeployDefault.ECS…`, `CodeDeployDefault.Lambda…`) do not apply to it.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
 */
export const SERVER_DEPLOYMENT_CONFIGS = [
    "CodeDeployDefault.OneAtATime",
    "CodeDeployDefault.HalfAtATime",
    "CodeDeployDefault.AllAtOnce",
] as const;

const predefinedConfig = z.string().superRefine((value, ctx) => {
    if ((SERVER_DEPLOYMENT_CONFIGS as readonly string[]).includes(value)) return;
    const platform = /^CodeDeployDefault\.ECS/.test(value)
        ? "; ECS compute platform configurations do not apply to EC2/on-premises instances"
        : /^CodeDeployDefault\.Lambda/.test(value)
          ? "; Lambda compute platform configurations do not apply to EC2/on-premises instances"
          : "";
    ctx.addIssue({
        code: "custom",
        message: `must be ${SERVER_DEPLOYMENT_CONFIGS.join(", ")} or { minimumHealthyHostsPercent: <0-99> }${platform}`,
    });
});

/** `cicd:services[i].deploy` for an in-place deployment to EC2 instances through CodeDeploy (`CodeDeploy` action). */
export const ec2CodeDeploySchema = z.strictObject({
    kind: z.literal("ec2-codedeploy"),
    /**
     * Auto Scaling groups whose instances receive the revision (instances launched later get it too). Give this,
     * `ec2TagFilters`, or both.
     * @default none
     */
    autoScalingGroups: z
        .array(resourceName("web-asg"))
        .min(1, { error: "must not be empty: name the Auto Scaling groups or leave the key out" })
        .optional(),
    /**
     * Instances tagged with any of these key/value pairs receive the revision. Give this, `autoScalingGroups`, or both.
     * @default none
     */
    ec2TagFilters: z
        .array(z.strictObject({ key: z.string().min(1).max(128), value: z.string().min(1).max(256) }))
        .min(1, { error: "must not be empty: list the tags or leave the key out" })
        .optional(),
    /**
     * How many instances are updated at a time: a predefined Server configuration, or the minimum percentage of
     * healthy instances during the deployment (the platform then creates a custom deployment configuration).
     * @default "CodeDeployDefault.OneAtATime"
     */
    deploymentConfig: z
        .union([
            predefinedConfig,
            z.strictObject({
                minimumHealthyHostsPercent: z
                    .number()
                    .int()
                    .min(0)
                    .max(99, { error: "must be at most 99: at 100% no instance could ever be taken out of service" }),
            }),
        ])
        .default("CodeDeployDefault.OneAtATime"),
    /** CloudWatch alarms that stop the deployment and roll it back. */
    alarms: alarmNames,
    /**
     * Role of the instances' instance profile. The CodeDeploy agent downloads the revision from the pipeline's
     * artifact folder with it, so the environment's artifact key lets this role decrypt (through S3 only), and the
     * platform creates a policy to attach to it (`<pipeline>-revision-reader`). Blue/green passes it to the copies.
     */
    instanceRoleArn: iamRoleArn,
    /**
     * Deploy blue/green instead of in place: CodeDeploy copies the one Auto Scaling group in `autoScalingGroups`,
     * installs the revision on the copy's instances, moves the target groups' traffic to them, and terminates the
     * original instances after `terminateAfterMinutes`.
     * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-create-blue-green.html
     * @default in place
     */
    blueGreen: z
        .strictObject({
            /** Target groups (names) whose traffic moves from the original instances to the copy's. */
            targetGroups: z.array(resourceName("web-tg")).min(1, { error: "must name at least one target group" }),
            /** Launch template of the copied group: the only template CodeDeploy may launch instances from. */
            launchTemplateId: z
                .string()
                .regex(/^lt-[0-9a-f]{8,17}$/, { error: 'must be a launch template id, like "lt-0a1b2c3d4e5f67890"' }),
            /**
             * Minutes the original instances keep running after traffic moved, for a fast way back (0-2880).
             * @default 60
             */
            terminateAfterMinutes: z
                .number()
                .int()
                .min(0)
                .max(2880, { error: "must be at most 2880 (two days, CodeDeploy's limit)" })
                .default(60),
        })
        .optional(),
});
