import * as names from "../../model/names";
import { artifactBucketPolicy } from "../../model/iam/bucket-policy";
import { type PolicyDocument } from "../../model/iam/document";
import { artifactKeyPolicy } from "../../model/iam/key-policy";
import {
    ACCOUNT,
    BUCKET,
    CROSS_ACCOUNT_DEPLOY_ROLE,
    crossAccountReaders,
    ctx,
    FOREIGN_KEY_ARN,
    KEY_ARN,
    model,
    OTHER_ACCOUNT,
    REGION,
    SOURCE_KEY_ARN,
    type ServiceId,
} from "./fixtures";
import { req, type Request } from "./sim";

/** The environment's key and bucket policies, applied to requests on the key and bucket as AWS would. */
export const keyPolicy = artifactKeyPolicy(ctx, { bucketName: BUCKET, crossAccountReaders });
export const bucketPolicy = artifactBucketPolicy(ctx, { bucketName: BUCKET, keyArn: KEY_ARN, crossAccountReaders });
export const BUCKET_ARN = names.bucketArn(ctx, BUCKET);

/** The deploy role's trust policy in the other account, trusting this account: our identity policies decide. */
const deployRoleTrust: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "TrustCicdAccount",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: ["sts:AssumeRole"],
        },
    ],
};

/** The source bucket owner's key, with KMS's default key policy: the account's IAM policies decide. */
const sourceKeyPolicy: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "EnableIamPolicies",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: ["kms:*"],
            Resource: ["*"],
        },
    ],
};

export function environmentResourcePolicy(r: Request): PolicyDocument | undefined {
    if (r.resource === KEY_ARN) return keyPolicy;
    if (r.resource === SOURCE_KEY_ARN) return sourceKeyPolicy;
    if (r.resource === CROSS_ACCOUNT_DEPLOY_ROLE) return deployRoleTrust;
    if (r.resource === BUCKET_ARN || r.resource.startsWith(`${BUCKET_ARN}/`)) return bucketPolicy;
    return undefined;
}

export const artifact = (id: ServiceId, key = "BuildOutpu/abc.zip"): string =>
    `${BUCKET_ARN}/${model(id).artifactFolder}/${key}`;
export const project = (id: ServiceId, project: string): string =>
    names.projectArn(ctx, names.projectName(ctx, model(id).service, project));
export const arn = (service: string, resource: string, account = ACCOUNT): string =>
    `arn:aws:${service}:${REGION}:${account}:${resource}`;
export const role = (name: string, account = ACCOUNT): string => `arn:aws:iam::${account}:role/${name}`;

/** Requests no CI/CD role may make, whatever its pipeline. */
export function dangerousRequests(id: ServiceId): Request[] {
    const other: ServiceId = id === "worker" ? "web" : "worker";
    return [
        req("s3:GetObject", artifact(other)),
        req("s3:PutObject", artifact(other)),
        req("s3:GetObject", `${BUCKET_ARN}/${model(id).artifactFolder}x/BuildOutpu/abc.zip`),
        req("s3:DeleteObject", artifact(id)),
        req("s3:DeleteBucket", BUCKET_ARN),
        req("s3:PutBucketPolicy", BUCKET_ARN),
        req("s3:PutLifecycleConfiguration", BUCKET_ARN),
        { ...req("s3:GetObject", artifact(id)), resourceAccount: OTHER_ACCOUNT },
        req("kms:Decrypt", FOREIGN_KEY_ARN),
        req("kms:ScheduleKeyDeletion", KEY_ARN),
        req("kms:PutKeyPolicy", KEY_ARN),
        req("kms:DisableKey", KEY_ARN),
        req("kms:CreateGrant", KEY_ARN),
        req("iam:PassRole", role("admin"), { "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
        req("iam:PassRole", role("cicd/prod/web-prod-deploy"), { "iam:PassedToService": "codedeploy.amazonaws.com" }),
        req("iam:CreateRole", role("backdoor")),
        req("iam:PutRolePolicy", role(`cicd/prod/${names.roleName(ctx, model(id).service, "pipeline")}`)),
        req("iam:AttachRolePolicy", role(`cicd/prod/${names.roleName(ctx, model(id).service, "build")}`)),
        req("sts:AssumeRole", role("admin")),
        req("codebuild:StartBuild", project(other, "build")),
        req("codebuild:StopBuild", project(other, "build")),
        req("codebuild:CreateProject", project(id, "evil")),
        req("codebuild:UpdateProject", project(id, "build")),
        req("lambda:UpdateFunctionCode", arn("lambda", "function:payments-api")),
        ...(model(id).deploy.kind === "lambda"
            ? []
            : [req("lambda:UpdateFunctionCode", arn("lambda", "function:orders-api"))]),
        req("lambda:CreateFunction", arn("lambda", "function:backdoor")),
        req("ecs:UpdateService", arn("ecs", "service/web-cluster/payments")),
        req("codepipeline:PutApprovalResult", arn("codepipeline", `${model(id).pipelineName}/Approve/Approve`)),
        req("codepipeline:UpdatePipeline", arn("codepipeline", model(id).pipelineName)),
        req("secretsmanager:GetSecretValue", arn("secretsmanager", "secret:prod/db-master-AbCdEf")),
        req("ssm:GetParameters", arn("ssm", "parameter/cicd/prod/payments/token")),
    ];
}
