// The pulumi.runtime.Mocks the plan installs. Strict, like the mocks of Pulumi's own SDK tests
// (pulumi/pulumi tests/integration/nodejs/parameterized/index.spec.ts throws "unknown function"):
// the program makes no provider function calls (invokes), so any call is an error, and a resource
// type without an entry here is an error naming the file to extend, never a silently wrong guess.
// Each entry gives what the provider computes and the program reads: the physical name
// (the `name`-like input, else Pulumi's auto-name `<logical>-<7 hex>`), the id and the ARN, with
// ARN formats from the Service Authorization Reference, one page per service, e.g.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodepipeline.html
// In preview mode computed values are the engine's unknown sentinel, which the SDK turns into
// unknown Outputs exactly as in `pulumi preview` (@pulumi/pulumi runtime/rpc.ts: unknownValue).
import { createHash } from "crypto";

import type * as pulumi from "@pulumi/pulumi";

import * as names from "../../../model/names";
import { UNKNOWN } from "../../shared/resource";

export interface MockSettings {
    account: string;
    region: string;
    preview: boolean;
}

interface Identity {
    id: string;
    arn?: string;
    /** Other computed outputs the program reads. */
    extra?: Record<string, unknown>;
}

interface Context {
    names: names.NameContext;
    name: string;
    hash: string;
    inputs: Record<string, unknown>;
}

/** Inputs that carry the physical name, by precedence. */
const NAME_INPUTS = [
    "name",
    "bucket",
    "roleName",
    "projectName",
    "functionName",
    "deploymentGroupName",
    "deploymentConfigName",
    "dashboardName",
    "appName",
];

const regional = (c: Context, service: string, resource: string) =>
    `arn:${c.names.partition}:${service}:${c.names.region}:${c.names.accountId}:${resource}`;
const uuid = (h: string) =>
    `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
const iamArn = (c: Context, kind: string) =>
    `arn:${c.names.partition}:iam::${c.names.accountId}:${kind}${typeof c.inputs.path === "string" ? c.inputs.path : "/"}${c.name}`;
const named = (arn: (c: Context) => string) => (c: Context) => ({ id: c.name, arn: arn(c) });
const arnId = (arn: (c: Context) => string) => (c: Context) => ({ id: arn(c), arn: arn(c) });
/** Resources configuring another one (its id is the parent's name), with no ARN of their own. */
const attached = (c: Context): Identity => ({ id: String(c.inputs.bucket ?? c.inputs.role ?? c.inputs.arn ?? c.name) });

const IDENTITIES: Record<string, (c: Context) => Identity> = {
    "aws:kms/key:Key": (c) => ({
        id: uuid(c.hash),
        arn: regional(c, "kms", `key/${uuid(c.hash)}`),
        extra: { keyId: uuid(c.hash) },
    }),
    "aws:kms/alias:Alias": named((c) => regional(c, "kms", c.name)),
    "aws:s3/bucket:Bucket": (c) => ({
        id: c.name,
        arn: names.bucketArn(c.names, c.name),
        extra: { bucket: c.name, bucketRegionalDomainName: `${c.name}.s3.${c.names.region}.amazonaws.com` },
    }),
    "aws:s3/bucketPolicy:BucketPolicy": attached,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": attached,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": attached,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": attached,
    "aws:s3/bucketVersioning:BucketVersioning": attached,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": attached,
    // The release bucket's EventBridge notifications (id: the bucket's name).
    "aws:s3/bucketNotification:BucketNotification": attached,
    "aws:iam/role:Role": (c) => ({
        id: c.name,
        arn: iamArn(c, "role"),
        extra: { uniqueId: `AROA${c.hash.slice(0, 17).toUpperCase()}` },
    }),
    "aws:iam/policy:Policy": (c) => ({ id: iamArn(c, "policy"), arn: iamArn(c, "policy") }),
    "aws:iam/rolePolicy:RolePolicy": (c) => ({ id: `${String(c.inputs.role)}:${c.name}` }),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": attached,
    "aws:codebuild/project:Project": named((c) => names.projectArn(c.names, c.name)),
    "aws:codebuild/reportGroup:ReportGroup": arnId((c) => regional(c, "codebuild", `report-group/${c.name}`)),
    "aws:cloudwatch/logGroup:LogGroup": named((c) => names.logGroupArn(c.names, c.name)),
    "aws:cloudwatch/metricAlarm:MetricAlarm": named((c) => names.cloudWatchAlarmArn(c.names, c.name)),
    // Dashboard ARNs carry no region.
    "aws:cloudwatch/dashboard:Dashboard": (c) => {
        const arn = `arn:${c.names.partition}:cloudwatch::${c.names.accountId}:dashboard/${c.name}`;
        return { id: c.name, arn, extra: { dashboardArn: arn } };
    },
    "aws:cloudwatch/eventRule:EventRule": named((c) => regional(c, "events", `rule/${c.name}`)),
    "aws:cloudwatch/eventTarget:EventTarget": attached,
    "aws:codepipeline/pipeline:Pipeline": named((c) => regional(c, "codepipeline", c.name)),
    "aws:codestarnotifications/notificationRule:NotificationRule": arnId((c) =>
        regional(c, "codestar-notifications", `notificationrule/${c.hash.slice(0, 40)}`),
    ),
    "aws:codedeploy/application:Application": (c) => ({
        id: uuid(c.hash),
        arn: names.codeDeployApplicationArn(c.names, c.name),
        extra: { applicationId: uuid(c.hash) },
    }),
    "aws:codedeploy/deploymentGroup:DeploymentGroup": (c) => ({
        id: uuid(c.hash),
        arn: names.codeDeployGroupArn(c.names, String(c.inputs.appName), c.name),
        extra: { deploymentGroupId: uuid(c.hash) },
    }),
    "aws:codedeploy/deploymentConfig:DeploymentConfig": (c) => ({
        id: c.name,
        arn: names.deploymentConfigArn(c.names, c.name),
        extra: { deploymentConfigId: uuid(c.hash) },
    }),
    "aws:sns/topic:Topic": arnId((c) => names.topicArn(c.names, c.name)),
    "aws:sns/topicPolicy:TopicPolicy": attached,
    "aws:sns/topicSubscription:TopicSubscription": arnId((c) => `${String(c.inputs.topic)}:${uuid(c.hash)}`),
    // A queue's id is its URL (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html),
    // which its policy names; the ARN is the Service Authorization Reference's (list_amazonsqs.html).
    "aws:sqs/queue:Queue": (c) => {
        const url = `https://sqs.${c.names.region}.amazonaws.com/${c.names.accountId}/${c.name}`;
        return { id: url, arn: names.sqsQueueArn(c.names, c.name), extra: { url } };
    },
    "aws:sqs/queuePolicy:QueuePolicy": (c) => ({ id: String(c.inputs.queueUrl ?? c.name) }),
    "aws:ecr/repository:Repository": named((c) => names.ecrRepositoryArn(c.names, c.name)),
    "aws:lambda/function:Function": named((c) => names.lambdaFunctionArn(c.names, c.name)),
    "aws:lambda/permission:Permission": (c) => ({ id: String(c.inputs.statementId ?? c.name) }),
    // GitHub's OIDC provider (the bootstrap program): its ARN names the issuer's host.
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": arnId(
        (c) =>
            `arn:${c.names.partition}:iam::${c.names.accountId}:oidc-provider/${String(c.inputs.url ?? c.name).replace(/^https:\/\//, "")}`,
    ),
    "aws:ssm/parameter:Parameter": named((c) =>
        names.ssmParameterArn(c.names, c.name.startsWith("/") ? c.name : `/${c.name}`),
    ),
};

