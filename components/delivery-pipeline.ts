import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PipelinePlan } from "../model/environment";
import { ApprovalGate } from "./approval-gate";
import { BuildProject } from "./build-project";
import { deployResources } from "./deploy";
import { stageInputs, triggerInputs } from "./pipeline-stages";

export interface DeliveryPipelineArgs {
    /** The pipeline's plan: stages, actions, roles, projects, approval, deploy resources, change detection. */
    readonly pipeline: PipelinePlan;
    /** The environment's shared artifact store. */
    readonly artifactStore: { readonly keyArn: pulumi.Input<string>; readonly bucketName: pulumi.Input<string> };
    /**
     * Waves: the environment's artifact stores in the other regions the plan's actions run in (`plan.regions`).
     * @default []
     */
    readonly regionalStores?: readonly {
        readonly region: string;
        readonly keyArn: pulumi.Input<string>;
        readonly bucketName: pulumi.Input<string>;
    }[];
    /** Topic told when a run fails, succeeds or waits for approval. */
    readonly notificationTopicArn: pulumi.Input<string>;
    /**
     * What must exist before a notification rule targets the topic: its policy, which lets CodeStar Notifications
     * publish (otherwise the target comes up Unreachable).
     * @default []
     */
    readonly notificationDependsOn?: pulumi.Input<pulumi.Resource>[];
    /**
     * Role EventBridge uses to start pipelines on CodeCommit and S3 changes; required when the plan's change
     * detection is an EventBridge rule.
     * @default none
     */
    readonly eventsRoleArn?: pulumi.Input<string>;
    /** What must exist before the EventBridge target uses that role (its policy). @default [] */
    readonly eventsDependsOn?: pulumi.Input<pulumi.Resource>[];
    /**
     * The environment's events dead-letter queue, where the source-change target sends the events it could not
     * start the pipeline with; required when the plan's change detection is an EventBridge rule.
     * @default none
     */
    readonly deadLetterQueueArn?: pulumi.Input<string>;
    /** What must exist before the target names the queue (its policy, which lets EventBridge send). @default [] */
    readonly deadLetterDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Pipeline events worth a message (https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html#events-ref-pipeline). */
export const NOTIFIED_EVENTS = [
    "codepipeline-pipeline-pipeline-execution-failed",
    "codepipeline-pipeline-pipeline-execution-succeeded",
    "codepipeline-pipeline-manual-approval-needed",
];

/**
 * A CodePipeline (V2) for one service in one environment, translated from its plan: at most three least-privilege
 * roles, encrypted artifacts and logs, notifications. It reads no config and re-checks no rule: the plan is valid.
 */
export class DeliveryPipeline extends pulumi.ComponentResource {
    public readonly pipelineName: pulumi.Output<string>;
    public readonly pipelineArn: pulumi.Output<string>;
    /** ARNs of the pipeline's roles, by kind. */
    public readonly roleArns: Record<string, pulumi.Output<string>>;
    /** Policy to attach to approvers, when the pipeline has a manual approval. */
    public readonly approverPolicyArn?: pulumi.Output<string>;
    /** Policy to attach to the instances' role of an EC2 deploy, so its CodeDeploy agent can download revisions. */
    public readonly revisionReaderPolicyArn?: pulumi.Output<string>;
    /** The plan the resources were built from. */
    public readonly plan: PipelinePlan;

    constructor(name: string, args: DeliveryPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:pipeline:DeliveryPipeline", name, {}, opts);
        const { pipeline: plan } = args;
        if (plan.changeDetection.kind === "eventbridge" && !args.eventsRoleArn) {
            throw new pulumi.ResourceError(
                `\`eventsRoleArn\` is required: ${plan.service}'s source starts the pipeline through EventBridge. Pass the environment's SourceEvents role.`,
                this,
            );
        }
        if (plan.changeDetection.kind === "eventbridge" && !args.deadLetterQueueArn) {
            throw new pulumi.ResourceError(
                `\`deadLetterQueueArn\` is required: ${plan.service}'s source starts the pipeline through EventBridge, whose target must keep the events it cannot deliver. Pass the environment's DeadLetterQueue.`,
                this,
            );
        }
        const regional = (args.regionalStores ?? []).filter((s) => plan.regions.includes(s.region));
        const missing = plan.regions.filter((r) => !regional.some((s) => s.region === r));
        if (missing.length > 0)
            throw new pulumi.ResourceError(
                `\`regionalStores\` lacks ${missing.join(", ")}: ${plan.service} deploys there. Pass the environment's RegionalArtifactStore of each region.`,
                this,
            );
        const tags = { ...plan.tags };
        const { keyArn, bucketName } = args.artifactStore;
        const child = { parent: this };

        const gate = plan.approvalPlan
            ? new ApprovalGate(`${name}-approval`, { approval: plan.approvalPlan, keyArn, tags }, child)
            : undefined;

        const roles: Record<string, aws.iam.Role> = {};
        const rolePolicies: aws.iam.RolePolicy[] = [];
        for (const role of plan.roleDefinitions) {
            roles[role.kind] = new aws.iam.Role(
                `${name}-${role.kind}-role`,
                {
                    name: role.name,
                    path: role.path,
                    description: `${role.kind} role of ${plan.pipelineName}`,
                    assumeRolePolicy: JSON.stringify(role.trustPolicy),
                    maxSessionDuration: 3600,
                    tags,
                },
                child,
            );
            rolePolicies.push(
                new aws.iam.RolePolicy(
                    `${name}-${role.kind}-policy`,
                    {
                        role: roles[role.kind].id,
                        policy: pulumi
                            .all([keyArn, bucketName, pulumi.all(regional.map((s) => s.keyArn))])
                            .apply(([k, b, rk]) =>
                                JSON.stringify(
                                    role.policy({
                                        keyArn: k,
                                        bucketName: b,
                                        regionalKeyArns: Object.fromEntries(regional.map((s, i) => [s.region, rk[i]])),
                                    }),
                                ),
                            ),
                    },
                    child,
                ),
            );
        }

        const projects = plan.projects.map(
            (project) =>
                new BuildProject(
                    `${name}-${project.id}`,
                    {
                        project,
                        // Test projects run under the test role, which cannot write the build output.
                        roleArn: roles[project.roleKind].arn,
                        keyArn,
                        bucketName,
                        tags,
                    },
                    { parent: this, dependsOn: rolePolicies },
                ),
        );

        const deploy = deployResources(plan.deployTranslation, {
            name: `${name}-deploy`,
            parent: this,
            codeDeploy: plan.codeDeploy,
            deployRoleArn: roles.deploy?.arn,
            tags,
            dependsOn: rolePolicies,
        });

        const reader = plan.revisionReader;
        const revisionReader = reader
            ? new aws.iam.Policy(
                  `${name}-revision-reader`,
                  {
                      name: reader.policyName,
                      path: reader.policyPath,
                      description: `Download ${plan.pipelineName}'s revisions (attach to ${reader.instanceRoleArn})`,
                      policy: pulumi
                          .all([keyArn, bucketName])
                          .apply(([k, b]) => JSON.stringify(reader.policy({ keyArn: k, bucketName: b }))),
                      tags,
                  },
                  child,
              )
            : undefined;

        const pipeline = new aws.codepipeline.Pipeline(
            `${name}-pipeline`,
            {
                name: plan.pipelineName,
                // The provider's default has been V1 while AWS creates V2: always say V2 to avoid drift. V2-only
                // actions (the Lambda deploy action) and stage conditions need it too.
                pipelineType: "V2",
                executionMode: plan.executionMode,
                roleArn: roles.pipeline.arn,
                // With actions in other regions (waves), every store names its region, each with its own key.
                // https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html
                artifactStores:
                    regional.length === 0
                        ? [{ location: bucketName, type: "S3", encryptionKey: { id: keyArn, type: "KMS" } }]
                        : [
                              {
                                  location: bucketName,
                                  type: "S3",
                                  encryptionKey: { id: keyArn, type: "KMS" },
                                  region: plan.homeRegion,
                              },
                              ...regional.map((s) => ({
                                  location: s.bucketName,
                                  type: "S3",
                                  encryptionKey: { id: s.keyArn, type: "KMS" },
                                  region: s.region,
                              })),
                          ],
                stages: stageInputs(plan.stages),
                triggers: plan.changeDetection.kind === "trigger" ? triggerInputs(plan.trigger, "Source") : undefined,
                tags,
            },
            {
                parent: this,
                dependsOn: [...rolePolicies, ...projects, ...deploy, ...(gate ? [gate] : [])],
            },
        );

        // Created after the topic policy (`notificationDependsOn`), or the target comes up Unreachable
        // (https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html). In a fresh account the first rule
        // can fail while AWS creates CodeStar Notifications' service-linked role; nothing here can wait for that
        // role without creating it (which fails where it exists), so the README says to re-run `pulumi up`.
        // https://docs.aws.amazon.com/dtconsole/latest/userguide/using-service-linked-roles.html
        new aws.codestarnotifications.NotificationRule(
            `${name}-notifications`,
            {
                name: plan.notificationRuleName,
                resource: pipeline.arn,
                detailType: "FULL",
                eventTypeIds: NOTIFIED_EVENTS,
                targets: [{ address: args.notificationTopicArn, type: "SNS" }],
                tags,
            },
            { parent: this, dependsOn: args.notificationDependsOn ?? [] },
        );
        if (plan.changeDetection.kind === "eventbridge" && args.eventsRoleArn && args.deadLetterQueueArn) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-source-change`,
                {
                    name: plan.changeDetection.ruleName,
                    eventPattern: JSON.stringify(plan.changeDetection.pattern),
                    tags,
                },
                child,
            );
            // A change EventBridge could not start the pipeline with (role or pipeline gone, throttled past its
            // retries) goes to the dead-letter queue, not away.
            // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
            new aws.cloudwatch.EventTarget(
                `${name}-source-change-target`,
                {
                    rule: rule.name,
                    arn: pipeline.arn,
                    roleArn: args.eventsRoleArn,
                    deadLetterConfig: { arn: args.deadLetterQueueArn },
                },
                { parent: this, dependsOn: [...(args.eventsDependsOn ?? []), ...(args.deadLetterDependsOn ?? [])] },
            );
        }

        this.plan = plan;
        this.pipelineName = pipeline.name;
        this.pipelineArn = pipeline.arn;
        this.roleArns = Object.fromEntries(Object.entries(roles).map(([kind, role]) => [kind, role.arn]));
        this.approverPolicyArn = gate?.approverPolicyArn;
        this.revisionReaderPolicyArn = revisionReader?.arn;
        this.registerOutputs({
            revisionReaderPolicyArn: this.revisionReaderPolicyArn,
            pipelineName: this.pipelineName,
            pipelineArn: this.pipelineArn,
            roleArns: this.roleArns,
            approverPolicyArn: this.approverPolicyArn,
        });
    }
}
