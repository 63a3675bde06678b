import * as path from "path";
import type { BuildConfig, SecretRef, ServiceConfig, TestSuiteConfig, TestSuiteId } from "../stacks/service-schema";
import type { EnvironmentConfig } from "../stacks/environment-schema";
import { renderBuildspec, shellQuote, type Phases } from "./buildspec";
import * as names from "./names";
import type { ReleaseProjectId } from "./release";

export type ProjectId = "build" | TestSuiteId | ReleaseProjectId;

/** Which service role runs the project: the build role, or the test role that cannot touch the build's output. */
export type ProjectRoleKind = "build" | "test" | "release";

/**
 * A CodeBuild environment variable. Secrets are references CodeBuild resolves at run time with the project's role,
 * so their values never reach the project definition.
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html
 */
export interface EnvironmentVariableModel {
    readonly name: string;
    readonly value: string;
    readonly type: "PLAINTEXT" | "PARAMETER_STORE" | "SECRETS_MANAGER";
}

export type LocalCacheMode = "LOCAL_CUSTOM_CACHE" | "LOCAL_DOCKER_LAYER_CACHE";

/**
 * The project's cache. `LOCAL_SOURCE_CACHE` is never used: it caches Git metadata and is ignored for sources that
 * are not Git repositories, which a `CODEPIPELINE` source is not. `LOCAL_DOCKER_LAYER_CACHE` needs privileged mode,
 * so only image builds get it. Dependencies are kept with `LOCAL_CUSTOM_CACHE` (buildspec `cache.paths`) or in S3.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-caching.html
 * https://docs.aws.amazon.com/codebuild/latest/userguide/caching-local.html
 */
export type CacheModel =
    | { readonly type: "NO_CACHE" }
    | { readonly type: "LOCAL"; readonly modes: readonly LocalCacheMode[] }
    /** `prefix` is a folder of the environment's artifact bucket. */
    | { readonly type: "S3"; readonly prefix: string };

export interface ProjectModel {
    readonly id: ProjectId;
    readonly name: string;
    readonly description: string;
    readonly roleKind: ProjectRoleKind;
    readonly image: string;
    readonly computeType: BuildConfig["computeType"];
    /** Docker daemon access: image builds only. */
    readonly privileged: boolean;
    /**
     * Tags of the project beyond the pipeline's. An image build says so with `cicd:builds-images`, which the policy
     * pack reads when it cannot see the buildspec (a file in the repository) to tell why the project is privileged.
     * @default {}
     */
    readonly tags?: Readonly<Record<string, string>>;
    readonly environmentVariables: readonly EnvironmentVariableModel[];
    readonly cache: CacheModel;
    readonly logGroupName: string;
    readonly logRetentionDays: number;
    /** Whether test reports are sent to a report group (`reportGroup`). */
    readonly reports: boolean;
    readonly reportGroup?: { readonly name: string; readonly arn: string };
    /** Inline buildspec YAML, or the path of a buildspec file in the repository. */
    readonly buildspec: { readonly inline: string } | { readonly file: string };
    readonly timeoutMinutes: number;
    /** ECR repository the project pushes to (image builds). */
    readonly imageRepository?: string;
    /**
     * The commands of an inline buildspec with the variables each one can see, for validation. Absent for a
     * buildspec file, which the platform does not read.
     */
    readonly commands?: readonly CommandModel[];
}

/** One command of an inline buildspec, where it came from in the config, and who wrote it. */
export interface CommandModel {
    readonly command: string;
    /** Config path of the command, e.g. `["build", "commands", "build", 1]` (relative to the service). */
    readonly path?: readonly PropertyKey[];
}

/** Unit tests and the security scan run side by side; integration tests wait for both. */
export const TEST_ORDER: Readonly<Record<TestSuiteId, number>> = { unit: 1, security: 1, integration: 2, smoke: 1 };
const TEST_IDS: readonly TestSuiteId[] = ["unit", "security", "integration", "smoke"];

/** Declares a project that builds container images (and so runs privileged). */
export const IMAGE_BUILD_TAG = "cicd:builds-images";

/** Variables the platform defines in image builds, with the command phase from which each exists. */
export const IMAGE_VARIABLES = {
    /** Repository URI, set on the project. */
    repository: "IMAGE_REPO_URI",
    /** Tag: the source revision, exported in `pre_build`. */
    tag: "IMAGE_TAG",
    /** `IMAGE_REPO_URI:IMAGE_TAG`, exported in `pre_build`; the image the platform pushes. */
    uri: "IMAGE_URI",
} as const;

export const TEST_SUITE_VARIABLE = "TEST_SUITE";

/**
 * The file the deploy action reads to find the image, by deploy kind.
 * - ECS standard deployments read `imagedefinitions.json`: a list of `{ name: <container>, imageUri }`.
 * - CodeDeployToECS (blue/green) reads `imageDetail.json`: `{ ImageURI }`.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECS.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html
 */
