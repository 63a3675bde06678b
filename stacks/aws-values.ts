import { closest } from "fastest-levenshtein";
import { z } from "zod";
import type { ConfigIssue } from "./config-error";
import regionData from "./data/aws-regions.json";
import type { RuleInput } from "./rules";

/**
 * Values AWS accepts only from a published list or within a limit, checked here so a typo fails the plan rather than
 * `pulumi up`.
 */

/** AWS's Region codes (`stacks/data/aws-regions.json` says where the list comes from). */
export const AWS_REGIONS: readonly string[] = Object.keys(regionData.regions);

const nearest = (value: string, options: readonly string[]): string => closest(value, [...options]);

export const isRegion = (value: string): boolean => AWS_REGIONS.includes(value);

/** What to say about a value that is not a Region code: the rule and the nearest code. */
export const regionRule = (value: unknown): string =>
    `must be an AWS Region code (stacks/data/aws-regions.json lists them); the nearest is "${nearest(String(value), AWS_REGIONS)}"`;

/**
 * Time zones of a `DeploymentWindow` rule. The rule reference names the parameter a time zone and UTC the default
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html) without listing
 * the names, so the IANA names Node carries (`Intl.supportedValuesOf("timeZone")`), `UTC`, and the names Node
 * resolves to one of them (ICU lists `Europe/Kiev` and resolves the current `Europe/Kyiv` to it) are accepted, if written `Area/Location`; any
 * other value is refused with the nearest listed name.
 */
export const TIME_ZONES: readonly string[] = ["UTC", ...Intl.supportedValuesOf("timeZone")];

/** The zone Node resolves a name to: itself for a listed name, the listed name for an alias (Europe/Kyiv). */
function resolvedZone(value: string): string | undefined {
    try {
        return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
    } catch {
        return undefined;
    }
}

/** A listed name, or an `Area/Location` alias of one (not abbreviations like `EST`, nor `utc` in lower case). */
export const isTimeZone = (value: string): boolean =>
    TIME_ZONES.includes(value) || (/^[A-Z][A-Za-z_-]*\//.test(value) && TIME_ZONES.includes(resolvedZone(value) ?? ""));

export const timeZone = z.string().refine(isTimeZone, {
    error: (issue) =>
        `must be an IANA time zone name, like "Europe/Dublin"; the nearest is "${nearest(String(issue.input), TIME_ZONES)}"`,
});

/**
 * The Lambda deploy action waits at most two days in total while traffic shifts
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-LambdaDeploy.html, `DeployStrategy`):
 * a canary waits once, a linear strategy waits between its increments.
 */
export const MAX_SHIFT_WAIT_MINUTES = 2880;

export function shiftWaitMinutes(strategy: string): number {
    const canary = /^Canary(\d+)Percent(\d+)Minutes?$/.exec(strategy);
    if (canary) return Number(canary[2]);
    const linear = /^Linear(\d+)PercentEvery(\d+)Minutes?$/.exec(strategy);
    if (linear) return (Math.ceil(100 / Number(linear[1])) - 1) * Number(linear[2]);
    return 0;
}

const shiftWithinLimit = ({ services }: RuleInput): ConfigIssue[] =>
    services.flatMap((service, i) => {
        if (service.deploy.kind !== "lambda") return [];
        const wait = shiftWaitMinutes(service.deploy.strategy);
        return wait > MAX_SHIFT_WAIT_MINUTES
            ? [
                  {
                      path: ["services", i, "deploy", "strategy"],
                      message: `is "${service.deploy.strategy}", which waits ${wait} minutes while traffic shifts, over the Lambda deploy action's two days (${MAX_SHIFT_WAIT_MINUTES} minutes). Shorten the interval or use fewer increments.`,
                  },
              ]
            : [];
    });

/**
 * A manual approval notifies through the environment's approval topic (model/environment.ts), and its subscribers
 * are `approval.emails`; with none, a production release waits until the approval times out and nobody is told.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-configure-notifications.html
 */
const productionApprovers = ({ environment }: RuleInput): ConfigIssue[] =>
    environment.tier === "production" && environment.approval.emails.length === 0
        ? [
              {
                  path: ["environment", "approval", "emails"],
                  message:
                      "is empty, but production waits for a manual approval before every deploy and only these addresses are told one is waiting. List the approvers, like [release-managers@example.com].",
              },
          ]
        : [];

export const awsValueRules = (input: RuleInput): ConfigIssue[] => [
    ...shiftWithinLimit(input),
    ...productionApprovers(input),
];
