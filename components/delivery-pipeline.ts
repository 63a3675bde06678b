import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    assumeRolePolicy,
    buildRolePolicy,
    deployRolePolicy,
    pipelineRolePolicy,
    testRolePolicy,
    type PolicyDocument,
} from "../model/iam";
import * as names from "../model/names";
import { buildPipelineModel, nameContext, type PipelineModel } from "../model/pipeline";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import { checkRules } from "../stacks/rules";
import type { ServiceConfig } from "../stacks/service-schema";
import { configPath } from "../stacks/config-error";
import { ApprovalGate } from "./approval-gate";
import { BuildProject } from "./build-project";
import { deployResources } from "./deploy";
import { stageInputs, triggerInputs, type ActionBindings } from "./pipeline-stages";
import { sourceChangeDetection } from "./source-events";
import { serviceTags } from "./tags";

export interface DeliveryPipelineArgs {
    /** The environment the pipeline deploys to. */
    readonly environment: EnvironmentConfig;
    /** The service: source, build, tests, approval, deploy and triggers. */
    readonly service: ServiceConfig;
    /** The environment's shared artifact store. */
    readonly artifactStore: { readonly keyArn: pulumi.Input<string>; readonly bucketName: pulumi.Input<string> };
    /** Topic told when a run fails, succeeds or waits for approval. */
    readonly notificationTopicArn: pulumi.Input<string>;
    /**
     * Role EventBridge uses to start pipelines on CodeCommit and S3 changes; required for those sources.
     * @default none
     */
    readonly eventsRoleArn?: pulumi.Input<string>;
}

/** Pipeline events worth a message (https://docs.aws.amazon.com/dtconsole/latest/userguide/concepts.html#events-ref-pipeline). */
export const NOTIFIED_EVENTS = [
    "codepipeline-pipeline-pipeline-execution-failed",
    "codepipeline-pipeline-pipeline-execution-succeeded",
    "codepipeline-pipeline-manual-approval-needed",
];

/** A rule's config path as this component's argument path: `services[0].build` → `service.build`. */
const argumentPath = (path: readonly PropertyKey[]): string =>
    configPath(path)
        .replace(/^cicd:services\[0\]/, "service")
        .replace(/^cicd:/, "");

const PRINCIPALS = {
    pipeline: "codepipeline.amazonaws.com",
    build: "codebuild.amazonaws.com",
    test: "codebuild.amazonaws.com",
    deploy: "codedeploy.amazonaws.com",
} as const;

/**
 * A CodePipeline (V2) for one service in one environment: Source → Build → Test → Approve → Deploy, with at most
 * three least-privilege roles, encrypted artifacts and logs, and notifications.
 */
export class DeliveryPipeline extends pulumi.ComponentResource {
    public readonly pipelineName: pulumi.Output<string>;
    public readonly pipelineArn: pulumi.Output<string>;
    /** ARNs of the pipeline's roles, by kind. */
    public readonly roleArns: Record<string, pulumi.Output<string>>;
    /** Policy to attach to approvers, when the pipeline has a manual approval. */
    public readonly approverPolicyArn?: pulumi.Output<string>;
    /** The pure model the resources were built from. */
    public readonly model: PipelineModel;

