import { stringify } from "yaml";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import { releaseRoleOf, type ChainLink, type ReleaseRole } from "../stacks/release-schema";
import type { ServiceConfig } from "../stacks/service-schema";
import { shellQuote } from "./buildspec";
import * as names from "./names";
import type { ActionModel, ApprovalModel, StageModel } from "./pipeline";
import { IMAGE_VARIABLES, imageFileFor, type ProjectModel } from "./projects";

/**
 * Build once, promote. The `build` environment compiles and tests from git once and publishes the release into the
 * next environment's release bucket; a `verify` environment deploys that release, tests the deployed service and
 * promotes the same objects (copied by version, byte for byte) to the next link; a `release` environment (always
 * production) deploys only promoted releases. A release is three objects under `releases/<service>/`:
 * - `release.zip`: the build output (with the container image pinned by digest), the object that starts the pipeline;
 * - `source.zip`: the same commit's source, from which the post-deploy suites run;
 * - `provenance/<release id>.json`: commit, build id and URL, test report groups, and (once verified) the run that
 *   proved it. `release.zip` carries the release id, commit and proving run as object metadata, which is copied
 *   with the version, so the version the pipeline started from names its own provenance.
 * Source actions: https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html
 */

export type { ReleaseRole } from "../stacks/release-schema";
export { releaseRoleOf } from "../stacks/release-schema";

/** Variable namespaces of the release flow's actions (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html). */
export const RELEASE_SOURCE_NAMESPACE = "ReleaseSource";
export const SNAPSHOT_SOURCE_NAMESPACE = "SourceSnapshot";
export const PROVENANCE_NAMESPACE = "Release";

export type ReleaseProjectId = "publish" | "promote" | "provenance";

const ACTION_NAMES: Readonly<Record<ReleaseProjectId, string>> = {
    publish: "PublishRelease",
    promote: "PromoteRelease",
    provenance: "ReadProvenance",
};

/** The environment a link writes to: its `promoteTo`, for `build` and `verify` environments. */
export const promotionTarget = (env: EnvironmentConfig): ChainLink | undefined =>
    releaseRoleOf(env) === "release" ? undefined : env.release?.promoteTo;

/** Whether the environment's pipelines start from releases in its own release bucket. */
export const startsFromRelease = (env: EnvironmentConfig): boolean => releaseRoleOf(env) !== "build";

/**
 * The two S3 source actions of a pipeline fed by releases: the release (which the deploy reads, as the build output
 * would have been) and the source snapshot (which the post-deploy suites run). Only `release.zip` starts the
 * pipeline (the EventBridge pattern names its key); the publisher writes `source.zip` first.
 */
export function releaseSourceStage(ctx: names.NameContext, service: string, artifacts: ReleaseArtifacts): StageModel {
    const bucket = names.releaseBucketName(ctx);
    const action = (id: string, name: string, key: string, output: string, namespace: string): ActionModel => ({
        id,
        name,
        record: "s3Source",
        category: "Source",
        provider: "S3",
        runOrder: 1,
        configuration: { S3Bucket: bucket, S3ObjectKey: key, PollForSourceChanges: "false" },
        inputArtifacts: [],
        outputArtifacts: [output],
        namespace,
    });
    return {
        id: "source",
        name: "Source",
        actions: [
            action("release", "Release", names.releaseObjectKey(service), artifacts.build, RELEASE_SOURCE_NAMESPACE),
            action("source", "Source", names.releaseSourceKey(service), artifacts.source, SNAPSHOT_SOURCE_NAMESPACE),
        ],
    };
}

export interface ReleaseArtifacts {
    readonly source: string;
    readonly build: string;
}

/** EventBridge pattern: a new version of the service's `release.zip` in the environment's release bucket. */
export const releaseEventPattern = (ctx: names.NameContext, service: string): Record<string, unknown> => ({
    source: ["aws.s3"],
    "detail-type": ["Object Created"],
    detail: {
        bucket: { name: [names.releaseBucketName(ctx)] },
        object: { key: [names.releaseObjectKey(service)] },
    },
});

const variables = (vars: Readonly<Record<string, string>>): string =>
    JSON.stringify(Object.entries(vars).map(([name, value]) => ({ name, value, type: "PLAINTEXT" })));

