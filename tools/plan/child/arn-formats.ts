// Realistic physical names, ids and ARNs for mocked AWS resources, so a program's `.apply`s and
// policy documents see plausible values. Formats follow the "Actions, resources, and condition keys"
// pages of the AWS Service Authorization Reference (one per service), e.g.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodepipeline.html
import { createHash } from "crypto";

export interface ArnContext {
    account: string;
    region: string;
    /** Physical name: the `name`-like input if set, else a Pulumi-style auto-name. */
    physicalName: string;
    /** Deterministic hex derived from the resource's type and logical name. */
    hash: string;
    inputs: Record<string, any>;
}

export interface MockedIdentity {
    id: string;
    arn?: string;
    /** Extra outputs the provider computes that programs commonly read. */
    extra?: Record<string, unknown>;
}

type Format = (c: ArnContext) => MockedIdentity;

const regional = (service: string, c: ArnContext, resource: string) =>
    `arn:aws:${service}:${c.region}:${c.account}:${resource}`;

const uuid = (hash: string) =>
    `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;

function bucket(c: ArnContext): MockedIdentity {
    const name = c.inputs.bucket ?? c.physicalName;
    return {
        id: name,
        arn: `arn:aws:s3:::${name}`,
        extra: {
            bucket: name,
            bucketDomainName: `${name}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${name}.s3.${c.region}.amazonaws.com`,
        },
    };
}

function kmsKey(c: ArnContext): MockedIdentity {
    const keyId = uuid(c.hash);
    return { id: keyId, arn: regional("kms", c, `key/${keyId}`), extra: { keyId } };
}

const iamPath = (c: ArnContext) => (typeof c.inputs.path === "string" ? c.inputs.path : "/");

const FORMATS: Record<string, Format> = {
    "aws:s3/bucket:Bucket": bucket,
    "aws:s3/bucketV2:BucketV2": bucket,
    "aws:kms/key:Key": kmsKey,
    "aws:kms/alias:Alias": (c) => ({ id: c.physicalName, arn: regional("kms", c, c.physicalName) }),
    "aws:iam/role:Role": (c) => ({
        id: c.physicalName,
        arn: `arn:aws:iam::${c.account}:role${iamPath(c)}${c.physicalName}`,
        extra: { uniqueId: `AROA${c.hash.slice(0, 17).toUpperCase()}` },
    }),
    "aws:iam/policy:Policy": (c) => {
        const arn = `arn:aws:iam::${c.account}:policy${iamPath(c)}${c.physicalName}`;
        return { id: arn, arn, extra: { policyId: `ANPA${c.hash.slice(0, 17).toUpperCase()}` } };
    },
    "aws:iam/rolePolicy:RolePolicy": (c) => ({ id: `${c.inputs.role}:${c.physicalName}` }),
    "aws:codebuild/project:Project": (c) => ({
        id: c.physicalName,
        arn: regional("codebuild", c, `project/${c.physicalName}`),
    }),
    "aws:codebuild/reportGroup:ReportGroup": (c) => {
        const arn = regional("codebuild", c, `report-group/${c.physicalName}`);
        return { id: arn, arn };
    },
    "aws:codepipeline/pipeline:Pipeline": (c) => ({
        id: c.physicalName,
        arn: regional("codepipeline", c, c.physicalName),
    }),
    "aws:sns/topic:Topic": (c) => {
        const arn = regional("sns", c, c.physicalName);
        return { id: arn, arn };
    },
    "aws:cloudwatch/logGroup:LogGroup": (c) => ({
        id: c.physicalName,
        arn: regional("logs", c, `log-group:${c.physicalName}`),
    }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (c) => ({
        id: c.physicalName,
        arn: regional("cloudwatch", c, `alarm:${c.physicalName}`),
    }),
    "aws:codedeploy/application:Application": (c) => ({
        id: uuid(c.hash),
        arn: regional("codedeploy", c, `application:${c.physicalName}`),
        extra: { applicationId: uuid(c.hash) },
    }),
    "aws:codedeploy/deploymentGroup:DeploymentGroup": (c) => {
        const group = c.inputs.deploymentGroupName ?? c.physicalName;
        return {
            id: `${uuid(c.hash)}`,
            arn: regional("codedeploy", c, `deploymentgroup:${c.inputs.appName}/${group}`),
            extra: { deploymentGroupId: uuid(c.hash) },
        };
    },
    "aws:codestarnotifications/notificationRule:NotificationRule": (c) => {
        const arn = regional("codestar-notifications", c, `notificationrule/${c.hash.slice(0, 40)}`);
        return { id: arn, arn };
    },
    "aws:codestarconnections/connection:Connection": (c) => {
        const arn = regional("codestar-connections", c, `connection/${uuid(c.hash)}`);
        return { id: arn, arn };
    },
    "aws:ecr/repository:Repository": (c) => ({
        id: c.physicalName,
        arn: regional("ecr", c, `repository/${c.physicalName}`),
        extra: {
            repositoryUrl: `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${c.physicalName}`,
            registryId: c.account,
        },
    }),
    "aws:lambda/function:Function": (c) => ({
        id: c.physicalName,
        arn: regional("lambda", c, `function:${c.physicalName}`),
    }),
    "aws:ssm/parameter:Parameter": (c) => ({
        id: c.physicalName,
        arn: regional("ssm", c, `parameter/${c.physicalName.replace(/^\//, "")}`),
    }),
};

/** Inputs that carry the physical name, by precedence; otherwise Pulumi auto-names `<logical>-<7 hex>`. */
export const NAME_INPUTS = ["name", "bucket", "roleName", "projectName", "functionName", "deploymentGroupName"];

export function physicalName(name: string, inputs: Record<string, any>, hash: string): string {
    const explicit = NAME_INPUTS.map((key) => inputs[key]).find((v) => typeof v === "string" && v !== "");
    return explicit ?? `${name}-${hash.slice(0, 7)}`;
}

export function identityHash(type: string, name: string): string {
    return createHash("sha256").update(`${type}::${name}`).digest("hex");
}

/** `aws:<module>/<resource>:<Type>` -> ARN; unknown types get `arn:aws:<module>:<region>:<account>:<type>/<name>`. */
export function mockIdentity(type: string, context: ArnContext): MockedIdentity {
    const format = FORMATS[type];
    if (format) return format(context);
    const [, module = "unknown", resource = "resource"] = /^aws:([^/:]+)\/([^:]+):/.exec(type) ?? [];
    return {
        id: context.physicalName,
        arn: regional(module.toLowerCase(), context, `${resource}/${context.physicalName}`),
    };
}