    constructor(name: string, args: DeliveryPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cicd:pipeline:DeliveryPipeline", name, {}, opts);
        const { environment: env, service } = args;
        const issues = checkRules({ stack: pulumi.getStack(), environment: env, services: [service] });
        if (issues.length > 0) {
            throw new pulumi.ResourceError(
                issues.map((i) => `\`${argumentPath(i.path)}\` ${i.message}`).join("\n"),
                this,
            );
        }
        if (service.source.kind !== "codestar" && !args.eventsRoleArn) {
            throw new pulumi.ResourceError(
                `\`eventsRoleArn\` is required for a ${service.source.kind} source: EventBridge starts the pipeline on changes. Pass the environment's SourceEvents role.`,
                this,
            );
        }
        const model = buildPipelineModel(env, service);
        const ctx = nameContext(env);
        const tags = serviceTags(service.name, model.pipelineName);
        const { keyArn, bucketName } = args.artifactStore;
        const child = { parent: this };

        const approvalAction = model.stages.find((s) => s.id === "approve")?.actions[0];
        const gate =
            model.approval && approvalAction
                ? new ApprovalGate(
                      `${name}-approval`,
                      {
                          environment: env,
                          service: service.name,
                          pipelineName: model.pipelineName,
                          stageName: "Approve",
                          actionName: approvalAction.name,
                          approval: model.approval,
                          keyArn,
                          tags,
                      },
                      child,
                  )
                : undefined;

        const documents: Record<names.RoleKind, (k: string, b: string, t?: string) => PolicyDocument | undefined> = {
            pipeline: (k, b, t) =>
                pipelineRolePolicy(ctx, model, service, { keyArn: k, bucketName: b, approvalTopicArn: t }),
            build: (k, b) => buildRolePolicy(ctx, model, service, { keyArn: k, bucketName: b }),
            test: (k, b) => testRolePolicy(ctx, model, { keyArn: k, bucketName: b }),
            deploy: (k, b) => deployRolePolicy(ctx, model, service, { keyArn: k, bucketName: b }),
        };
        const roles: Record<string, aws.iam.Role> = {};
        const rolePolicies: aws.iam.RolePolicy[] = [];
        // Test projects run under a role of their own, which cannot write the build output (see model/iam/test-role.ts).
        const roleKinds: names.RoleKind[] = model.projects.some((p) => p.roleKind === "test")
            ? [...model.roles, "test"]
            : [...model.roles];
        for (const kind of roleKinds) {
            const sourceArn = kind === "pipeline" ? names.pipelineArn(ctx, service.name) : undefined;
            const role = new aws.iam.Role(
                `${name}-${kind}-role`,
                {
                    name: names.roleName(ctx, service.name, kind),
                    path: names.rolePath(ctx),
                    description: `${kind} role of ${model.pipelineName}`,
                    assumeRolePolicy: JSON.stringify(assumeRolePolicy(ctx, PRINCIPALS[kind], sourceArn)),
                    maxSessionDuration: 3600,
                    tags,
                },
                child,
            );
            roles[kind] = role;
            rolePolicies.push(
                new aws.iam.RolePolicy(
                    `${name}-${kind}-policy`,
                    {
                        role: role.id,
                        policy: pulumi
                            .all([keyArn, bucketName, gate?.topicArn])
                            .apply(([k, b, t]) => JSON.stringify(documents[kind](k, b, t))),
                    },
                    child,
                ),
            );
        }

        const projects = model.projects.map(
            (project) =>
                new BuildProject(
                    `${name}-${project.id}`,
                    {
                        project,
                        roleArn: roles[project.roleKind].arn,
                        keyArn,
                        bucketName,
                        tags,
                    },
                    { parent: this, dependsOn: rolePolicies },
                ),
        );

        deployResources({
            name: `${name}-deploy`,
            parent: this,
            ctx,
            service: service.name,
            config: service.deploy,
            deployRoleArn: roles.deploy?.arn,
            tags,
            dependsOn: rolePolicies,
        });

        const bindings: ActionBindings =
            gate && approvalAction ? { [approvalAction.id]: gate.actionConfiguration } : {};
        const pipeline = new aws.codepipeline.Pipeline(
            `${name}-pipeline`,
            {
                name: model.pipelineName,
                // The provider's default has been V1 while AWS creates V2: always say V2 to avoid drift (shared §3).
                pipelineType: "V2",
                executionMode: model.executionMode,
                roleArn: roles.pipeline.arn,
                artifactStores: [{ location: bucketName, type: "S3", encryptionKey: { id: keyArn, type: "KMS" } }],
                stages: stageInputs(model.stages, bindings),
                triggers: triggerInputs(model.trigger, "Source"),
                tags,
            },
            { parent: this, dependsOn: [...rolePolicies, ...projects] },
        );

        new aws.codestarnotifications.NotificationRule(
            `${name}-notifications`,
            {
                name: `${model.pipelineName}-events`,
                resource: pipeline.arn,
                detailType: "FULL",
                eventTypeIds: NOTIFIED_EVENTS,
                targets: [{ address: args.notificationTopicArn, type: "SNS" }],
                tags,
            },
            child,
        );
        if (args.eventsRoleArn)
            sourceChangeDetection({
                name,
                parent: this,
                source: service.source,
                ctx,
                pipelineArn: pipeline.arn,
                roleArn: args.eventsRoleArn,
                tags,
            });

        this.model = model;
        this.pipelineName = pipeline.name;
        this.pipelineArn = pipeline.arn;
        this.roleArns = Object.fromEntries(Object.entries(roles).map(([kind, role]) => [kind, role.arn]));
        this.approverPolicyArn = gate?.approverPolicyArn;
        this.registerOutputs({
            pipelineName: this.pipelineName,
            pipelineArn: this.pipelineArn,
            roleArns: this.roleArns,
            approverPolicyArn: this.approverPolicyArn,
        });
    }
}