/** The CodeBuild action of a release project, with the pipeline variables it reads. */
export function releaseAction(
    project: ProjectModel & { id: ReleaseProjectId },
    artifacts: ReleaseArtifacts,
    runOrder: number,
    commitTime?: string,
): ActionModel {
    const vars: Record<string, string> = {
        // https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html (pipeline-level variables)
        PIPELINE_EXECUTION_ID: "#{codepipeline.PipelineExecutionId}",
        // The git source's commit date, which the publisher records for lead time downstream.
        ...(project.id === "publish" && commitTime ? { COMMIT_TIME: commitTime } : {}),
        ...(project.id !== "publish"
            ? {
                  RELEASE_VERSION: `#{${RELEASE_SOURCE_NAMESPACE}.VersionId}`,
                  SOURCE_VERSION: `#{${SNAPSHOT_SOURCE_NAMESPACE}.VersionId}`,
              }
            : {}),
    };
    const inputs = project.id === "publish" ? [artifacts.source, artifacts.build] : [artifacts.source];
    return {
        id: project.id,
        name: ACTION_NAMES[project.id],
        record: project.id === "provenance" ? "codeBuildTest" : "codeBuild",
        category: project.id === "provenance" ? "Test" : "Build",
        provider: "CodeBuild",
        runOrder,
        configuration: {
            ProjectName: project.name,
            ...(inputs.length > 1 ? { PrimarySource: artifacts.source } : {}),
            EnvironmentVariables: variables(vars),
        },
        inputArtifacts: inputs,
        outputArtifacts: [],
        projectId: project.id,
        ...(project.id === "provenance" ? { namespace: PROVENANCE_NAMESPACE } : {}),
    };
}

/** The last stage of a `build` or `verify` pipeline: publish or promote, once everything before it passed. */
export const releaseStage = (action: ActionModel): StageModel => ({
    id: "release",
    name: "Release",
    actions: [action],
});

/**
 * Production's approval shows what it approves: the release id, its commit and the staging run that proved it, read
 * from the release object's metadata by the provenance action (exported variables, namespace `Release`) just before
 * the approval in the same stage. CustomData takes variables
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html); CodePipeline allows 1000
 * characters, which the schema's 1000-character `customData` plus this prefix could pass, so the user's text is cut.
 */
export function provenanceApproval(
    approval: ApprovalModel,
    service: string,
    provenance: ActionModel,
): { approval: ApprovalModel; provenance: ActionModel } {
    const { RELEASE_ID, COMMIT, STAGING_RUN } = PROVENANCE_VARIABLES;
    const head = `Release #{${PROVENANCE_NAMESPACE}.${RELEASE_ID}} of ${service}, commit #{${PROVENANCE_NAMESPACE}.${COMMIT}}, verified by #{${PROVENANCE_NAMESPACE}.${STAGING_RUN}}.`;
    const customData = `${head} ${approval.customData}`.slice(0, 1000);
    return { approval: { ...approval, customData }, provenance };
}

export const PROVENANCE_VARIABLES = { RELEASE_ID: "RELEASE_ID", COMMIT: "COMMIT", STAGING_RUN: "STAGING_RUN" } as const;

// --- The release projects (CodeBuild) ---

interface ReleaseProjectInput {
    readonly ctx: names.NameContext;
    readonly env: EnvironmentConfig;
    readonly service: ServiceConfig;
}

function releaseProject(
    { ctx, env, service }: ReleaseProjectInput,
    id: ReleaseProjectId,
    description: string,
    commands: string[],
    exported: readonly string[] = [],
): ProjectModel & { id: ReleaseProjectId } {
    const name = names.projectName(ctx, service.name, id);
    const spec: Record<string, unknown> = {
        version: 0.2,
        env: {
            shell: "bash",
            ...(exported.length > 0 ? { "exported-variables": [...exported] } : {}),
        },
        phases: { build: { commands: ["set -euo pipefail", ...commands] } },
    };
    return {
        id,
        name,
        description: `${description} for ${names.pipelineName(ctx, service.name)}`,
        roleKind: "release",
        image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        computeType: "BUILD_GENERAL1_SMALL",
        privileged: false,
        environmentVariables: [],
        cache: { type: "NO_CACHE" },
        logGroupName: names.logGroupName(ctx, name),
        logRetentionDays: env.logRetentionDays,
        reports: false,
        buildspec: { inline: stringify(spec) },
        timeoutMinutes: 15,
        ...(service.build.containerImage && service.build.imageRepository && id === "publish"
            ? { imageRepository: service.build.imageRepository }
            : {}),
    };
}

