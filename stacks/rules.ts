import { foreignArns } from "./arn-rules";
import { awsValueRules, isRegion, regionRule } from "./aws-values";
import { BUILD_RULES } from "./build-rules";
import type { ConfigIssue } from "./config-error";
import { releaseRules, waveRules } from "./release-schema";
import { deployKindRules } from "./deploy-kinds/rules";
import type { EnvironmentConfig } from "./environment-schema";
import type { ServiceConfig } from "./service-schema";

/**
 * Rules that span several keys. They run after the schema, on typed values, and return every problem at once.
 * Production rules live here, as data-driven checks on `tier`, not as `if (stack === "prod")` in components.
 */

export interface RuleInput {
    readonly environment: EnvironmentConfig;
    readonly services: readonly ServiceConfig[];
    /** `aws:region` from the stack config, when set. */
    readonly awsRegion?: string;
    /** `aws:allowedAccountIds` from the stack config, when set (any shape: it is checked here). */
    readonly awsAllowedAccountIds?: unknown;
}

type Rule = (input: RuleInput) => ConfigIssue[];

const productionGuards: Rule = ({ environment, services }) => {
    if (environment.tier !== "production") return [];
    const issues: ConfigIssue[] = [];
    const approvalOff =
        "is false, but production requires a manual approval before every deploy. Remove the key or set it to true.";
    if (environment.approval.required === false)
        issues.push({ path: ["environment", "approval", "required"], message: approvalOff });
    services.forEach((service, i) => {
        if (service.approval.required === false)
            issues.push({ path: ["services", i, "approval", "required"], message: approvalOff });
    });
    if (environment.executionMode !== "QUEUED") {
        issues.push({
            path: ["environment", "executionMode"],
            message: `is "${environment.executionMode}", but production must run "QUEUED" so an approved release is never superseded or run alongside another. Set it to QUEUED.`,
        });
    }
    if (environment.dataProtection === false) {
        issues.push({
            path: ["environment", "dataProtection"],
            message:
                "is false, but production keeps its key and artifacts protected from deletion. Remove the key or set it to true.",
        });
    }
    return issues;
};

const awsRegionMatches: Rule = ({ environment, awsRegion }) =>
    awsRegion !== undefined && awsRegion !== environment.region
        ? [
              {
                  path: ["environment", "region"],
                  message: isRegion(awsRegion)
                      ? `is "${environment.region}" but \`aws:region\` is "${awsRegion}". Make them the same.`
                      : `is "${environment.region}" but \`aws:region\` is "${awsRegion}", which ${regionRule(awsRegion).replace("must be", "is not")}. Set \`aws:region\` to "${environment.region}".`,
              },
          ]
        : [];

const uniqueNames: Rule = ({ services }) =>
    services.flatMap((service, i) => {
        const first = services.findIndex((other) => other.name === service.name);
        return first < i
            ? [
                  {
                      path: ["services", i, "name"],
                      message: `is "${service.name}", already used by \`cicd:services.${services[first].name}\`. Service names must be unique in an environment: rename one.`,
                  },
              ]
            : [];
    });

/**
 * The program's AWS provider allows only the configured account (`environment.accountId`). A stack that also sets
 * `aws:allowedAccountIds` must agree, or the two would say different things about where the stack may run.
 * https://www.pulumi.com/registry/packages/aws/api-docs/provider/#allowedaccountids_nodejs
 */
const allowedAccountsMatch: Rule = ({ environment, awsAllowedAccountIds }) => {
    if (awsAllowedAccountIds === undefined) return [];
    const listed = Array.isArray(awsAllowedAccountIds) ? awsAllowedAccountIds : [awsAllowedAccountIds];
    if (listed.some((id) => typeof id === "number"))
        return [
            {
                path: ["environment", "accountId"],
                message: `is "${environment.accountId}" but \`aws:allowedAccountIds\` holds a number: YAML reads unquoted digits as a number (and drops leading zeros). Quote each account id, like ["${environment.accountId}"].`,
            },
        ];
    return listed.length === 1 && listed[0] === environment.accountId
        ? []
        : [
              {
                  path: ["environment", "accountId"],
                  message: `is "${environment.accountId}" but \`aws:allowedAccountIds\` is ${JSON.stringify(listed)}. Set it to ["${environment.accountId}"] or remove it (the program allows only \`cicd:environment.accountId\`).`,
              },
          ];
};

/**
 * `testTrafficMinutes` was the wait of a STOP_DEPLOYMENT ready option, which nothing continued, so every such deploy
 * stopped. The kind now continues once green is healthy and its test-traffic hooks pass (model/deploy-kinds/
 * ecs-blue-green.ts); a wait cannot be combined with CONTINUE_DEPLOYMENT
 * (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentReadyOption.html), so the key is refused
 * rather than silently ignored.
 */
const noTestTrafficWait: Rule = ({ services }) =>
    services.flatMap((service, i) =>
        service.deploy.kind === "ecs-blue-green" && service.deploy.testTrafficMinutes !== undefined
            ? [
                  {
                      path: ["services", i, "deploy", "testTrafficMinutes"],
                      message:
                          "is no longer read: CodeDeploy moves production traffic as soon as green is healthy and the `AfterAllowTestTraffic` hooks of the service's appspec pass, so test green in those hooks. Remove this key.",
                  },
              ]
            : [],
    );

const crossAccountRoles: Rule = ({ environment, services }) => {
    const issues: ConfigIssue[] = [];
    for (const [account, arn] of Object.entries(environment.deployRoleArns)) {
        if (!arn.includes(`::${account}:`))
            issues.push({
                path: ["environment", "deployRoleArns", account],
                message: `is a role in another account. Use a role in account ${account}.`,
            });
    }
    services.forEach((service, i) => {
        const account = "accountId" in service.deploy ? service.deploy.accountId : undefined;
        if (account && account !== environment.accountId && !environment.deployRoleArns[account]) {
            issues.push({
                path: ["services", i, "deploy", "accountId"],
                message: `is "${account}", but \`cicd:environment.deployRoleArns\` has no role for that account. Add "${account}": <ARN of the deploy role in that account>.`,
            });
        }
    });
    return issues;
};

const triggersNeedConnections: Rule = ({ services }) =>
    services.flatMap((service, i) =>
        service.triggers && service.source.kind !== "codestar"
            ? [
                  {
                      path: ["services", i, "triggers"],
                      message: `only applies to CodeConnections sources (source.kind "codestar"); a ${service.source.kind} source runs on every change. Remove it.`,
                  },
              ]
            : [],
    );

export const RULES: readonly Rule[] = [
    productionGuards,
    awsRegionMatches,
    allowedAccountsMatch,
    uniqueNames,
    noTestTrafficWait,
    crossAccountRoles,
    foreignArns,
    triggersNeedConnections,
    ...BUILD_RULES,
    releaseRules,
    waveRules,
    deployKindRules,
    awsValueRules,
];

export const checkRules = (input: RuleInput): ConfigIssue[] => RULES.flatMap((rule) => rule(input));
