import { strict as assert } from "assert";
import { PIPELINE_TYPE } from "../../policies/codepipeline";
import {
    codepipelineApprovalTimeoutNotification,
    codepipelineNoGithubV1Source,
    codepipelineV2NoPolling,
} from "../../policies/codepipeline-sources";
import { UNKNOWN, validate } from "./helpers";

const opts = { name: "app" };

function pipeline(actions: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
    return { pipelineType: "V2", stages: [{ name: "Source", actions }], ...extra };
}

describe("codepipeline-no-github-v1-source", () => {
    it("reports a GitHub version-1 source action, naming it and the connection fix", async () => {
        const action = {
            name: "Checkout",
            category: "Source",
            owner: "ThirdParty",
            provider: "GitHub",
            configuration: { Owner: "acme", Repo: "app", Branch: "main", OAuthToken: UNKNOWN },
        };
        assert.deepEqual(await validate(codepipelineNoGithubV1Source, PIPELINE_TYPE, pipeline([action]), opts), [
            "CodePipeline 'app' action 'Checkout' (stage 'Source') is a GitHub version-1 source action (owner " +
                "ThirdParty, provider GitHub), which authenticates with an OAuth token kept in the pipeline. Replace it " +
                "with owner 'AWS', provider 'CodeStarSourceConnection' and configuration { ConnectionArn, " +
                "FullRepositoryId, BranchName } on an aws.codestarconnections.Connection.",
        ]);
    });

    it("passes connection sources, unknown owners and unknown stages", async () => {
        const connection = { name: "S", category: "Source", owner: "AWS", provider: "CodeStarSourceConnection" };
        const unknown = { name: "S", category: "Source", owner: UNKNOWN, provider: "GitHub" };
        for (const props of [pipeline([connection]), pipeline([unknown]), { stages: UNKNOWN }, { stages: [UNKNOWN] }]) {
            assert.deepEqual(await validate(codepipelineNoGithubV1Source, PIPELINE_TYPE, props, opts), []);
        }
    });
});

describe("codepipeline-v2-no-polling", () => {
    const s3 = (configuration: unknown) => ({
        name: "Src",
        category: "Source",
        owner: "AWS",
        provider: "S3",
        configuration,
    });
    const fix =
        'so the pipeline polls for changes. Set configuration.PollForSourceChanges to "false" and start the pipeline ' +
        "from an EventBridge rule on the source (or a CodeStarSourceConnection source with triggers).";

    it("reports PollForSourceChanges true, and an absent one (it defaults to true)", async () => {
        const cases: [unknown, string][] = [
            [{ S3Bucket: "b", S3ObjectKey: "k", PollForSourceChanges: "true" }, "sets PollForSourceChanges true"],
            [{ S3Bucket: "b", S3ObjectKey: "k", PollForSourceChanges: true }, "sets PollForSourceChanges true"],
            [{ S3Bucket: "b", S3ObjectKey: "k" }, "sets no PollForSourceChanges (it defaults to true)"],
        ];
        for (const [configuration, what] of cases) {
            assert.deepEqual(
                await validate(codepipelineV2NoPolling, PIPELINE_TYPE, pipeline([s3(configuration)]), opts),
                [`V2 CodePipeline 'app' action 'Src' (stage 'Source') (provider S3) ${what}, ${fix}`],
            );
        }
    });

    it("passes event-based sources, V1 pipelines, connections, ECR and unknowns", async () => {
        const ecr = {
            name: "Img",
            category: "Source",
            owner: "AWS",
            provider: "ECR",
            configuration: { RepositoryName: "r" },
        };
        for (const props of [
            pipeline([s3({ S3Bucket: "b", PollForSourceChanges: "false" })]),
            pipeline([s3({ S3Bucket: "b", PollForSourceChanges: "true" })], { pipelineType: "V1" }),
            pipeline([s3({ S3Bucket: "b" })], { pipelineType: UNKNOWN }),
            pipeline([ecr, { name: "C", category: "Source", provider: "CodeStarSourceConnection", configuration: {} }]),
            pipeline([s3({ PollForSourceChanges: UNKNOWN }), s3(UNKNOWN)]),
            pipeline([{ name: "P", category: "Source", provider: UNKNOWN }]),
        ]) {
            assert.deepEqual(await validate(codepipelineV2NoPolling, PIPELINE_TYPE, props, opts), []);
        }
    });
});

describe("codepipeline-approval-timeout-notification", () => {
    const approval = (extra: Record<string, unknown>) => ({
        name: "Approve",
        category: "Approval",
        owner: "AWS",
        provider: "Manual",
        ...extra,
    });
    const tail =
        ". Set timeoutInMinutes to how long approvers have (e.g. 4320 for three days) and configuration.NotificationArn " +
        "to the SNS topic that tells them an approval is waiting.";
    const head = "CodePipeline 'app' Manual approval action 'Approve' (stage 'Source') sets no ";

    it("reports a missing timeout, a missing NotificationArn, or both", async () => {
        const cases: [Record<string, unknown>, string][] = [
            [{ configuration: { NotificationArn: "arn:aws:sns:eu-west-1:1:t" } }, "timeoutInMinutes"],
            [{ timeoutInMinutes: 60, configuration: { CustomData: "x" } }, "configuration.NotificationArn"],
            [{}, "timeoutInMinutes and no configuration.NotificationArn"],
        ];
        for (const [extra, missing] of cases) {
            assert.deepEqual(
                await validate(
                    codepipelineApprovalTimeoutNotification,
                    PIPELINE_TYPE,
                    pipeline([approval(extra)]),
                    opts,
                ),
                [`${head}${missing}${tail}`],
            );
        }
    });

    it("passes complete approvals, unknown values, and other actions", async () => {
        for (const extra of [
            { timeoutInMinutes: 4320, configuration: { NotificationArn: "arn:aws:sns:eu-west-1:1:t" } },
            { timeoutInMinutes: UNKNOWN, configuration: UNKNOWN },
            { timeoutInMinutes: 30, configuration: { NotificationArn: UNKNOWN } },
        ]) {
            const props = pipeline([approval(extra)]);
            assert.deepEqual(await validate(codepipelineApprovalTimeoutNotification, PIPELINE_TYPE, props, opts), []);
        }
        const build = { name: "B", category: "Build", provider: "CodeBuild", configuration: {} };
        assert.deepEqual(
            await validate(codepipelineApprovalTimeoutNotification, PIPELINE_TYPE, pipeline([build]), opts),
            [],
        );
    });
});
