import type { DeployConfigOf, DeployKindName } from "../../stacks/deploy-kinds";
import type { ActionId, PermissionContext } from "../actions";
import type { Statement } from "../iam/document";
import type { NameContext } from "../names";

export interface DeployContext extends NameContext {
    readonly service: string;
    /** Name of the artifact the Build stage produces. */
    readonly buildArtifact: string;
}

/** An ECS blue/green deployment group's traffic set-up. */
export interface EcsBlueGreenGroup {
    readonly cluster: string;
    readonly service: string;
    readonly listenerArn: string;
    readonly testListenerArn?: string;
    readonly targetGroups: readonly [string, string];
    /**
     * What CodeDeploy does once green is ready: reroute as soon as green is healthy and the appspec's hooks
     * (`AfterAllowTestTraffic` on the test listener) have succeeded. Nothing in the platform calls
     * `ContinueDeployment`, so `STOP_DEPLOYMENT` is not offered.
     */
    readonly ready: { readonly actionOnTimeout: "CONTINUE_DEPLOYMENT" };
    readonly terminationWaitMinutes: number;
}

/** An EC2/on-premises deployment group's targets and, when asked for, its custom deployment configuration. */
export interface ServerGroup {
    readonly autoScalingGroups: readonly string[];
    /** Role of the instances' instance profile, which downloads the revision (and is passed to blue/green copies). */
    readonly instanceRoleArn: string;
    /** Instances with any of these tags (CodeDeploy's `KEY_AND_VALUE` filters). */
    readonly ec2TagFilters: readonly { readonly key: string; readonly value: string }[];
    /** A custom configuration (named `deploymentConfigName`) keeping this percentage of instances healthy. */
    readonly minimumHealthyHostsPercent?: number;
    /** Blue/green: copy the one Auto Scaling group, move the target groups' traffic, terminate the originals. */
    readonly blueGreen?: { readonly targetGroups: readonly string[]; readonly terminateAfterMinutes: number };
}

/** The CodeDeploy application, deployment group and service role a kind needs, as plain data. */
export interface CodeDeployPlan {
    readonly applicationName: string;
    readonly computePlatform: "ECS" | "Server" | "Lambda";
    readonly deploymentGroupName: string;
    readonly deploymentConfigName: string;
    /** Alarms that stop the deployment and roll it back. */
    readonly alarms: readonly string[];
    readonly ecs?: EcsBlueGreenGroup;
    /** In-place deployment to EC2/on-premises instances (`computePlatform: "Server"`). */
    readonly server?: ServerGroup;
    /** The CodeDeploy service role's statements (the role's name and ARN come from `names`). */
    readonly roleStatements: readonly (Statement | undefined)[];
}

/** One action of a kind's Deploy stage, following an action record. */
export interface DeployStep {
    /** Unique in the pipeline; names the action's id. */
    readonly id: string;
    readonly name: string;
    readonly action: ActionId;
    readonly configuration: Record<string, string>;
    readonly inputArtifacts: string[];
}

/**
 * A manual review between two steps, placed where nothing has changed yet and the next step changes the target.
 * It runs wherever the pipeline asks for approval (always in production), through the pipeline's approval topic;
 * elsewhere it is left out and the next step runs straight away.
 */
export interface ReviewStep {
    readonly review: { readonly name: string; readonly customData: string; readonly externalEntityLink?: string };
}

/**
 * How `components/deploy/` creates a kind's own resources: a key of its translation table, so a kind whose
 * translation is missing does not compile.
 */
export type TranslationKey = "none" | "codedeploy";

/**
 * One way of deploying a service. Adding a kind means: its config schema in `stacks/deploy-kinds/`, a record here
 * registered in `DEPLOY_KINDS` (the mapped type rejects a missing or incomplete one), a translation if it needs
 * resources of its own, and tests.
 */
export interface DeployKindRecord<K extends DeployKindName> {
    readonly kind: K;
    /** The action record (`model/actions/`) the Deploy action follows. */
    readonly action: ActionId;
    readonly translation: TranslationKey;
    /** The action's configuration; the model validates it against the action record. */
    configuration(config: DeployConfigOf<K>, x: DeployContext): Record<string, string>;
    /** The artifacts the action reads. */
    inputArtifacts(config: DeployConfigOf<K>, x: DeployContext): string[];
    /** What the action record's permissions need besides the configuration. */
    permissionContext(config: DeployConfigOf<K>): Omit<PermissionContext, "ctx" | "configuration">;
    /** Alarms whose ALARM state rolls the Deploy stage back through a `CloudWatchAlarm` stage condition. */
    rollbackAlarms(config: DeployConfigOf<K>): readonly string[];
    /** Account the deploy runs in, when it is not the environment's. */
    targetAccount(config: DeployConfigOf<K>): string | undefined;
    /**
     * The Deploy stage's actions in run order, for kinds whose deploy takes several (a CloudFormation change set,
     * its review, its execution). Without it the stage runs the one action `action`, `configuration` and
     * `inputArtifacts` describe.
     */
    steps?(config: DeployConfigOf<K>, x: DeployContext): readonly (DeployStep | ReviewStep)[];
    /** The CodeDeploy resources the kind needs (`translation: "codedeploy"`). */
    codeDeploy?(config: DeployConfigOf<K>, x: DeployContext): CodeDeployPlan;
}
