/**
 * CodeDeploy in production, Lambda: traffic moves to a new version gradually, never all at once (shared helpers and
 * the rollback policy in codedeploy.ts).
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { productionConfigSchema } from "../lib/production";
import { asString, dig, isUnknown, plain } from "../lib/props";
import { deployAccounts, PIPELINE_TYPE } from "./codepipeline";
import { flatten } from "./codepipeline-stages";
import {
    APPLICATION_TYPE,
    block,
    DEPLOYMENT_CONFIG_TYPE,
    DEPLOYMENT_GROUP_TYPE,
    groupAccounts,
    productionResources,
} from "./codedeploy";

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