export function imageFileFor(service: ServiceConfig): { readonly file: string; readonly content: string } | undefined {
    const uri = `"$${IMAGE_VARIABLES.uri}"`;
    switch (service.deploy.kind) {
        case "ecs-rolling": {
            const container = service.build.containerName ?? service.name;
            return {
                file: service.deploy.imageDefinitionsFile,
                content: `printf '[{"name":"%s","imageUri":"%s"}]' ${shellQuote(container)} ${uri}`,
            };
        }
        case "ecs-blue-green":
            return { file: "imageDetail.json", content: `printf '{"ImageURI":"%s"}' ${uri}` };
        default:
            return undefined;
    }
}

/**
 * What the platform adds around an image build's own commands (inline buildspecs only):
 * - `pre_build`: the tag is the source revision CodePipeline passed to CodeBuild (`CODEBUILD_RESOLVED_SOURCE_VERSION`,
 *   https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html), made a valid Docker tag
 *   (letters, digits, `_.-`, at most 128 characters); the build stops if there is none. Then it logs in to the
 *   repository's registry with `aws ecr get-login-password`
 *   (https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry_auth.html).
 * - end of `build`: push `$IMAGE_URI` and write the file the deploy action reads into the artifact's base directory.
 */
function imagePhases(service: ServiceConfig): { preBuild: string[]; build: string[] } {
    const { repository, tag, uri } = IMAGE_VARIABLES;
    const preBuild = [
        `test -n "$CODEBUILD_RESOLVED_SOURCE_VERSION" || { echo "No source revision to tag the image with" >&2; exit 1; }`,
        // Assigned, then exported: `export A="$(...)"` would return export's status, not the substitution's (SC2155).
        `${tag}="$(printf '%s' "$CODEBUILD_RESOLVED_SOURCE_VERSION" | tr -c 'A-Za-z0-9_.-' '_' | cut -c1-128)" && export ${tag}`,
        `export ${uri}="$${repository}:$${tag}"`,
        `aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$\{${repository}%%/*}"`,
    ];
    const build = [`docker push "$${uri}"`];
    const imageFile = imageFileFor(service);
    if (imageFile) {
        // The folder may not exist yet: a base directory or an `imageDefinitionsFile` in a folder the build's own
        // commands never created.
        const target = `${service.build.artifactBaseDirectory ?? "."}/${imageFile.file}`;
        const folder = path.posix.normalize(path.posix.dirname(target));
        if (folder !== ".") build.push(`mkdir -p ${shellQuote(folder)}`);
        build.push(`${imageFile.content} > ${shellQuote(target)}`);
    }
    return { preBuild, build };
}

const plain = (variables: Readonly<Record<string, string>>): EnvironmentVariableModel[] =>
    Object.entries(variables).map(([name, value]) => ({ name, value, type: "PLAINTEXT" }));

const secrets = (refs: Readonly<Record<string, SecretRef>>): EnvironmentVariableModel[] =>
    Object.entries(refs).map(([name, ref]) =>
        "parameter" in ref
            ? { name, value: ref.parameter, type: "PARAMETER_STORE" }
            : { name, value: ref.secretArn, type: "SECRETS_MANAGER" },
    );

const ecrRepositoryUri = (ctx: names.NameContext, repository: string): string =>
    `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.${ctx.partition === "aws-cn" ? "com.cn" : "com"}/${repository}`;

/** The build's cache: see `CacheModel` for why each mode is or is not used. */
function buildCache(ctx: names.NameContext, service: ServiceConfig): CacheModel {
    const { build } = service;
    // With a buildspec file the paths live in that file; the platform cannot see them, so it offers the custom cache.
    const hasPaths = build.cachePaths.length > 0 || build.buildspecFile !== undefined;
    switch (build.cache) {
        case "none":
            return { type: "NO_CACHE" };
        case "s3":
            return { type: "S3", prefix: names.buildCachePrefix(ctx, service.name) };
        case "local": {
            const modes: LocalCacheMode[] = [
                ...(hasPaths ? (["LOCAL_CUSTOM_CACHE"] as const) : []),
                ...(build.containerImage ? (["LOCAL_DOCKER_LAYER_CACHE"] as const) : []),
            ];
            return modes.length > 0 ? { type: "LOCAL", modes } : { type: "NO_CACHE" };
        }
    }
}

const at = (path: readonly PropertyKey[], list: readonly string[]): CommandModel[] =>
    list.map((command, i) => ({ command, path: [...path, i] }));
const platform = (list: readonly string[]): CommandModel[] => list.map((command) => ({ command }));

