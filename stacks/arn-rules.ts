import type { ConfigIssue } from "./config-error";
import { DEPLOY_SCHEMAS } from "./deploy-kinds";
import { releaseRoleOf } from "./release-schema";
import type { RuleInput } from "./rules";

/**
 * Every ARN in config names a resource the pipelines trust: a role they pass or that the artifact key lets decrypt,
 * a key they decrypt with, a listener CodeDeploy re-points, a secret CodeBuild reads. One of another account or
 * region would be trusted all the same (or fail at deploy time), so each must be in the environment's account and
 * region, or, for a deploy into another account (`deploy.accountId`, whose role `cicd:environment.deployRoleArns`
 * lists and `crossAccountRoles` checks), in that account.
 *
 * ARN format (the account and region fields, empty for global services such as IAM):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
const ARN = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:/;

/**
 * Services whose resources are global though their ARN names a region: a CodeConnections connection can be used in
 * every Region, whichever Region its ARN names.
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/welcome-connections-how-it-works-global.html
 */
const GLOBAL_DESPITE_REGION = new Set(["codeconnections", "codestar-connections"]);

/**
 * Keys whose values the platform passes on without trusting them: plain variables (a build may well print another
 * account's ARN) and a check's `userParameters` (data for the function). `deployRoleArns` has its own rule.
 */
const NOT_TRUSTED = (path: readonly PropertyKey[]): boolean =>
    path.includes("userParameters") ||
    (path.at(-2) === "environment" && path.length > 2) ||
    (path[0] === "environment" && path[1] === "deployRoleArns");

/** Every string under `value` with its path. */
function strings(value: unknown, path: readonly PropertyKey[]): { path: readonly PropertyKey[]; value: string }[] {
    if (typeof value === "string") return [{ path, value }];
    if (Array.isArray(value)) return value.flatMap((inner, i) => strings(inner, [...path, i]));
    if (typeof value === "object" && value !== null)
        return Object.entries(value).flatMap(([key, inner]) => strings(inner, [...path, key]));
    return [];
}

interface Expected {
    readonly account: string;
    readonly accountKey: string;
    /** The deploy kind can run in another account (`deploy.accountId`), so that is a fix too. */
    readonly crossAccount?: boolean;
    readonly regions: readonly string[];
    readonly regionKey: string;
}

function issuesOf(path: readonly PropertyKey[], arn: string, expected: Expected): ConfigIssue[] {
    const match = ARN.exec(arn);
    if (!match || NOT_TRUSTED(path)) return [];
    const [, service, region, account] = match;
    const issues: ConfigIssue[] = [];
    if (account !== undefined && account !== expected.account)
        issues.push({
            path,
            message: `is in account ${account}, but ${expected.accountKey} is ${expected.account}: the pipelines would trust a resource of another account. Use the one in account ${expected.account}${expected.crossAccount ? `, or deploy into account ${account}: set \`deploy.accountId\` to "${account}" and add that account's deploy role to \`cicd:environment.deployRoleArns\`` : ""}.`,
        });
    if (region !== "" && !GLOBAL_DESPITE_REGION.has(service) && !expected.regions.includes(region))
        issues.push({
            path,
            message: `is in region ${region}, but ${expected.regionKey} is ${expected.regions.join(", ")}. Use the one in ${expected.regions.length === 1 ? "that region" : "one of those regions"}.`,
        });
    return issues;
}

export const foreignArns = ({ environment, services }: RuleInput): ConfigIssue[] => {
    const home: Expected = {
        account: environment.accountId,
        accountKey: "the environment's account (`cicd:environment.accountId`)",
        regions: [environment.region],
        regionKey: "the environment's region (`cicd:environment.region`)",
    };
    // An environment fed by releases never reads the git source (`stacks/ignored-fields.ts`).
    const readsSource = releaseRoleOf(environment) === "build";
    return [
        ...strings(environment, ["environment"]).flatMap(({ path, value }) => issuesOf(path, value, home)),
        ...services.flatMap((service, i) => {
            const account = "accountId" in service.deploy ? service.deploy.accountId : undefined;
            const deployTo: Expected = {
                account: account ?? environment.accountId,
                accountKey: account ? `\`deploy.accountId\`` : home.accountKey,
                crossAccount: !account && "accountId" in DEPLOY_SCHEMAS[service.deploy.kind].shape,
                regions: service.regions ?? [environment.region],
                regionKey: service.regions ? `\`regions\`` : home.regionKey,
            };
            const { source, deploy, ...rest } = service;
            return [
                ...(readsSource ? strings(source, ["services", i, "source"]) : []).flatMap(({ path, value }) =>
                    issuesOf(path, value, home),
                ),
                ...strings(deploy, ["services", i, "deploy"]).flatMap(({ path, value }) =>
                    issuesOf(path, value, deployTo),
                ),
                ...strings(rest, ["services", i]).flatMap(({ path, value }) => issuesOf(path, value, home)),
            ];
        }),
    ];
};
