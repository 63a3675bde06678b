/**
 * CodeDeploy in production: deployments roll back on their own, and none moves all traffic or takes every
 * host out of service at once. Each policy mirrors an AWS Config managed rule (cited on the policy), which
 * judges deployed resources; these judge the stack before it deploys.
 * DeploymentGroup inputs: https://www.pulumi.com/registry/packages/aws/api-docs/codedeploy/deploymentgroup/
 * DeploymentConfig inputs: https://www.pulumi.com/registry/packages/aws/api-docs/codedeploy/deploymentconfig/
 */
import { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { arnAccount, detectStackResourceProduction, ProductionConfig, productionConfigSchema } from "../lib/production";
import { asArray, asString, dig, isUnknown, plain } from "../lib/props";
import { deployAccounts, PIPELINE_TYPE } from "./codepipeline";
import { flatten } from "./codepipeline-stages";

export const DEPLOYMENT_GROUP_TYPE = "aws:codedeploy/deploymentGroup:DeploymentGroup";

/** A production resource of the stack, with its plain props and why it is production. */
interface ProductionResource {
    resource: PolicyResource;
    props: unknown;
    reason: string;
}

/** The resources of `type` that are production (lib/production.ts), with the accounts `accounts` reads from them. */
function productionResources(
    args: StackValidationArgs,
    type: string,
    accounts: (props: unknown) => string[] = () => [],
): ProductionResource[] {
    const config = args.getConfig<ProductionConfig>();
    const found: ProductionResource[] = [];
    for (const resource of args.resources.filter((r) => r.type === type)) {
        const props = plain(resource.props);
        const verdict = detectStackResourceProduction(resource, args, config, accounts(props));
        if (verdict.production) found.push({ resource, props, reason: verdict.reason });
    }
    return found;
}

/** The group's service role lives in the account the group deploys in. */
function groupAccounts(props: unknown): string[] {
    const account = arnAccount(dig(props, "serviceRoleArn"));
    return account ? [account] : [];
}

/**
 * A single nested block: Pulumi gives an object; Terraform-shaped exports give a one-element list. An unknown
 * block is returned as is, so callers can give it the benefit of the doubt.
 */
function block(value: unknown): unknown {
    const list = asArray(value);
    return list ? list[0] : value;
}

/** True, false, or undefined when unknown in preview (a string "true"/"false" counts, as some exports write it). */
function flag(value: unknown): boolean | undefined {
    if (isUnknown(value)) return undefined;
    return value === true || value === "true";
}

/**
 * Automatic rollback must fire on both events: DEPLOYMENT_FAILURE (the deployment failed) and
 * DEPLOYMENT_STOP_ON_ALARM (one of the group's alarms went to ALARM and stopped it).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AutoRollbackConfiguration.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html
 */
const ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"];

function rollbackProblems(props: unknown): string[] {
    const rollback = block(dig(props, "autoRollbackConfiguration"));
    if (isUnknown(rollback)) return [];
    if (rollback === undefined || rollback === null) {
        return ["has no autoRollbackConfiguration, so a failed or alarmed deployment is left in place"];
    }
    const problems: string[] = [];
    if (flag(dig(rollback, "enabled")) === false) {
        problems.push("does not enable autoRollbackConfiguration (enabled is not true)");
    }
    const events = dig(rollback, "events");
    const list = asArray(events);
    // An unknown list, or an unknown entry, might hold the missing events: not judged in preview.
    if (!isUnknown(events) && !(list ?? []).some(isUnknown)) {
        const missing = ROLLBACK_EVENTS.filter((event) => !(list ?? []).includes(event));
        if (missing.length > 0) {
            problems.push(`does not roll back on ${missing.join(" and ")} (autoRollbackConfiguration.events)`);
        }
    }
    return problems;
}

/**
 * CodeDeploy stops a deployment when an alarm of an enabled alarm configuration goes to ALARM; without a
 * named alarm DEPLOYMENT_STOP_ON_ALARM never fires.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AlarmConfiguration.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html
 */
function alarmProblems(props: unknown): string[] {
    const alarms = block(dig(props, "alarmConfiguration"));
    if (isUnknown(alarms)) return [];
    if (alarms === undefined || alarms === null) {
        return ["has no alarmConfiguration, so no CloudWatch alarm can stop a deployment"];
    }
    const problems: string[] = [];
    if (flag(dig(alarms, "enabled")) === false) {
        problems.push("does not enable alarmConfiguration (enabled is not true)");
    }
    const names = dig(alarms, "alarms");
    if (!isUnknown(names) && (asArray(names) ?? []).length === 0) {
        problems.push("names no alarm in alarmConfiguration.alarms");
    }
    return problems;
}

/**
 * In production, every deployment group rolls back automatically on DEPLOYMENT_FAILURE and
 * DEPLOYMENT_STOP_ON_ALARM, with an enabled alarm configuration naming at least one CloudWatch alarm.
 * Mirrors AWS Config `codedeploy-auto-rollback-monitor-enabled` (NON_COMPLIANT when AutoRollbackConfiguration or
 * AlarmConfiguration is missing or disabled), plus the two events and an alarm, which that rule's page does not
 * spell out: https://docs.aws.amazon.com/config/latest/developerguide/codedeploy-auto-rollback-monitor-enabled.html
 * Unknown values pass in preview; a missing block fails even in preview.
 */
export const codedeployAutoRollbackMonitor: StackValidationPolicy = {
    name: "codedeploy-auto-rollback-monitor",
    description:
        "In production, CodeDeploy deployment groups must roll back automatically on DEPLOYMENT_FAILURE and " +
        "DEPLOYMENT_STOP_ON_ALARM, with an enabled alarmConfiguration naming at least one alarm.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...productionConfigSchema } },
    validateStack: (args, report) => {
        for (const { resource, props, reason } of productionResources(args, DEPLOYMENT_GROUP_TYPE, groupAccounts)) {
            for (const problem of [...rollbackProblems(props), ...alarmProblems(props)]) {
                report(
                    `CodeDeploy deployment group '${resource.name}' in a production stack (${reason}) ${problem}. ` +
                        `Set autoRollbackConfiguration to { enabled: true, events: ["DEPLOYMENT_FAILURE", ` +
                        `"DEPLOYMENT_STOP_ON_ALARM"] } and alarmConfiguration to { enabled: true, alarms: [<CloudWatch ` +
                        `alarm names>] }.`,
                    resource.urn,
                );
            }
        }
    },
};

export const APPLICATION_TYPE = "aws:codedeploy/application:Application";
export const DEPLOYMENT_CONFIG_TYPE = "aws:codedeploy/deploymentConfig:DeploymentConfig";

/**
 * The compute platform of the application a group belongs to, when the stack holds that application: joined by
 * `appName`, or, when the name is unknown in preview, by the application that fed `appName`. An application
 * without `computePlatform` is `Server` (the provider's default). Undefined when the application is not in the
 * stack or its platform is unknown.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateApplication.html
 */
function groupPlatform(
    group: PolicyResource,
    props: unknown,
    resources: readonly PolicyResource[],
): string | undefined {
    const { byName, byUrn } = applicationIndex(resources);
    const appName = asString(dig(props, "appName"));
    const application =
        appName !== undefined
            ? byName.get(appName)
            : (group.propertyDependencies?.["appName"] ?? []).map((r) => byUrn.get(r.urn)).find((a) => a !== undefined);
    if (!application) return undefined;
    const platform = dig(plain(application.props), "computePlatform");
    return platform === undefined || platform === null ? "Server" : asString(platform);
}

/** Built once per stack validation, not once per group, so judging stays linear in the stack's size. */
const applicationIndexes = new WeakMap<
    readonly PolicyResource[],
    { byName: Map<string, PolicyResource>; byUrn: Map<string, PolicyResource> }
>();

function applicationIndex(resources: readonly PolicyResource[]) {
    const cached = applicationIndexes.get(resources);
    if (cached) return cached;
    const index = { byName: new Map<string, PolicyResource>(), byUrn: new Map<string, PolicyResource>() };
    for (const application of resources.filter((r) => r.type === APPLICATION_TYPE)) {
        index.byUrn.set(application.urn, application);
        const name = asString(dig(plain(application.props), "name"));
        if (name !== undefined && !index.byName.has(name)) index.byName.set(name, application);
    }
    applicationIndexes.set(resources, index);
    return index;
}

/**
 * CodeDeploy's predefined Lambda configuration that shifts all traffic at once, and the names the same strategy
 * takes elsewhere (the CodePipeline Lambda deploy action calls it `AllAtOnce`; `LambdaAllAtOnce` is a common
 * slip), all refused in production.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
 */
const LAMBDA_ALL_AT_ONCE = "CodeDeployDefault.LambdaAllAtOnce";
const ALL_AT_ONCE_STRATEGIES = new Set(["allatonce", "lambdaallatonce", "codedeploydefault.lambdaallatonce"]);

/** A pipeline variable (`#{variables.x}`, `#{Namespace.x}`) is resolved at run time: not judged. */
function isVariable(value: string): boolean {
    return value.includes("#{");
}

function lambdaGroupProblem(group: PolicyResource, props: unknown, all: readonly PolicyResource[]): string | undefined {
    const name = dig(props, "deploymentConfigName");
    if (isUnknown(name)) return undefined;
    if (name === LAMBDA_ALL_AT_ONCE) {
        return `uses deploymentConfigName '${LAMBDA_ALL_AT_ONCE}', which shifts all traffic to the new version at once`;
    }
    // AWS Config's rule calls LambdaAllAtOnce the default of Lambda groups; the API reference names only
    // OneAtATime (an EC2/on-premises configuration) as the default, so a Lambda group without a name fails safe.
    // https://docs.aws.amazon.com/config/latest/developerguide/codedeploy-lambda-allatonce-traffic-shift-disabled.html
    if ((name === undefined || name === null || name === "") && groupPlatform(group, props, all) === "Lambda") {
        return `belongs to a Lambda application and sets no deploymentConfigName, so it gets the default all-at-once shift`;
    }
    return undefined;
}

/**
 * A custom Lambda configuration shifts traffic by `trafficRoutingConfig.type`: `TimeBasedCanary`,
 * `TimeBasedLinear` or `AllAtOnce`; without the block AWS documents no behaviour, so it fails safe.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TrafficRoutingConfig.html
 */
function lambdaConfigProblem(props: unknown): string | undefined {
    if (dig(props, "computePlatform") !== "Lambda") return undefined;
    const routing = block(dig(props, "trafficRoutingConfig"));
    if (isUnknown(routing)) return undefined;
    const type = dig(routing, "type");
    if (isUnknown(type)) return undefined;
    if (routing === undefined || routing === null) return "is a Lambda configuration without trafficRoutingConfig";
    return type === "AllAtOnce" || type === undefined
        ? "is a Lambda configuration whose trafficRoutingConfig shifts all traffic at once"
        : undefined;
}

/**
 * The pipeline's Lambda deploy actions (V2 pipelines, category Deploy, provider Lambda): `DeployStrategy`
 * defaults to `AllAtOnce`, and without `FunctionAlias` the action deploys to `$LATEST`, where no strategy applies.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html
 */
function lambdaActionProblems(props: unknown): string[] {
    const problems: string[] = [];
    for (const action of flatten(dig(props, "stages"))) {
        if (action.category !== "Deploy" || action.provider !== "Lambda" || isUnknown(action.configuration)) continue;
        const where = `Lambda deploy action '${action.name}' (stage '${action.stage}')`;
        const alias = dig(action.configuration, "FunctionAlias");
        if (alias === undefined || alias === null || alias === "") {
            problems.push(
                `${where} sets no FunctionAlias, so the new code goes to $LATEST with no traffic shifting. ` +
                    `Set FunctionAlias to the alias callers use and DeployStrategy to a Canary or Linear strategy ` +
                    `(e.g. 'Canary10Percent5Minutes').`,
            );
            continue;
        }
        const strategy = dig(action.configuration, "DeployStrategy");
        if (isUnknown(strategy) || (typeof strategy === "string" && isVariable(strategy))) continue;
        const text = asString(strategy);
        if (text === undefined || text === "" || ALL_AT_ONCE_STRATEGIES.has(text.toLowerCase())) {
            const what = text ? `DeployStrategy '${text}'` : "no DeployStrategy (the default is AllAtOnce)";
            problems.push(
                `${where} sets ${what}, which moves all traffic to the new version at once. Set DeployStrategy to ` +
                    `a Canary or Linear strategy, e.g. 'Canary10Percent5Minutes' or 'Linear10PercentEvery1Minute'.`,
            );
        }
    }
    return problems;
}

/**
 * In production, no Lambda deployment moves all traffic at once: deployment groups do not use
 * `CodeDeployDefault.LambdaAllAtOnce` (nor, in a Lambda application, leave the configuration to the default),
 * custom Lambda configurations are canary or linear, and pipelines' Lambda deploy actions set `FunctionAlias` and
 * a Canary or Linear `DeployStrategy`. Mirrors AWS Config `codedeploy-lambda-allatonce-traffic-shift-disabled`
 * (groups only): https://docs.aws.amazon.com/config/latest/developerguide/codedeploy-lambda-allatonce-traffic-shift-disabled.html
 * Unknown values and pipeline variables pass.
 */
export const codedeployLambdaGradualTrafficShift: StackValidationPolicy = {
    name: "codedeploy-lambda-gradual-traffic-shift",
    description:
        "In production, Lambda deployments must shift traffic gradually: no CodeDeployDefault.LambdaAllAtOnce " +
        "deployment group or all-at-once custom configuration, and no AllAtOnce DeployStrategy on a pipeline's " +
        "Lambda deploy action.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...productionConfigSchema } },
    validateStack: (args, report) => {
        for (const { resource, props, reason } of productionResources(args, DEPLOYMENT_GROUP_TYPE, groupAccounts)) {
            const problem = lambdaGroupProblem(resource, props, args.resources);
            if (problem) {
                report(
                    `CodeDeploy deployment group '${resource.name}' in a production stack (${reason}) ${problem}. ` +
                        `Set deploymentConfigName to a canary or linear configuration, e.g. ` +
                        `'CodeDeployDefault.LambdaCanary10Percent5Minutes'.`,
                    resource.urn,
                );
            }
        }
        for (const { resource, props, reason } of productionResources(args, DEPLOYMENT_CONFIG_TYPE)) {
            const problem = lambdaConfigProblem(props);
            if (problem) {
                report(
                    `CodeDeploy deployment config '${resource.name}' in a production stack (${reason}) ${problem}. ` +
                        `Set trafficRoutingConfig to { type: "TimeBasedCanary", timeBasedCanary: { percentage, ` +
                        `interval } } or { type: "TimeBasedLinear", timeBasedLinear: { percentage, interval } }, or ` +
                        `give the groups a predefined one such as 'CodeDeployDefault.LambdaCanary10Percent5Minutes'.`,
                    resource.urn,
                );
            }
        }
        for (const { resource, props, reason } of productionResources(args, PIPELINE_TYPE, deployAccounts)) {
            for (const problem of lambdaActionProblems(props)) {
                report(`CodePipeline '${resource.name}' in a production stack (${reason}): ${problem}`, resource.urn);
            }
        }
    },
};

/** CodeDeploy's predefined EC2/on-premises configuration that takes every instance at once. */
const SERVER_ALL_AT_ONCE = "CodeDeployDefault.AllAtOnce";

interface HealthyHostsConfig extends ProductionConfig {
    minimumHealthyHostsFleetPercent?: number;
    minimumHealthyHostsHostCount?: number;
}

/**
 * Thresholds named like the AWS Config rule's parameters. AWS Config defaults to 66 percent and 1 host; the pack
 * defaults to 1 and 1, refusing only configurations that let every host go out of service at once.
 */
const healthyHostsSchema = {
    minimumHealthyHostsFleetPercent: {
        type: "integer",
        minimum: 0,
        maximum: 100,
        default: 1,
        description: "Lowest FLEET_PERCENT a production EC2/on-premises deployment configuration may keep healthy.",
    },
    minimumHealthyHostsHostCount: {
        type: "integer",
        minimum: 0,
        default: 1,
        description: "Lowest HOST_COUNT a production EC2/on-premises deployment configuration may keep healthy.",
    },
} as const;

/** A whole number, from a number or a numeric string (as exports may write it); undefined otherwise. */
function integer(value: unknown): number | undefined {
    const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}

/**
 * `minimumHealthyHosts` of a custom EC2/on-premises configuration (`computePlatform` `Server`, the provider's
 * default): HOST_COUNT is an absolute number of instances, FLEET_PERCENT a share of the fleet; CodeDeploy deploys to
 * as many instances at a time as keeps that minimum healthy, so 0 lets it take every instance at once.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_MinimumHealthyHosts.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations-create.html
 */
function healthyHostsProblem(props: unknown, config: HealthyHostsConfig): string | undefined {
    const platform = dig(props, "computePlatform");
    if (platform !== undefined && platform !== null && platform !== "Server") return undefined;
    const hosts = block(dig(props, "minimumHealthyHosts"));
    const type = dig(hosts, "type");
    const value = integer(dig(hosts, "value"));
    if (isUnknown(hosts) || isUnknown(type) || value === undefined) return undefined;
    const percent = type === "FLEET_PERCENT";
    const floor = percent ? (config.minimumHealthyHostsFleetPercent ?? 1) : (config.minimumHealthyHostsHostCount ?? 1);
    if (value >= floor) return undefined;
    const key = percent ? "minimumHealthyHostsFleetPercent" : "minimumHealthyHostsHostCount";
    const zero = value === 0 ? ", so a deployment may take every instance out of service at once" : "";
    return (
        `keeps minimumHealthyHosts ${asString(type) ?? "(no type)"} ${value} healthy, below the floor of ${floor} ` +
        `(policy config ${key})${zero}. Raise minimumHealthyHosts.value to at least ${floor}`
    );
}

/**
 * In production, EC2/on-premises deployments keep a minimum of healthy hosts: no deployment group on
 * `CodeDeployDefault.AllAtOnce`, and no custom Server configuration whose `minimumHealthyHosts` is below the
 * configured floor (default: 0 is refused). Mirrors AWS Config `codedeploy-ec2-minimum-healthy-hosts-configured`
 * (parameters `minimumHealthyHostsFleetPercent`, default 66, and `minimumHealthyHostsHostCount`, default 1):
 * https://docs.aws.amazon.com/config/latest/developerguide/codedeploy-ec2-minimum-healthy-hosts-configured.html
 * Predefined configurations: https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
 * Unknown values pass in preview.
 */
export const codedeployMinimumHealthyHosts: StackValidationPolicy = {
    name: "codedeploy-minimum-healthy-hosts",
    description:
        "In production, EC2/on-premises CodeDeploy deployments must keep healthy hosts: no CodeDeployDefault.AllAtOnce " +
        "deployment group, and no custom configuration with minimumHealthyHosts below the floor (default 1).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...productionConfigSchema, ...healthyHostsSchema } },
    validateStack: (args, report) => {
        const config = args.getConfig<HealthyHostsConfig>();
        for (const { resource, props, reason } of productionResources(args, DEPLOYMENT_GROUP_TYPE, groupAccounts)) {
            if (dig(props, "deploymentConfigName") === SERVER_ALL_AT_ONCE) {
                report(
                    `CodeDeploy deployment group '${resource.name}' in a production stack (${reason}) uses ` +
                        `deploymentConfigName '${SERVER_ALL_AT_ONCE}', which may take every instance out of service at ` +
                        `once. Use 'CodeDeployDefault.HalfAtATime' or 'CodeDeployDefault.OneAtATime', or a custom ` +
                        `configuration that keeps hosts healthy (e.g. minimumHealthyHosts { type: "FLEET_PERCENT", value: 75 }).`,
                    resource.urn,
                );
            }
        }
        for (const { resource, props, reason } of productionResources(args, DEPLOYMENT_CONFIG_TYPE)) {
            const problem = healthyHostsProblem(props, config);
            if (problem) {
                report(
                    `CodeDeploy deployment config '${resource.name}' in a production stack (${reason}) ${problem} ` +
                        `(e.g. { type: "FLEET_PERCENT", value: 75 } or { type: "HOST_COUNT", value: 1 }).`,
                    resource.urn,
                );
            }
        }
    },
};
