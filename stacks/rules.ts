import { artifactFolder, type NameContext } from "../model/names";
import { BUILD_RULES } from "./build-rules";
import type { ConfigIssue } from "./config-error";
import type { EnvironmentConfig } from "./environment-schema";
import type { ServiceConfig } from "./service-schema";

/**
 * Rules that span several keys. They run after the schema, on typed values, and return every problem at once.
 * Production rules live here, as data-driven checks on `tier`, not as `if (stack === "prod")` in components.
 */

export interface RuleInput {
    readonly stack: string;
    readonly environment: EnvironmentConfig;
    readonly services: readonly ServiceConfig[];
    /** `aws:region` from the stack config, when set. */
    readonly awsRegion?: string;
}

/**
 * Stack names that always mean production, whatever the config says: `prod`, `production`, `acme-prod`, `prod-eu`,
 * but not `preprod`, `pre-prod`, `nonprod` or `product`. The policy pack's default (`policy-pack/lib/production.ts`)
 * is the same pattern, so the program and the pack agree on what production is (a test keeps them equal).
 */
export const PRODUCTION_STACK = /(?<![a-z0-9])(?<!pre[-_.])(?<!non[-_.])prod(uction)?(?![a-z0-9])/i;

type Rule = (input: RuleInput) => ConfigIssue[];

const productionStack: Rule = ({ stack, environment }) =>
    PRODUCTION_STACK.test(stack) && environment.tier !== "production"
        ? [
              {
                  path: ["environment", "tier"],
                  message: `is "${environment.tier}" on stack "${stack}", whose name marks it as production. Set it to "production".`,
              },
          ]
        : [];

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
                  message: `is "${environment.region}" but \`aws:region\` is "${awsRegion}". Make them the same.`,
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
                      message: `is "${service.name}", already used by \`cicd:services[${first}]\`. Service names must be unique in an environment: rename one.`,
                  },
              ]
            : [];
    });

const distinctArtifactFolders: Rule = ({ environment, services }) => {
    const ctx: NameContext = {
        environment: environment.name,
        accountId: environment.accountId,
        region: environment.region,
        partition: "aws",
    };
    const folders = services.map((service) => artifactFolder(ctx, service.name));
    return services.flatMap((service, i) => {
        const first = folders.indexOf(folders[i]);
        if (first === i || services[first].name === service.name) return [];
        return [
            {
                path: ["services", i, "name"],
                message: `gives the artifact folder "${folders[i]}", the same as \`cicd:services[${first}]\` (CodePipeline keeps only the first 20 characters of the pipeline name). Make the names differ within their first ${20 - environment.name.length - 1} characters.`,
            },
        ];
    });
};

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
    productionStack,
    productionGuards,
    awsRegionMatches,
    uniqueNames,
    distinctArtifactFolders,
    crossAccountRoles,
    triggersNeedConnections,
    ...BUILD_RULES,
];

export const checkRules = (input: RuleInput): ConfigIssue[] => RULES.flatMap((rule) => rule(input));
