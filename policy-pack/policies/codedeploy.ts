/**
 * CodeDeploy in production: deployments roll back on their own (here), and none moves all traffic
 * (codedeploy-traffic.ts) or takes every host out of service at once (codedeploy-hosts.ts). Each policy mirrors an
 * AWS Config managed rule (cited on the policy), which judges deployed resources; these judge the stack before it
 * deploys. This file also holds what the three share.
 * DeploymentGroup inputs: https://www.pulumi.com/registry/packages/aws/api-docs/codedeploy/deploymentgroup/
 * DeploymentConfig inputs: https://www.pulumi.com/registry/packages/aws/api-docs/codedeploy/deploymentconfig/
 */
import { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { arnAccount, detectStackResourceProduction, ProductionConfig, productionConfigSchema } from "../lib/production";
import { asArray, dig, isUnknown, plain } from "../lib/props";

export const DEPLOYMENT_GROUP_TYPE = "aws:codedeploy/deploymentGroup:DeploymentGroup";
export const APPLICATION_TYPE = "aws:codedeploy/application:Application";
export const DEPLOYMENT_CONFIG_TYPE = "aws:codedeploy/deploymentConfig:DeploymentConfig";

/** A production resource of the stack, with its plain props and why it is production. */
export interface ProductionResource {
    resource: PolicyResource;
    props: unknown;
    reason: string;
}

/** The resources of `type` that are production (lib/production.ts), with the accounts `accounts` reads from them. */
export function productionResources(
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
export function groupAccounts(props: unknown): string[] {
    const account = arnAccount(dig(props, "serviceRoleArn"));
    return account ? [account] : [];
}

/**
 * A single nested block: Pulumi gives an object; Terraform-shaped exports give a one-element list. An unknown
 * block is returned as is, so callers can give it the benefit of the doubt.
 */
export function block(value: unknown): unknown {
    const list = asArray(value);
    return list ? list[0] : value;
}

/** True, false, or undefined when unknown in preview (a string "true"/"false" counts, as some exports write it). */
export function flag(value: unknown): boolean | undefined {
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