/**
 * `--bucket`, `--key` and `--expected-bucket-owner` of a put or copy into the target's release bucket. `key` is one
 * shell word already: a literal key goes through `shellQuote`, a key that ends in a shell variable through
 * `provenanceKey`, so the variable can never land after another flag.
 */
const putArgs = (target: names.NameContext, keyWord: string) =>
    `--bucket ${shellQuote(names.releaseBucketName(target))} --key ${keyWord} --expected-bucket-owner ${target.accountId}`;

/** `releases/<service>/provenance/$RELEASE_ID.json` as one shell word: the literal prefix quoted, the id expanded. */
const provenanceKey = (service: string): string =>
    `${shellQuote(`${names.releasePrefix(service)}/provenance/`)}"$RELEASE_ID.json"`;

/**
 * The scripts' files live in a directory of their own (`mktemp -d`, under `$TMPDIR` when set), never at fixed
 * paths in /tmp: `zip` adds to an archive that already exists, so a file left by an earlier run on a reused host
 * would otherwise be published with this release.
 */
const WORK_DIR = `WORK="$(mktemp -d)"`;

/**
 * With several input artifacts, CodeBuild unpacks the primary one (`PrimarySource`) in `CODEBUILD_SRC_DIR` and each
 * other in `CODEBUILD_SRC_DIR_<artifact name>`
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-pipeline-multi-input-output.html). The commands use
 * `jq` and `zip`, which the CodeBuild page of the standard image's tools does not promise in every version; a missing
 * tool stops the run (`set -euo pipefail`) before anything is published.
 *
 * `build`: pin the image by digest (ECR `DescribeImages` on the tag the build pushed), write provenance, then put
 * `source.zip` and last `release.zip` (whose new version starts the next pipeline) into the target's release bucket.
 * The bucket's default encryption (the target environment's key) applies; the command names no key.
 */
/**
 * The tag of the image the build pushed. An inline buildspec tags it with the source revision
 * (`model/projects.ts`), so the tag is derived the same way. A buildspec file of the service's own may tag it
 * otherwise; the image file it writes for the deploy (`imageDetail.json`'s `ImageURI`, or the container's `imageUri`
 * in `imagedefinitions.json`: https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html) names
 * the image, so the tag is read from there. It must be an image of the service's repository, else the release
 * stops: the pinned image would not be the one the build made.
 */
function imageReference(x: ReleaseProjectInput, file: string, repositoryUri: string): string[] {
    if (x.service.build.commands)
        return [`TAG="$(printf '%s' "$COMMIT" | tr -c 'A-Za-z0-9_.-' '_' | cut -c1-128)"`, `IMAGE_ID="imageTag=$TAG"`];
    const path = `"$CODEBUILD_SRC_DIR_${"BuildOutput"}/${file}"`;
    const query =
        x.service.deploy.kind === "ecs-blue-green"
            ? `jq -er '.ImageURI' ${path}`
            : `jq -er --arg name ${shellQuote(x.service.build.containerName ?? x.service.name)} '.[] | select(.name == $name) | .imageUri' ${path}`;
    const repo = shellQuote(repositoryUri);
    return [
        `REF="$(${query})"`,
        `case "$REF" in ${repo}@sha256:*) IMAGE_ID="imageDigest=\${REF#*@}";; ${repo}:*) IMAGE_ID="imageTag=\${REF##*:}";; *) echo "${file} names $REF, not an image of ${repositoryUri}" >&2; exit 1;; esac`,
    ];
}