/** The build's inline buildspec and its commands in run order, with the platform's image steps around them. */
function inlineBuild(service: ServiceConfig, commands: NonNullable<BuildConfig["commands"]>) {
    const { build } = service;
    const image = build.containerImage && build.imageRepository ? imagePhases(service) : undefined;
    const phases: Phases = {
        install: commands.install,
        preBuild: image?.preBuild ?? [],
        build: [...commands.build, ...(image?.build ?? [])],
        postBuild: commands.postBuild,
    };
    const inline = renderBuildspec({
        phases,
        abortOnBuildFailure: image !== undefined,
        cachePaths: build.cache === "none" ? [] : build.cachePaths,
        artifacts: { files: build.artifactFiles, baseDirectory: build.artifactBaseDirectory },
    });
    const ordered: CommandModel[] = [
        ...at(["build", "commands", "install"], commands.install),
        ...platform(image?.preBuild ?? []),
        ...at(["build", "commands", "build"], commands.build),
        ...platform(image?.build ?? []),
        ...at(["build", "commands", "postBuild"], commands.postBuild),
    ];
    return { buildspec: { inline }, commands: ordered };
}

function buildProject(ctx: names.NameContext, env: EnvironmentConfig, service: ServiceConfig): ProjectModel {
    const { build } = service;
    const name = names.projectName(ctx, service.name, "build");
    const repository = build.containerImage ? build.imageRepository : undefined;
    const variables = [
        ...plain(build.environment),
        ...secrets(build.secrets),
        ...(repository ? plain({ [IMAGE_VARIABLES.repository]: ecrRepositoryUri(ctx, repository) }) : []),
    ];
    const spec = build.commands
        ? inlineBuild(service, build.commands)
        : { buildspec: { file: build.buildspecFile ?? "buildspec.yml" } };
    return {
        id: "build",
        name,
        description: `build for ${names.pipelineName(ctx, service.name)}`,
        roleKind: "build",
        image: build.image,
        computeType: build.computeType,
        privileged: build.containerImage,
        ...(build.containerImage ? { tags: { [IMAGE_BUILD_TAG]: "true" } } : {}),
        environmentVariables: variables,
        cache: buildCache(ctx, service),
        logGroupName: names.logGroupName(ctx, name),
        logRetentionDays: env.logRetentionDays,
        reports: false,
        timeoutMinutes: build.timeoutMinutes,
        ...(repository ? { imageRepository: repository } : {}),
        ...spec,
    };
}

/**
 * A test suite runs on the source artifact with its own install step: the suite's `install`, or else the build's
 * `commands.install`. Installing again was chosen over handing the tests an artifact with the build's dependencies:
 * the build artifact is the deploy artifact (narrowed by `artifactFiles` and `artifactBaseDirectory`, and read by the
 * deploy action), so it cannot also carry a dependency tree; a second output artifact would upload the whole tree to
 * the artifact bucket on every run and let the build role shape what the tests execute.
 *
 * Tests never run privileged, never cache (a shared cache would let test code poison the build's dependencies), and
 * get their own variables and secrets. A suite that runs the build's `commands.install` also gets the build's
 * `environment` and `secrets`, which that install step was written against (a registry token read by `npm ci` from
 * `.npmrc` is not visible in the commands); a suite with an `install` of its own gets only its own. The suite's value
 * wins where both name a variable.
 */
function testProject(
    ctx: names.NameContext,
    env: EnvironmentConfig,
    service: ServiceConfig,
    id: TestSuiteId,
    suite: TestSuiteConfig,
): ProjectModel {
    const name = names.projectName(ctx, service.name, id);
    const reportGroupArn = names.reportGroupArn(ctx, name);
    const install = suite.install ?? service.build.commands?.install ?? [];
    const installPath = suite.install ? ["tests", id, "install"] : ["build", "commands", "install"];
    const inherited =
        suite.install || install.length === 0
            ? []
            : [...plain(service.build.environment), ...secrets(service.build.secrets)];
    const own = [...plain(suite.environment), ...secrets(suite.secrets)];
    return {
        id,
        name,
        description: `${id} tests for ${names.pipelineName(ctx, service.name)}`,
        roleKind: "test",
        image: service.build.image,
        computeType: service.build.computeType,
        privileged: false,
        environmentVariables: [...inherited.filter((v) => !own.some((o) => o.name === v.name)), ...own],
        cache: { type: "NO_CACHE" },
        logGroupName: names.logGroupName(ctx, name),
        logRetentionDays: env.logRetentionDays,
        reports: suite.reports.length > 0,
        ...(suite.reports.length > 0
            ? { reportGroup: { name: names.reportGroupName(name), arn: reportGroupArn } }
            : {}),
        buildspec: {
            inline: renderBuildspec({
                phases: { install, preBuild: [], build: suite.commands, postBuild: [] },
                variables: { [TEST_SUITE_VARIABLE]: id },
                reports: { groupArn: reportGroupArn, files: suite.reports },
            }),
        },
        timeoutMinutes: service.build.timeoutMinutes,
        commands: [...at(installPath, install), ...at(["tests", id, "commands"], suite.commands)],
    };
}

/** The service's CodeBuild projects: the build first, then one per configured test suite. */
export function projectsFor(ctx: names.NameContext, env: EnvironmentConfig, service: ServiceConfig): ProjectModel[] {
    const tests = TEST_IDS.flatMap((id) => {
        const suite = service.tests[id];
        return suite ? [testProject(ctx, env, service, id, suite)] : [];
    });
    return [buildProject(ctx, env, service), ...tests];
}
