import { allow, policy, type PolicyDocument, type Statement } from "../iam/document";
import { deliveryMetricsLogGroupName, logGroupArn, pipelineArn, type NameContext } from "../names";

/**
 * The delivery-metrics handler's role. It writes its own log streams — the metrics travel inside them in CloudWatch
 * embedded metric format, so no `cloudwatch:PutMetricData` is granted at all — and reads the executions of the
 * environment's pipelines. No `logs:CreateLogGroup`: the stack creates the (encrypted) group.
 * Actions and resource types: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 * and https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodepipeline.html (GetPipelineExecution
 * and ListActionExecutions act on the `pipeline` resource type).
 */
export function deliveryMetricsRolePolicy(ctx: NameContext, services: readonly string[]): PolicyDocument {
    const logGroup = logGroupArn(ctx, deliveryMetricsLogGroupName(ctx));
    return policy([
        allow("WriteOwnLogStreams", ["logs:CreateLogStream", "logs:PutLogEvents"], [`${logGroup}:log-stream:*`]),
        allow(
            "ReadEnvironmentPipelineExecutions",
            ["codepipeline:GetPipelineExecution", "codepipeline:ListActionExecutions"],
            services.map((service) => pipelineArn(ctx, service)),
        ),
    ]);
}

/**
 * Lambda assumes the execution role (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html).
 * The Lambda guide documents no source-account key on that call, so none is required here: a condition Lambda does
 * not send would leave the function unable to run.
 */
export function deliveryMetricsTrustPolicy(): PolicyDocument {
    return policy([
        {
            Sid: "LambdaRuns",
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: ["sts:AssumeRole"],
        },
    ]);
}

/**
 * CloudWatch alarms publish to a KMS-encrypted topic only when the key policy lets `cloudwatch.amazonaws.com` use
 * the key (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * The environment key's policy must include this statement (it lives in `model/iam/key-policy.ts`, owned by the
 * pipeline model): without it the alarms change state but their notifications are dropped.
 */
export function alarmsUseKeyStatement(): Statement {
    return {
        Sid: "AlarmsPublishToEncryptedTopics",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        // In a key policy `*` is this key. The page's statement has no condition; none is added here, since one
        // CloudWatch does not satisfy would silently drop every notification.
        Resource: ["*"],
    };
}

/**
 * The topic policy statement letting this environment's alarms publish (same source account and alarm-name
 * prefix), for `model/iam/topic-policy.ts`. https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 */
export function alarmsPublishStatement(ctx: NameContext, topicArn: string): Statement {
    return {
        Sid: "EnvironmentAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["sns:Publish"],
        Resource: [topicArn],
        Condition: {
            StringEquals: { "aws:SourceAccount": ctx.accountId },
            ArnLike: {
                "aws:SourceArn": `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:cicd-${ctx.environment}-*`,
            },
        },
    };
}
