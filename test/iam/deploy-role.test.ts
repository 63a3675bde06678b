import { strict as assert } from "node:assert";
import * as names from "../../model/names";
import { deployRolePolicy } from "../../model/iam/deploy-role";
import {
    ctx,
    EXECUTION_ROLE,
    LISTENER_ARN,
    model,
    OTHER_ACCOUNT,
    services,
    TASK_ROLE,
    TEST_LISTENER_ARN,
    type ServiceId,
} from "./fixtures";
import { arn, artifact, dangerousRequests, environmentResourcePolicy } from "./requests";
import { decisions, req, unexpected, type Caller, type Request } from "./sim";

const caller = (id: ServiceId): Caller => {
    const doc = deployRolePolicy(model(id));
    assert.ok(doc, `${id} has a deploy role`);
    return { principal: names.roleArn(ctx, model(id).service, "deploy"), identity: [doc] };
};

const rule = (listener: string) => `${listener.replace(":listener/", ":listener-rule/")}/9d8c7b6a5f4e3d2c`;

const cases: Partial<Record<ServiceId, { needs: Request[]; denied: Request[] }>> = {
    web: {
        needs: [
            req("ecs:DescribeServices", arn("ecs", "service/web-cluster/web")),
            req("ecs:UpdateServicePrimaryTaskSet", arn("ecs", "service/web-cluster/web")),
            req("ecs:CreateTaskSet", arn("ecs", "task-set/web-cluster/web/ecs-svc/1234567890")),
            req("ecs:DeleteTaskSet", arn("ecs", "task-set/web-cluster/web/ecs-svc/1234567890")),
            req("elasticloadbalancing:ModifyListener", LISTENER_ARN),
            req("elasticloadbalancing:ModifyListener", TEST_LISTENER_ARN),
            req("elasticloadbalancing:ModifyRule", rule(LISTENER_ARN)),
            req("elasticloadbalancing:ModifyRule", rule(TEST_LISTENER_ARN)),
            req("elasticloadbalancing:DescribeListeners", "*"),
            req("elasticloadbalancing:DescribeRules", "*"),
            req("elasticloadbalancing:DescribeTargetGroups", "*"),
            req("cloudwatch:DescribeAlarms", arn("cloudwatch", "alarm:web-5xx")),
            req("cloudwatch:DescribeAlarms", arn("cloudwatch", "alarm:web-latency")),
            req("iam:PassRole", TASK_ROLE, { "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
            req("iam:PassRole", EXECUTION_ROLE, { "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
            // The appspec's lifecycle hooks, under AWS's CodeDeployHook_ naming for this service.
            req("lambda:InvokeFunction", arn("lambda", "function:CodeDeployHook_web")),
            req("lambda:InvokeFunction", arn("lambda", "function:CodeDeployHook_web:live")),
            req("lambda:InvokeFunction", arn("lambda", "function:CodeDeployHook_web-after-test-traffic")),
        ],
        denied: [
            req("ecs:UpdateService", arn("ecs", "service/web-cluster/web")),
            req("ecs:DeleteService", arn("ecs", "service/web-cluster/web")),
            req("ecs:CreateTaskSet", arn("ecs", "task-set/web-cluster/payments/ecs-svc/1")),
            req("ecs:UpdateServicePrimaryTaskSet", arn("ecs", "service/web-cluster/payments")),
            req(
                "elasticloadbalancing:ModifyListener",
                arn("elasticloadbalancing", "listener/app/payments/50dc6c495c0c9188/f2f7dc8efc522ab2"),
            ),
            req("elasticloadbalancing:DeleteListener", LISTENER_ARN),
            req(
                "elasticloadbalancing:ModifyTargetGroup",
                arn("elasticloadbalancing", "targetgroup/web-blue/0123456789abcdef"),
            ),
            req("cloudwatch:DescribeAlarms", arn("cloudwatch", "alarm:payments-5xx")),
            req("cloudwatch:DeleteAlarms", arn("cloudwatch", "alarm:web-5xx")),
            req("iam:PassRole", TASK_ROLE, { "iam:PassedToService": "lambda.amazonaws.com" }),
            req("lambda:InvokeFunction", arn("lambda", "function:CodeDeployHook_payments")),
            req("lambda:InvokeFunction", arn("lambda", "function:CodeDeployHook_webshop")),
            req("lambda:InvokeFunction", arn("lambda", "function:web-smoke")),
            req("lambda:InvokeFunction", arn("lambda", "function:CodeDeployHook_web", OTHER_ACCOUNT)),
            req("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:CodeDeployHook_web"),
            req("lambda:UpdateFunctionCode", arn("lambda", "function:CodeDeployHook_web")),
            req("s3:GetObject", artifact("web")),
        ],
    },
};

describe("deploy (CodeDeploy) role policy (simulated)", () => {
    for (const id of Object.keys(cases) as ServiceId[]) {
        const c = cases[id]!;
        describe(`${services[id].deploy.kind} (${id})`, () => {
            it("allows every request CodeDeploy makes for the deployment", async () => {
                assert.deepEqual(
                    unexpected(await decisions(caller(id), c.needs, environmentResourcePolicy), "Allowed"),
                    {},
                );
            });

            it("denies other services' resources and dangerous requests", async () => {
                const got = await decisions(
                    caller(id),
                    [...dangerousRequests(id), ...c.denied],
                    environmentResourcePolicy,
                );
                assert.deepEqual(
                    unexpected(got, (d) => d !== "Allowed"),
                    {},
                );
            });
        });
    }

    it("exists only for the kinds CodeDeploy carries out", () => {
        const withRole = (Object.keys(services) as ServiceId[]).filter(
            (id) => deployRolePolicy(model(id)) !== undefined,
        );
        // Lambda deploys through CodePipeline's own Lambda action: no CodeDeploy application, group or role.
        assert.deepEqual(withRole, ["web"]);
        assert.deepEqual(
            (Object.keys(services) as ServiceId[]).filter((id) => model(id).roles.includes("deploy")),
            ["web"],
        );
    });
});
