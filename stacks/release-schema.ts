import { z } from "zod";
import type { ConfigIssue } from "./config-error";
import type { EnvironmentConfig } from "./environment-schema";
import { timeZone } from "./aws-values";
import { accountId, region } from "./primitives";
import type { ServiceConfig } from "./service-schema";

/**
 * Where an environment sits in the release chain (dev builds → staging verifies → prod releases):
 * - `build`: builds and tests from git once, deploys, then publishes the release to `promoteTo`'s release location.
 * - `verify`: starts from a release in its own release location, deploys it, runs `integration` and `smoke` against
 *   the deployed service, then promotes the same objects to `promoteTo`'s release location.
 * - `release`: starts only from a promoted release; never builds from git. Always the role of production.
 */
export const RELEASE_ROLES = ["build", "verify", "release"] as const;
export type ReleaseRole = (typeof RELEASE_ROLES)[number];

/** Another environment of the chain, named like its own `cicd:environment` (names and ARNs derive from these). */
const chainLink = z.strictObject({
    /** That environment's `name`, like "staging". */
    environment: z
        .string()
        .regex(/^[a-z][a-z0-9]{1,9}$/, {
            error: 'must be the other environment\'s `name` (2-10 lowercase letters or digits), like "staging"',
        })
        .describe('That environment\'s `name`, like "staging".'),
    accountId: accountId.describe("That environment's account (quoted: 12 digits)."),
    region: region.describe("That environment's region."),
});

export const environmentReleaseSchema = z.strictObject({
    /**
     * The environment's link of the release chain. Production is always `release`.
     * @default "build" for tier development, "verify" for staging, "release" for production
     */
    role: z
        .enum(RELEASE_ROLES)
        .optional()
        .describe(
            'The environment\'s link of the chain: "build" (builds from git once and publishes), "verify" (deploys a release, tests it, promotes it) or "release" (deploys only promoted releases; always production). Default: by tier.',
        ),
    /**
     * The environment whose pipelines write this environment's releases (the upstream link). Required for `verify`
     * and `release`: its release role is the only writer this environment's release bucket admits.
     * @default none
     */
    from: chainLink
        .optional()
        .describe(
            "The environment whose pipelines write this environment's releases; required for verify and release.",
        ),
    /**
     * The environment this one publishes (`build`) or promotes (`verify`) releases to.
     * @default none (the chain ends here)
     */
    promoteTo: chainLink
        .optional()
        .describe("The environment this one publishes (build) or promotes (verify) releases to. Default: none."),
});

export type EnvironmentReleaseConfig = z.infer<typeof environmentReleaseSchema>;
export type ChainLink = z.infer<typeof chainLink>;

const DEFAULT_ROLE: Readonly<Record<EnvironmentConfig["tier"], ReleaseRole>> = {
    development: "build",
    staging: "verify",
    production: "release",
};

export const releaseRoleOf = (env: EnvironmentConfig): ReleaseRole => env.release?.role ?? DEFAULT_ROLE[env.tier];

/** Test suites that run after the deploy, against the deployed service, where releases are verified or released. */
export const POST_DEPLOY_SUITES = ["integration", "smoke"] as const;

/**
 * The chain's rules: production never builds from git; a link that starts from releases names who writes them;
 * the last link promotes nowhere; every pipeline that builds runs a suite; every pipeline fed by releases runs at
 * least one post-deploy suite, and none
 * re-runs the build environment's pre-deploy suites (`unit`, `security`) on a release.
 */
export function releaseRules({
    environment,
    services,
}: {
    environment: EnvironmentConfig;
    services: readonly ServiceConfig[];
}): ConfigIssue[] {
    const role = releaseRoleOf(environment);
    const issues: ConfigIssue[] = [];
    if (environment.tier === "production" && role !== "release")
        issues.push({
            path: ["environment", "release", "role"],
            message: `is "${role}", but production deploys only promoted releases and never builds from git. Remove the key or set it to "release".`,
        });
    if (role !== "build" && !environment.release?.from)
        issues.push({
            path: ["environment", "release", "from"],
            message: `is required when the release role is "${role}": name the environment (name, accountId, region) whose pipelines write this environment's releases.`,
        });
    if (role === "release" && environment.release?.promoteTo)
        issues.push({
            path: ["environment", "release", "promoteTo"],
            message: `is set, but a "release" environment is the last link of the chain and promotes nowhere. Remove it.`,
        });
    if (role === "build") return [...issues, ...untestedBuilds(services), ...unconnectedSources(services)];
    services.forEach((service, i) => {
        if (!POST_DEPLOY_SUITES.some((id) => service.tests[id]))
            issues.push({
                path: ["services", i, "tests"],
                message: `has no \`smoke\` or \`integration\` suite, but ${service.name} deploys releases here ("${role}") and every such pipeline tests the deployed service. Add \`tests.smoke\`.`,
            });
        for (const id of ["unit", "security"] as const)
            if (service.tests[id])
                issues.push({
                    path: ["services", i, "tests", id],
                    message: `runs before the deploy where releases are built; a "${role}" environment starts from a release that was already tested. Remove it, or move its checks to \`smoke\` or \`integration\`.`,
                });
    });
    return issues;
}

