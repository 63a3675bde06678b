import { strict as assert } from "node:assert";
import * as names from "../../model/names";
import { ECS_DEPLOYMENT_CONFIG } from "../../model/deploy-kinds/ecs-blue-green";
import { pipelineRolePolicy } from "../../model/iam/pipeline-role";
import {
    approvalTopic,
    BUCKET,
    CONNECTION_ARN,
    CROSS_ACCOUNT_DEPLOY_ROLE,
    ctx,
    EXECUTION_ROLE,
    KEY_ARN,
    model,
    OTHER_ACCOUNT,
    refs,
    services,
    SOURCE_KEY_ARN,
    TASK_ROLE,
    type ServiceId,
} from "./fixtures";
import { arn, artifact, BUCKET_ARN, dangerousRequests, environmentResourcePolicy, role } from "./requests";
import { decisions, req, unexpected, type Caller, type Request } from "./sim";

const caller = (id: ServiceId): Caller => ({
    principal: names.roleArn(ctx, model(id).service, "pipeline"),
    identity: [pipelineRolePolicy(ctx, model(id), services[id], refs)],
});

/** What every pipeline does: move artifacts in its folder, run its own builds, tell approvers. */
function commonNeeds(id: ServiceId): Request[] {
    return [
        req("s3:GetObject", artifact(id)),
        req("s3:GetObjectVersion", artifact(id)),
        req("s3:PutObject", artifact(id, "SourceOutp/xyz")),
        req("s3:GetBucketVersioning", BUCKET_ARN),
        req("s3:GetBucketLocation", BUCKET_ARN),
        req("kms:GenerateDataKey", KEY_ARN),
        req("kms:Decrypt", KEY_ARN),
        req("sns:Publish", approvalTopic(model(id).service)),
        ...model(id).projects.flatMap((p) => [
            req("codebuild:StartBuild", names.projectArn(ctx, p.name)),
            req("codebuild:BatchGetBuilds", names.projectArn(ctx, p.name)),
            // Stopping an execution and abandoning its actions stops the builds they started.
            req("codebuild:StopBuild", names.projectArn(ctx, p.name)),
        ]),
    ];
}

/** The CodeDeploy application and deployment group of a service's pipeline, as the plan names them. */
const application = (service: string) =>
    names.codeDeployApplicationArn(ctx, names.codeDeployApplicationName(ctx, service));
const deploymentGroup = (service: string) =>
    names.codeDeployGroupArn(
        ctx,
        names.codeDeployApplicationName(ctx, service),
        names.codeDeployGroupName(ctx, service),
    );

const codeDeployNeeds = (id: "web"): Request[] => {
    const service = model(id).service;
    return [
        req("codedeploy:GetApplication", application(service)),
        req("codedeploy:GetApplicationRevision", application(service)),
        req("codedeploy:RegisterApplicationRevision", application(service)),
        req("codedeploy:CreateDeployment", deploymentGroup(service)),
        req("codedeploy:GetDeployment", deploymentGroup(service)),
        req("codedeploy:GetDeploymentConfig", names.deploymentConfigArn(ctx, ECS_DEPLOYMENT_CONFIG)),
    ];
};

/** Each action prefix is evaluated against the connection ARN spelled with the same service name. */
const connection = (prefix: "codeconnections" | "codestar-connections", repository = "acme/web") =>
    req(`${prefix}:UseConnection`, CONNECTION_ARN.replace(":codeconnections:", `:${prefix}:`), {
        [`${prefix}:FullRepositoryId`]: repository,
    });