function publishCommands(x: ReleaseProjectInput, target: names.NameContext): string[] {
    const { service } = x;
    const svc = service.name;
    const image = service.build.containerImage && service.build.imageRepository ? imageFileFor(service) : undefined;
    const repo = service.build.imageRepository ?? "";
    const pin = image
        ? [
              ...imageReference(x, image.file, ecrUri(x.ctx, repo)),
              `DIGEST="$(aws ecr describe-images --repository-name ${shellQuote(repo)} --image-ids "$IMAGE_ID" --query 'imageDetails[0].imageDigest' --output text)"`,
              `case "$DIGEST" in sha256:*) ;; *) echo "No image digest for $IMAGE_ID" >&2; exit 1;; esac`,
              `export ${IMAGE_VARIABLES.uri}="${ecrUri(x.ctx, repo)}@$DIGEST"`,
              `${image.content} > "$CODEBUILD_SRC_DIR_${"BuildOutput"}/${image.file}"`,
          ]
        : [];
    return [
        WORK_DIR,
        `COMMIT="$CODEBUILD_RESOLVED_SOURCE_VERSION"; test -n "$COMMIT"`,
        `RELEASE_ID="$(date -u +%Y%m%dT%H%M%SZ)-$(printf '%s' "$COMMIT" | cut -c1-12)"`,
        ...pin,
        `jq -n --arg id "$RELEASE_ID" --arg service ${shellQuote(svc)} --arg commit "$COMMIT" --arg build "$CODEBUILD_BUILD_ID" --arg url "$CODEBUILD_BUILD_URL" --arg run ${shellQuote(names.pipelineExecutionUrl(x.ctx, svc, "EXEC"))} --arg exec "$PIPELINE_EXECUTION_ID" --arg reports ${shellQuote(reportsUrl(x.ctx))} '{releaseId:$id, service:$service, commit:$commit, buildId:$build, buildUrl:$url, buildRun:($run|sub("EXEC";$exec)), testReports:$reports}' > "$WORK"/provenance.json`,
        `printf '%s' "$RELEASE_ID" > "$CODEBUILD_SRC_DIR/.release-id"`,
        `(cd "$CODEBUILD_SRC_DIR" && zip -qr "$WORK"/source.zip .)`,
        `(cd "$CODEBUILD_SRC_DIR_BuildOutput" && zip -qr "$WORK"/release.zip .)`,
        `META="$(jq -cn --arg id "$RELEASE_ID" --arg commit "$COMMIT" --arg time "\${COMMIT_TIME:-}" '${releaseMetadata("{}", "")}')"`,
        `aws s3api put-object ${putArgs(target, provenanceKey(svc))} --body "$WORK"/provenance.json --content-type application/json`,
        `aws s3api put-object ${putArgs(target, shellQuote(names.releaseSourceKey(svc)))} --body "$WORK"/source.zip --metadata "$META"`,
        `aws s3api put-object ${putArgs(target, shellQuote(names.releaseObjectKey(svc)))} --body "$WORK"/release.zip --metadata "$META"`,
    ];
}

const ecrUri = (ctx: names.NameContext, repository: string): string =>
    `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.${ctx.partition === "aws-cn" ? "com.cn" : "com"}/${repository}`;

const reportsUrl = (ctx: names.NameContext): string =>
    `https://${ctx.region}.console.aws.amazon.com/codesuite/codebuild/testReports/reportGroups?region=${ctx.region}`;

/**
 * The release objects' metadata as a jq program over `$id`, `$commit`, `$time` (the commit's date, or "") and
 * `extra` (an object). `codepipeline-artifact-revision-summary` becomes the S3 source action's revision summary in
 * the next pipeline's executions (`ArtifactRevision.revisionSummary`,
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ArtifactRevision.html); its `committed <date>`
 * lets lead time be measured from the commit there, where the revision's `created` is the promotion
 * (tools/codepipeline/history.ts reads it back with `commitTimeOfSummary`).
 */
const releaseMetadata = (extra: string, suffix: string): string =>
    `{"release-id":$id, commit:$commit} + ${extra} + (if $time == "" then {} else {"commit-time":$time} end) + {"codepipeline-artifact-revision-summary":("Release " + $id + " (commit " + $commit + (if $time == "" then "" else ", committed " + $time end) + ")${suffix}")}`;

/** Reads the release's metadata (release id, commit, proving run) from the exact version the pipeline started from. */
const readMetadata = (own: names.NameContext, service: string): string[] => [
    `META="$(aws s3api head-object --bucket ${shellQuote(names.releaseBucketName(own))} --key ${shellQuote(names.releaseObjectKey(service))} --version-id "$RELEASE_VERSION" --expected-bucket-owner ${own.accountId} --query Metadata --output json)"`,
    `RELEASE_ID="$(printf '%s' "$META" | jq -er '."release-id"')"`,
    `COMMIT="$(printf '%s' "$META" | jq -er '.commit')"`,
];