/**
 * Source → build → test → approval → deploy: where a pipeline builds from git, at least one suite tests the change
 * before it reaches the next environment (`unit` or `security` before the deploy, `integration` or `smoke` after).
 */
function untestedBuilds(services: readonly ServiceConfig[]): ConfigIssue[] {
    return services.flatMap((service, i) =>
        Object.values(service.tests).some(Boolean)
            ? []
            : [
                  {
                      path: ["services", i, "tests"],
                      message: `is empty, but every pipeline runs at least one Test action: ${service.name} builds from git here ("build"), and a change must be tested before it deploys or is published. Add \`tests.unit\` (before the deploy) or \`tests.smoke\` (after it).`,
                  },
              ],
    );
}

/** The CodeConnections source action needs its connection (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodestarConnectionSource.html). */
function unconnectedSources(services: readonly ServiceConfig[]): ConfigIssue[] {
    return services.flatMap((service, i) =>
        service.source.kind === "codestar" && !service.source.connectionArn
            ? [
                  {
                      path: ["services", i, "source", "connectionArn"],
                      message: `is required: ${service.name} builds from git here ("build"), and its Source action reads ${service.source.repository} through this CodeConnections connection. Set it in this environment's stack file, like "arn:aws:codeconnections:eu-west-1:111122223333:connection/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e".`,
                  },
              ]
            : [],
    );
}

/**
 * The `DeploymentWindow` rule's cron: six required fields (seconds, minutes, hours, day of month, month, day of week)
 * and an optional year; the seconds field takes only `*`.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html
 */
const windowCron = z.string().refine((cron) => /^\*(\s+\S+){5,6}$/.test(cron.trim()), {
    error: 'must be a DeploymentWindow cron: 6 fields (seconds, minutes, hours, day-of-month, month, day-of-week) and an optional year, the seconds field "*", like "* * 9-16 ? * MON-THU"',
});

/**
 * Gates around the Deploy stage (V2 stage conditions). In production the entry gate always checks that none of the
 * service's alarms is firing; these keys add a deployment window and set the bake time.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html
 */
export const gatesSchema = z.strictObject({
    /** Deploys start only inside this window (`DeploymentWindow` rule on entry). @default none (any time) */
    deploymentWindow: z
        .strictObject({
            cron: windowCron.describe(
                'DeploymentWindow cron: 6 fields (seconds, minutes, hours, day-of-month, month, day-of-week) and an optional year, seconds "*", like "* * 9-16 ? * MON-THU".',
            ),
            timeZone: timeZone.optional().describe('Time zone of the cron, like "Europe/Dublin". Default: UTC.'),
        })
        .optional()
        .describe("Deploys start only inside this window (`DeploymentWindow` rule on entry). Default: any time."),
    /**
     * Minutes the service's alarms are watched after a successful deploy (`CloudWatchAlarm` rules on success, result
     * ROLLBACK). @default 10
     */
    bakeMinutes: z
        .number()
        .int()
        .min(1)
        .max(1440, { error: "must be at most 1440 minutes (a day)" })
        .optional()
        .describe(
            "Minutes the service's alarms are watched after a successful deploy (CloudWatchAlarm rules, result ROLLBACK). Default: 10.",
        ),
});

export type GatesConfig = z.infer<typeof gatesSchema>;

/**
 * Waves: the regions one service deploys to in the same Deploy stage, side by side (one Deploy action per region,
 * each with its `region`). The environment keeps an artifact store (bucket and KMS key) in each of these regions.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html
 */
export const serviceRegionsSchema = z
    .array(region)
    .min(1, { error: "must list at least one region" })
    .max(10, { error: "may list at most 10 regions" });

/** Deploy kinds whose resources all live outside the platform (named by config), so one action per region works. */
export const WAVE_KINDS = ["lambda", "ecs-rolling"] as const;

export function waveRules({
    environment,
    services,
}: {
    environment: EnvironmentConfig;
    services: readonly ServiceConfig[];
}): ConfigIssue[] {
    return services.flatMap((service, i): ConfigIssue[] => {
        const regions = service.regions;
        if (!regions) return [];
        const path = ["services", i, "regions"];
        const issues: ConfigIssue[] = [];
        const dup = regions.find((r, j) => regions.indexOf(r) !== j);
        if (dup) issues.push({ path, message: `lists "${dup}" twice. List each region once.` });
        if (!(WAVE_KINDS as readonly string[]).includes(service.deploy.kind))
            issues.push({
                path,
                message: `is set, but a ${service.deploy.kind} deploy cannot run in several regions (its CodeDeploy resources or bucket exist once). Remove it, or use one of: ${WAVE_KINDS.join(", ")}.`,
            });
        if (
            "accountId" in service.deploy &&
            service.deploy.accountId &&
            service.deploy.accountId !== environment.accountId
        )
            issues.push({
                path,
                message: `is set, but ${service.name} deploys into account ${service.deploy.accountId}, whose deploy role is scoped to one region. Remove it, or deploy in the pipeline's account.`,
            });
        return issues;
    });
}