export function planMocks(settings: MockSettings): pulumi.runtime.Mocks {
    // Region of each explicit provider by its id: resources created with another region's provider (waves' regional
    // artifact stores) get that region in their ARNs.
    const providerRegions = new Map<string, string>();
    return {
        newResource: (args) => {
            if (args.custom && args.type.startsWith("pulumi:providers:")) {
                const result = { id: `${args.name}-id`, state: args.inputs };
                const region = (args.inputs as Record<string, unknown>).region;
                if (typeof region === "string") providerRegions.set(result.id, region);
                return result;
            }
            // A provider reference is `<provider URN>::<provider id>`.
            const providerId = args.provider?.slice(args.provider.lastIndexOf("::") + 2);
            const region = (providerId && providerRegions.get(providerId)) || settings.region;
            return newResource(args, { ...settings, region });
        },
        call: (args) => {
            throw new Error(
                `the program called the provider function ${args.token}, which the offline plan does not mock; ` +
                    "derive the value from config (model/names.ts) or add the call to tools/plan/child/mocks.ts",
            );
        },
    };
}

function newResource(args: pulumi.runtime.MockResourceArgs, s: MockSettings): pulumi.runtime.MockResourceResult {
    if (!args.custom) return { id: undefined, state: args.inputs };
    if (args.type.startsWith("pulumi:providers:")) return { id: `${args.name}-id`, state: args.inputs };
    const identity = IDENTITIES[args.type];
    if (!identity) {
        throw new Error(
            `the offline plan has no mock for resource type ${args.type} (resource "${args.name}"); ` +
                "add its id and ARN format to tools/plan/child/mocks.ts",
        );
    }
    const inputs = args.inputs as Record<string, unknown>;
    const hash = createHash("sha256").update(`${args.type}::${args.name}`).digest("hex");
    const explicit = NAME_INPUTS.map((key) => inputs[key]).find((v) => typeof v === "string" && v !== "");
    const name = (explicit as string | undefined) ?? `${args.name}-${hash.slice(0, 7)}`;
    const context = { accountId: s.account, region: s.region, partition: "aws", environment: "" };
    const { id, arn, extra } = identity({ names: context, name, hash, inputs });
    const computed: Record<string, unknown> = { ...extra, ...(arn ? { arn } : {}) };
    // A real preview knows inputs and auto-names (the provider's Check step makes them) but not what
    // the cloud assigns: ids, ARNs, endpoints.
    if (s.preview) for (const key of Object.keys(computed)) if (key !== "bucket") computed[key] = UNKNOWN;
    return {
        id: s.preview ? undefined : id,
        state: { name, ...inputs, ...computed, tagsAll: inputs.tags },
    };
}