/**
 * `verify`: the source snapshot must belong to the release being promoted (`.release-id`), else the run stops.
 * Then copy `source.zip`, the provenance (with this run added) and last `release.zip` by version: the bytes prod
 * deploys are the bytes staging deployed and tested.
 */
function promoteCommands(x: ReleaseProjectInput, target: names.NameContext): string[] {
    const svc = x.service.name;
    const own = x.ctx;
    const ownBucket = names.releaseBucketName(own);
    const copy = (key: string) => `--copy-source "${ownBucket}/${key}?versionId=`;
    return [
        WORK_DIR,
        ...readMetadata(own, svc),
        // Absent from releases published before commit dates were carried: the promoted release then has none either.
        `COMMIT_TIME="$(printf '%s' "$META" | jq -r '."commit-time" // ""')"`,
        `test "$(cat "$CODEBUILD_SRC_DIR/.release-id")" = "$RELEASE_ID" || { echo "Source snapshot is not of release $RELEASE_ID" >&2; exit 1; }`,
        `RUN=${shellQuote(names.pipelineExecutionUrl(own, svc, "EXEC"))}; RUN="\${RUN/EXEC/$PIPELINE_EXECUTION_ID}"`,
        `aws s3api get-object --bucket ${shellQuote(ownBucket)} --key ${provenanceKey(svc)} --expected-bucket-owner ${own.accountId} "$WORK"/in.json > /dev/null`,
        `jq --arg run "$RUN" '. + {verifiedBy:$run}' "$WORK"/in.json > "$WORK"/provenance.json`,
        `META="$(jq -cn --arg id "$RELEASE_ID" --arg commit "$COMMIT" --arg time "$COMMIT_TIME" --arg run "$RUN" '${releaseMetadata('{"verified-by":$run}', ", verified")}')"`,
        `aws s3api put-object ${putArgs(target, provenanceKey(svc))} --body "$WORK"/provenance.json --content-type application/json`,
        `aws s3api copy-object ${copy(names.releaseSourceKey(svc))}$SOURCE_VERSION" ${putArgs(target, shellQuote(names.releaseSourceKey(svc)))} --expected-source-bucket-owner ${own.accountId}`,
        `aws s3api copy-object ${copy(names.releaseObjectKey(svc))}$RELEASE_VERSION" ${putArgs(target, shellQuote(names.releaseObjectKey(svc)))} --expected-source-bucket-owner ${own.accountId} --metadata-directive REPLACE --metadata "$META"`,
    ];
}

/** `release`: export the release id, commit and proving run for the approval; a release without them stops here. */
function provenanceCommands(x: ReleaseProjectInput): string[] {
    const { RELEASE_ID, COMMIT, STAGING_RUN } = PROVENANCE_VARIABLES;
    return [
        ...readMetadata(x.ctx, x.service.name),
        `${STAGING_RUN}="$(printf '%s' "$META" | jq -er '."verified-by"')"`,
        `export ${RELEASE_ID} ${COMMIT} ${STAGING_RUN}`,
    ];
}

/** The release project of one pipeline, by the environment's role; none for a `build` environment with no target. */
export function releaseProjectsFor(
    ctx: names.NameContext,
    env: EnvironmentConfig,
    service: ServiceConfig,
): (ProjectModel & { id: ReleaseProjectId })[] {
    const x = { ctx, env, service };
    const role: ReleaseRole = releaseRoleOf(env);
    const target = promotionTarget(env);
    if (role === "release") {
        const { RELEASE_ID, COMMIT, STAGING_RUN } = PROVENANCE_VARIABLES;
        return [
            releaseProject(x, "provenance", "release provenance", provenanceCommands(x), [
                RELEASE_ID,
                COMMIT,
                STAGING_RUN,
            ]),
        ];
    }
    if (!target) return [];
    const t = names.linkContext(target);
    return role === "build"
        ? [releaseProject(x, "publish", "release publisher", publishCommands(x, t))]
        : [releaseProject(x, "promote", "release promoter", promoteCommands(x, t))];
}
