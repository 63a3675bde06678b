/**
 * CodeDeploy in production, EC2/on-premises: deployments keep hosts healthy (shared helpers and the rollback policy
 * in codedeploy.ts).
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { ProductionConfig, productionConfigSchema } from "../lib/production";
import { asString, dig, isUnknown } from "../lib/props";
import { block, DEPLOYMENT_CONFIG_TYPE, DEPLOYMENT_GROUP_TYPE, groupAccounts, productionResources } from "./codedeploy";

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
