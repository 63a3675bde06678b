/**
 * CodePipeline sources and approvals: no GitHub version-1 (OAuth) source actions, no polling sources in V2
 * pipelines, and Manual approvals that time out and notify someone.
 * Pipeline inputs: https://www.pulumi.com/registry/packages/aws/api-docs/codepipeline/pipeline/
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, asString, dig, isPresent, isUnknown, plain } from "../lib/props";
import { PIPELINE_TYPE } from "./codepipeline";

/** One action of a pipeline with where it sits; `raw` is the action's plain data. */
interface RawAction {
    where: string;
    raw: unknown;
}

function rawActions(props: unknown): RawAction[] {
    const found: RawAction[] = [];
    (asArray(dig(props, "stages")) ?? []).forEach((stage, stageIndex) => {
        const stageName = asString(dig(stage, "name")) ?? `#${stageIndex + 1}`;
        (asArray(dig(stage, "actions")) ?? []).forEach((action, index) => {
            const name = asString(dig(action, "name")) ?? `#${index + 1}`;
            found.push({ where: `action '${name}' (stage '${stageName}')`, raw: action });
        });
    });
    return found;
}

/**
 * The GitHub (via OAuth app) action, owner ThirdParty and provider GitHub, is the version-1 GitHub action: it reads
 * the repository with an OAuth or personal access token held in the pipeline (configuration.OAuthToken); AWS does
 * not recommend it and points to the GitHub (via GitHub App) action, provider CodeStarSourceConnection.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/appendix-github-oauth.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/update-github-action-connections.html
 * Unknown owners or providers pass in preview.
 */
export const codepipelineNoGithubV1Source: ResourceValidationPolicy = {
    name: "codepipeline-no-github-v1-source",
    description:
        "CodePipeline must not use the GitHub version-1 (OAuth token) source action; use a CodeConnections " +
        "(CodeStarSourceConnection) source.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== PIPELINE_TYPE) return;
        for (const { where, raw } of rawActions(plain(args.props))) {
            if (dig(raw, "owner") === "ThirdParty" && dig(raw, "provider") === "GitHub") {
                report(
                    `CodePipeline '${args.name}' ${where} is a GitHub version-1 source action (owner ThirdParty, ` +
                        `provider GitHub), which authenticates with an OAuth token kept in the pipeline. Replace it ` +
                        `with owner 'AWS', provider 'CodeStarSourceConnection' and configuration { ConnectionArn, ` +
                        `FullRepositoryId, BranchName } on an aws.codestarconnections.Connection.`,
                );
            }
        }
    },
};

/**
 * Source providers that poll when `PollForSourceChanges` is true; for them AWS documents the parameter as often
 * defaulting to true, so an absent value counts as polling (fail safe). Amazon ECR and CodeStarSourceConnection
 * sources do not use the parameter.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/PollForSourceChanges-defaults.html
 */
const POLLING_PROVIDERS = new Set(["S3", "CodeCommit", "GitHub"]);

function polls(value: unknown): boolean | undefined {
    if (isUnknown(value)) return undefined;
    if (value === undefined || value === null) return true;
    return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

/**
 * V2 pipelines start from events (EventBridge rules, connections' webhooks, triggers), not from polling: a polling
 * source checks periodically, and AWS stops polling for pipelines inactive for 30 days.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/update-change-detection.html
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PipelineMetadata.html
 * Unknown pipeline types, providers and values pass in preview.
 */
export const codepipelineV2NoPolling: ResourceValidationPolicy = {
    name: "codepipeline-v2-no-polling",
    description:
        "V2 CodePipeline source actions (S3, CodeCommit, GitHub) must set PollForSourceChanges to false and start " +
        "from events.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== PIPELINE_TYPE) return;
        const props = plain(args.props);
        if (dig(props, "pipelineType") !== "V2") return;
        for (const { where, raw } of rawActions(props)) {
            const provider = dig(raw, "provider");
            if (dig(raw, "category") !== "Source" || typeof provider !== "string" || !POLLING_PROVIDERS.has(provider)) {
                continue;
            }
            const configuration = dig(raw, "configuration");
            if (isUnknown(configuration)) continue;
            const value = dig(configuration, "PollForSourceChanges");
            if (polls(value)) {
                const what =
                    value === undefined
                        ? "sets no PollForSourceChanges (it defaults to true)"
                        : "sets PollForSourceChanges true";
                report(
                    `V2 CodePipeline '${args.name}' ${where} (provider ${provider}) ${what}, so the pipeline polls ` +
                        `for changes. Set configuration.PollForSourceChanges to "false" and start the pipeline from an ` +
                        `EventBridge rule on the source (or a CodeStarSourceConnection source with triggers).`,
                );
            }
        }
    },
};

/**
 * Every Manual approval sets `timeoutInMinutes` (the only action type that accepts it) and
 * `configuration.NotificationArn`, so a pending approval reaches its approvers and does not sit until the default
 * timeout. In production stacks `codepipeline-production-approval` also reports a gating approval without a
 * NotificationArn. Unknown values pass in preview.
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals.html
 */
export const codepipelineApprovalTimeoutNotification: ResourceValidationPolicy = {
    name: "codepipeline-approval-timeout-notification",
    description: "CodePipeline Manual approval actions must set timeoutInMinutes and configuration.NotificationArn.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== PIPELINE_TYPE) return;
        for (const { where, raw } of rawActions(plain(args.props))) {
            if (dig(raw, "category") !== "Approval" || dig(raw, "provider") !== "Manual") continue;
            const configuration = dig(raw, "configuration");
            const missing: string[] = [];
            if (!isPresent(dig(raw, "timeoutInMinutes"))) missing.push("timeoutInMinutes");
            if (!isUnknown(configuration) && !isPresent(dig(configuration, "NotificationArn"))) {
                missing.push("configuration.NotificationArn");
            }
            if (missing.length > 0) {
                report(
                    `CodePipeline '${args.name}' Manual approval ${where} sets no ${missing.join(" and no ")}. Set ` +
                        `timeoutInMinutes to how long approvers have (e.g. 4320 for three days) and ` +
                        `configuration.NotificationArn to the SNS topic that tells them an approval is waiting.`,
                );
            }
        }
    },
};