/** Per service: the requests its Source and Deploy actions make (allowed) and near misses (denied). */
const cases: Record<ServiceId, { needs: Request[]; denied: Request[] }> = {
    web: {
        needs: [
            connection("codeconnections"),
            connection("codestar-connections"),
            ...codeDeployNeeds("web"),
            req("ecs:RegisterTaskDefinition", arn("ecs", "task-definition/web:12")),
            req("ecs:TagResource", arn("ecs", "task-definition/web:12"), {
                "ecs:CreateAction": "RegisterTaskDefinition",
            }),
            req("iam:PassRole", TASK_ROLE, { "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
            req("iam:PassRole", EXECUTION_ROLE, { "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
        ],
        denied: [
            connection("codeconnections", "acme/payments"),
            connection("codestar-connections", "acme/payments"),
            req("iam:PassRole", TASK_ROLE, { "iam:PassedToService": "lambda.amazonaws.com" }),
            req("ecs:TagResource", arn("ecs", "service/web-cluster/web")),
            req("codedeploy:CreateDeployment", deploymentGroup("payments")),
            req(
                "codedeploy:GetDeploymentConfig",
                names.deploymentConfigArn(ctx, "CodeDeployDefault.ECSCanary10Percent5Minutes"),
            ),
            req("ecs:UpdateService", arn("ecs", "service/web-cluster/web")),
        ],
    },
    worker: {
        needs: [
            ...[
                "GetBranch",
                "GetCommit",
                "GetRepository",
                "UploadArchive",
                "GetUploadArchiveStatus",
                "CancelUploadArchive",
            ].map((a) => req(`codecommit:${a}`, arn("codecommit", "worker"))),
            req("ecs:DescribeServices", arn("ecs", "service/jobs/worker")),
            req("ecs:UpdateService", arn("ecs", "service/jobs/worker")),
            req("ecs:DescribeTaskDefinition", "*"),
            req("ecs:DescribeTasks", arn("ecs", "task/jobs/0123456789abcdef")),
            req("ecs:ListTasks", arn("ecs", "container-instance/jobs/0123456789abcdef")),
            // No condition key is relied on: the same request with or without `ecs:cluster`.
            req("ecs:ListTasks", arn("ecs", "container-instance/jobs/0123456789abcdef"), {
                "ecs:cluster": arn("ecs", "cluster/jobs"),
            }),
        ],
        denied: [
            req("codecommit:GitPush", arn("codecommit", "worker")),
            req("codecommit:GetBranch", arn("codecommit", "payments")),
            req("ecs:ListTasks", arn("ecs", "container-instance/web-cluster/0123456789abcdef"), {
                "ecs:cluster": arn("ecs", "cluster/web-cluster"),
            }),
            req("ecs:ListTasks", arn("ecs", "container-instance/jobs/0123456789abcdef", OTHER_ACCOUNT)),
            req("ecs:UpdateService", arn("ecs", "service/jobs/payments")),
            req("ecs:UpdateService", arn("ecs", "service/other-cluster/worker")),
            req("ecs:DescribeTasks", arn("ecs", "task/other-cluster/0123")),
            req("ecs:RunTask", arn("ecs", "task-definition/worker:3")),
            req("iam:PassRole", role("worker-task"), { "iam:PassedToService": "ec2.amazonaws.com" }),
        ],
    },
    orders: {
        needs: [
            req("s3:GetObject", "arn:aws:s3:::acme-source/orders/source.zip"),
            req("s3:GetObjectVersion", "arn:aws:s3:::acme-source/orders/source.zip"),
            req("s3:GetBucketVersioning", "arn:aws:s3:::acme-source"),
            // The source bucket's own key, through S3 only.
            req("kms:Decrypt", SOURCE_KEY_ARN, { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` }),
            // The Lambda deploy action, on this function and its alias and versions.
            ...["GetFunctionConfiguration", "UpdateFunctionCode", "PublishVersion", "GetAlias", "UpdateAlias"].flatMap(
                (a) => [
                    req(`lambda:${a}`, arn("lambda", "function:orders-api")),
                    req(`lambda:${a}`, arn("lambda", "function:orders-api:live")),
                ],
            ),
            // (GetProvisionedConcurrencyConfig is on `function:<name>:<qualifier>`, which the simulator cannot tell
            // apart from a version ARN; the statement's resources are the same as the actions above.)
            // The Deploy stage's CloudWatchAlarm rule reads its alarm.
            req("cloudwatch:DescribeAlarms", arn("cloudwatch", "alarm:orders-errors")),
        ],
        denied: [
            req("s3:GetObject", "arn:aws:s3:::acme-source/payments/source.zip"),
            req("s3:PutObject", "arn:aws:s3:::acme-source/orders/source.zip"),
            req("kms:Decrypt", SOURCE_KEY_ARN),
            req("lambda:UpdateAlias", arn("lambda", "function:payments-api:live")),
            req("lambda:UpdateFunctionConfiguration", arn("lambda", "function:orders-api")),
            req("lambda:InvokeFunction", arn("lambda", "function:orders-api")),
            req("cloudwatch:DescribeAlarms", arn("cloudwatch", "alarm:payments-errors")),
            req("codedeploy:CreateDeployment", deploymentGroup("orders-api")),
        ],
    },
    site: {
        needs: [
            connection("codeconnections", "acme/web"),
            req("s3:PutObject", "arn:aws:s3:::www-acme-com/index.html"),
            req("s3:PutObject", "arn:aws:s3:::www-acme-com/assets/app.js"),
        ],
        denied: [
            req("s3:DeleteObject", "arn:aws:s3:::www-acme-com/index.html"),
            req("s3:PutBucketPolicy", "arn:aws:s3:::www-acme-com"),
            req("s3:PutObject", "arn:aws:s3:::www-other-com/index.html"),
            req("s3:PutObjectAcl", "arn:aws:s3:::www-acme-com/index.html"),
        ],
    },
    remoteSite: {
        needs: [req("sts:AssumeRole", CROSS_ACCOUNT_DEPLOY_ROLE)],
        denied: [
            req("s3:PutObject", "arn:aws:s3:::partner-acme-com/index.html"),
            req("sts:AssumeRole", role("cicd-admin", "444455556666")),
        ],
    },
    remoteWorker: {
        needs: [
            req("sts:AssumeRole", CROSS_ACCOUNT_DEPLOY_ROLE),
            req("codecommit:GetBranch", arn("codecommit", "remote-worker")),
        ],
        denied: [
            req("ecs:UpdateService", arn("ecs", "service/jobs/remote-worker", "444455556666")),
            req("ecs:RegisterTaskDefinition", arn("ecs", "task-definition/remote-worker:1")),
            req("iam:PassRole", role("remote-task", "444455556666"), {
                "iam:PassedToService": "ecs-tasks.amazonaws.com",
            }),
        ],
    },
};

describe("pipeline role policy (simulated)", () => {
    for (const id of Object.keys(cases) as ServiceId[]) {
        describe(`${services[id].deploy.kind} with a ${services[id].source.kind} source (${id})`, () => {
            it("allows every request its stages make", async () => {
                const got = await decisions(
                    caller(id),
                    [...commonNeeds(id), ...cases[id].needs],
                    environmentResourcePolicy,
                );
                assert.deepEqual(unexpected(got, "Allowed"), {});
            });

            it("denies foreign and dangerous requests", async () => {
                const got = await decisions(
                    caller(id),
                    [...dangerousRequests(id), ...cases[id].denied],
                    environmentResourcePolicy,
                );
                assert.deepEqual(
                    unexpected(got, (d) => d !== "Allowed"),
                    {},
                );
            });
        });
    }

    it("publishes to its own approval topic only", async () => {
        const doc = pipelineRolePolicy(ctx, model("site"), services.site, { keyArn: KEY_ARN, bucketName: BUCKET });
        const got = await decisions({ principal: caller("site").principal, identity: [doc] }, [
            req("sns:Publish", approvalTopic("web")),
            req("sns:Publish", names.topicArn(ctx, names.notificationTopicName(ctx))),
        ]);
        assert.deepEqual(unexpected(got, "ImplicitlyDenied"), {});
    });

    it("grants a cross-account deploy nothing but assuming the configured role", () => {
        const doc = pipelineRolePolicy(ctx, model("remoteWorker"), services.remoteWorker, refs);
        const deploy = doc.Statement.filter((s) =>
            s.Action.some((a) => /^(ecs|iam|s3:PutObject$)/.test(a) && !a.startsWith("s3:Get")),
        );
        assert.deepEqual(
            deploy.map((s) => s.Sid),
            ["ArtifactObjects"],
        );
        assert.deepEqual(doc.Statement.find((s) => s.Action.includes("sts:AssumeRole"))?.Resource, [
            CROSS_ACCOUNT_DEPLOY_ROLE,
        ]);
    });
});
