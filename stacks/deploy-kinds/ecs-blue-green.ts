import { z } from "zod";
import { alarmNames, iamRoleArn, resourceName } from "../primitives";

const listenerArn = z
    .string()
    .regex(
        /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/(app|net)\/[\w-]+\/[0-9a-f]+\/[0-9a-f]+$/,
        {
            error: 'must be a load balancer listener ARN, like "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"',
        },
    );

/** `cicd:services[i].deploy` for an ECS blue/green deploy through CodeDeploy (`CodeDeployToECS`). */
export const ecsBlueGreenSchema = z.strictObject({
    kind: z
        .literal("ecs-blue-green")
        .describe(
            "An ECS service with a CODE_DEPLOY controller, deployed blue/green by CodeDeploy (`CodeDeployToECS`).",
        ),
    cluster: resourceName("web-cluster").describe("Name of the existing ECS cluster."),
    service: resourceName("web").describe("Name of the existing ECS service (deployment controller `CODE_DEPLOY`)."),
    passRoleArns: z
        .array(iamRoleArn)
        .min(1, { error: "must list the service's task role and task execution role ARNs" })
        .describe("Task and execution roles of the service: the only roles the pipeline may pass to ECS."),
    listenerArn: listenerArn.describe("Production listener that CodeDeploy re-points from blue to green."),
    testListenerArn: listenerArn
        .optional()
        .describe(
            "Test listener that routes test traffic to green before production traffic shifts. Green is tested by the `AfterAllowTestTraffic` hooks of the service's appspec; a failing hook rolls the deployment back. Default: none.",
        ),
    testTrafficMinutes: z
        .unknown()
        .optional()
        .describe(
            "No longer read: CodeDeploy continues as soon as green is healthy and its `AfterAllowTestTraffic` hooks pass (a wait applies only to STOP_DEPLOYMENT, which nothing continues). Setting it is an error.",
        ),
    /**
     * The task definition template in the build output. CodeDeployToECS registers it as the new revision, replacing
     * only the `<IMAGE1_NAME>` placeholder; its role, log and secret ARNs are one account's. Where a release built
     * once is deployed to several accounts, give each environment its own template (e.g. `taskdef.prod.json`).
     * @default "taskdef.json"
     */
    taskDefinitionTemplatePath: z
        .string()
        .regex(/^(?!\/)(?!.*\.\.)[\w./-]{1,100}\.json$/, {
            error: 'must be a relative path to a JSON file in the build output, like "deploy/taskdef.prod.json"',
        })
        .default("taskdef.json")
        .describe(
            'Task definition template in the build output, registered as the new revision with `<IMAGE1_NAME>` replaced. Its ARNs are one account\'s: in a release chain, give each environment its own (like "taskdef.prod.json"). Default: "taskdef.json".',
        ),
    targetGroups: z
        .tuple([resourceName("web-blue"), resourceName("web-green")], {
            error: "must be two target group names: [blue, green]",
        })
        .describe("Names of the blue and green target groups, in that order."),
    alarms: alarmNames.describe("CloudWatch alarms that stop the deployment and roll it back."),
    terminationWaitMinutes: z
        .number()
        .int()
        .min(0)
        .max(2880, { error: "must be at most 2880 (two days, CodeDeploy's limit)" })
        .default(5)
        .describe("Minutes the blue task set is kept after traffic moved, for a fast manual rollback (0-2880)."),
});
