import { z } from "zod";
import { checksSchema } from "./checks";
import { deployConfigSchema } from "./deploy-kinds";
import { approvalTimeoutMinutes, globList } from "./primitives";
import { serviceRegionsSchema } from "./release-schema";

/** Branch name pattern as git allows it, without wildcards (filters take globs separately). */
const branch = z
    .string()
    .regex(/^(?!\/)(?!.*\/\/)(?!.*\.\.)[\w./-]{1,255}$/, { error: 'must be a git branch name, like "main"' })
    .default("main");

const codestarSource = z.strictObject({
    kind: z.literal("codestar").describe("A GitHub, Bitbucket or GitLab repository through CodeConnections."),
    connectionArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/, {
            error: 'must be a CodeConnections connection ARN, like "arn:aws:codeconnections:eu-west-1:111122223333:connection/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e"',
        })
        .optional()
        .describe(
            "CodeConnections (formerly CodeStar Connections) connection to GitHub, Bitbucket or GitLab. Required where the environment builds from git (release role `build`); environments fed by releases do not read it.",
        ),
    repository: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, {
            error: 'must be a repository id in the form owner/name, like "acme/checkout"',
        })
        .describe("Repository as `owner/name`."),
    /**
     * Branch the pipeline builds.
     * @default "main"
     */
    branch: branch.describe("Branch the pipeline builds."),
});

const codecommitSource = z.strictObject({
    kind: z.literal("codecommit").describe("A CodeCommit repository."),
    repository: z
        .string()
        .regex(/^[\w.-]{1,100}$/, {
            error: 'must be a CodeCommit repository name (letters, digits, . _ -), like "checkout"',
        })
        .describe("CodeCommit repository name."),
    /** @default "main" */
    branch: branch.describe("Branch the pipeline builds."),
});

const s3Source = z.strictObject({
    kind: z.literal("s3").describe("A zip archive in a versioned S3 bucket."),
    bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name, like "acme-source"' })
        .describe("Versioned bucket holding the source archive."),
    objectKey: z.string().min(1).max(1024).describe("Key of the zip archive."),
    eventBridgeEnabled: z
        .literal(true, {
            error: "must be true: turn on EventBridge notifications on the source bucket (S3 console: Properties > Amazon EventBridge, or `aws s3api put-bucket-notification-configuration --notification-configuration '{\"EventBridgeConfiguration\":{}}'`), then set this to true. Without them no change starts the pipeline.",
        })
        .describe(
            "The bucket sends its events to EventBridge, which is how a new archive starts the pipeline. The bucket is not the platform's, so it cannot switch that on (its notification configuration is the owner's, and replacing it would drop theirs): turn on \"Send notifications to Amazon EventBridge\" on the bucket, then set this to true. https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html",
        ),
    kmsKeyArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, {
            error: 'must be a KMS key ARN, like "arn:aws:kms:eu-west-1:111122223333:key/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e"',
        })
        .optional()
        .describe(
            "ARN of the customer managed KMS key the source bucket encrypts with; the pipeline role may decrypt with it, through S3 only. Default: none (SSE-S3 or no encryption).",
        ),
});

export const sourceSchema = z.discriminatedUnion("kind", [codestarSource, codecommitSource, s3Source]);

const envVarName = z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, { error: "must be an environment variable name in UPPER_SNAKE_CASE" });

/**
 * Secrets Manager ARNs end in `-` and six random characters. IAM matches a `Resource` only against the full ARN, so
 * a partial ARN (without the suffix) is granted as `<arn>-??????` by the role policies.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen
 */
const secretRef = z.union(
    [
        z.strictObject({
            parameter: z
                .string()
                .regex(/^\/[\w./-]+$/, { error: "must be a Parameter Store name starting with /" })
                .describe("Name of a Parameter Store parameter (SecureString), starting with /."),
        }),
        z.strictObject({
            secretArn: z
                .string()
                .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/, {
                    error: "must be a Secrets Manager secret ARN",
                })
                .describe("ARN of a Secrets Manager secret (complete, or without its random six-character suffix)."),
        }),
    ],
    { error: 'must be { parameter: "/path/in/parameter-store" } or { secretArn: "arn:aws:secretsmanager:..." }' },
);

/** Plain variables, by name. Values are checked for secrets by name and by value. */
const plainVariables = z.record(envVarName, z.string());

/** Secret variables, by name, as references CodeBuild resolves at run time. */
const secretVariables = z.record(envVarName, secretRef);

const commandList = z.array(z.string().min(1)).min(1, { error: "must list at least one command" });

export const buildSchema = z.strictObject({
    image: z.string().min(1).default("aws/codebuild/amazonlinux-x86_64-standard:5.0").describe("CodeBuild image."),
    computeType: z
        .enum(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"])
        .default("BUILD_GENERAL1_SMALL")
        .describe("CodeBuild compute type (memory and vCPUs) of the build project."),
    commands: z
        .strictObject({
            install: z
                .array(z.string().min(1))
                .default([])
                .describe("Commands of the buildspec `install` phase (dependencies)."),
            build: commandList.describe("Commands of the buildspec `build` phase; at least one."),
            postBuild: z
                .array(z.string().min(1))
                .default([])
                .describe("Commands of the buildspec `post_build` phase, after the build (and the image push)."),
        })
        .optional()
        .describe("Build commands, turned into an inline buildspec. Give these or `buildspecFile`."),
    buildspecFile: z
        .string()
        .regex(/^[\w./-]+\.ya?ml$/, { error: 'must be a relative path to a YAML file, like "buildspec.yml"' })
        .optional()
        .describe("Path of a buildspec in the repository. Give this or `commands`."),
    artifactFiles: z
        .array(z.string().min(1))
        .min(1)
        .default(["**/*"])
        .describe(
            "Files of the build output artifact (the deploy reads it: imagedefinitions.json, appspec, site files...).",
        ),
    artifactBaseDirectory: z
        .string()
        .min(1)
        .optional()
        .describe("Directory of the build output that becomes the artifact root. Default: the source root."),
    containerImage: z
        .boolean()
        .default(false)
        .describe(
            "The build produces a container image: turns on privileged mode (Docker daemon), nothing else does. With `commands`, the platform exports `IMAGE_TAG` (the source revision) and `IMAGE_URI` (`$IMAGE_REPO_URI:$IMAGE_TAG`) and logs in to ECR before `build`; your commands build `$IMAGE_URI`; the platform pushes it and writes the deploy's image file (`imagedefinitions.json` or `imageDetail.json`). With `buildspecFile`, that buildspec does all of this itself and gets only `IMAGE_REPO_URI`.",
        ),
    imageRepository: z
        .string()
        .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, { error: 'must be an ECR repository name, like "acme/web"' })
        .optional()
        .describe(
            "ECR repository (name, same account and region) the image build pushes to; required with `containerImage`. Default: none.",
        ),
    containerName: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,255}$/, {
            error: 'must be an ECS container name (letters, digits, - and _), like "web"',
        })
        .optional()
        .describe(
            "ECS container (in the task definition) that runs the image: the `name` the build writes to `imagedefinitions.json` for an `ecs-rolling` deploy. Default: the service name.",
        ),
    cache: z
        .enum(["none", "local", "s3"])
        .default("local")
        .describe(
            "Where the build project keeps `cachePaths` between runs: `local` (on the build host, plus Docker layers for image builds), `s3` (in the artifact bucket) or `none`. Test projects never share the build's cache.",
        ),
    cachePaths: z
        .array(z.string().min(1))
        .default([])
        .describe(
            'Directories kept between builds (buildspec `cache.paths`), like "node_modules/**/*" or "/root/.npm/**/*". With `buildspecFile`, list them in that file\'s `cache.paths` instead.',
        ),
    environment: plainVariables
        .default({})
        .describe(
            "Plain environment variables of the build project. Secrets (by name or value) are rejected: use `secrets`.",
        ),
    secrets: secretVariables
        .default({})
        .describe(
            "Secrets, from Parameter Store (SecureString) or Secrets Manager; never stored in the project. Only the build project gets them; a test suite gets the secrets it lists itself.",
        ),
    timeoutMinutes: z
        .number()
        .int()
        .min(5)
        .max(480, { error: "must be at most 480 (CodeBuild's limit)" })
        .default(30)
        .describe("Minutes before CodeBuild stops the build (5 to 480)."),
});

const testSuite = z.strictObject({
    install: z
        .array(z.string().min(1))
        .optional()
        .describe(
            "Commands that install the suite's dependencies (buildspec `install` phase). Default: the build's `commands.install`.",
        ),
    commands: commandList.describe("Commands that run the suite (buildspec `build` phase); at least one."),
    reports: z
        .array(z.string().min(1))
        .default([])
        .describe("JUnit/Cucumber report files, sent to the project's report group."),
    environment: plainVariables
        .default({})
        .describe(
            "Plain environment variables of the suite. The build's `environment` is not passed on: it configures the build (`NODE_ENV=production` would make `npm ci` skip the test dependencies).",
        ),
    secrets: secretVariables
        .default({})
        .describe("Secrets the suite needs; the build's `secrets` are never given to tests."),
});

/** Test suites, keyed by a stable id; each runs as its own CodeBuild action in the Test stage. */
export const testsSchema = z.strictObject({
    unit: testSuite.optional().describe("Runs first, in parallel with `security`."),
    integration: testSuite.optional().describe("Runs after unit tests pass."),
    smoke: testSuite
        .optional()
        .describe(
            "Post-deploy smoke test against the deployed service. Runs after the Deploy stage in every environment; required (or `integration`) where releases are verified or released.",
        ),
    security: testSuite.optional().describe("Dependency and static security scan; runs in parallel with `unit`."),
});

export const serviceApprovalSchema = z.strictObject({
    required: z
        .boolean()
        .optional()
        .describe(
            "Ask for a manual approval before deploying. Production always asks: `false` is an error there. Default: the environment's `approval.required`.",
        ),
    timeoutMinutes: approvalTimeoutMinutes.optional().describe("Default: the environment's `approval.timeoutMinutes`."),
    customData: z
        .string()
        .max(1000)
        .optional()
        .describe("Text shown to the approver (CodePipeline allows 1000 characters)."),
    reviewUrl: z
        .url({ protocol: /^https$/, error: "must be an https:// URL" })
        .optional()
        .describe("Link the approver should review, e.g. a release dashboard."),
});

const filters = z.strictObject({
    includes: globList.optional().describe("Globs that start the pipeline (up to 8)."),
    excludes: globList.optional().describe("Globs that never start the pipeline, even when included (up to 8)."),
});

export const triggersSchema = z.strictObject({
    branches: filters.optional().describe("Branch globs that start the pipeline on push. Default: the source branch."),
    filePaths: filters
        .optional()
        .describe("File path globs: only pushes touching these start the pipeline. Default: any path."),
});

export const serviceSchema = z.strictObject({
    name: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,28}[a-z0-9]$/, {
            error: 'must be 2-30 lowercase letters, digits or hyphens, starting with a letter, like "checkout-api"',
        })
        .describe("Service name: lowercase letters, digits and hyphens; names the pipeline and its resources."),
    source: sourceSchema.describe("Where the pipeline takes the code from; `kind` picks the source action."),
    build: buildSchema.describe("The CodeBuild project that builds the service."),
    tests: testsSchema
        .default({})
        .describe("Test suites of the Test stage, each its own CodeBuild project. Default: no tests."),
    approval: serviceApprovalSchema
        .default({})
        .describe("This service's manual approval before deploying. Default: the environment's `approval` settings."),
    deploy: deployConfigSchema.describe(
        "Where and how the service deploys; `kind` picks the deploy action (docs/config-reference.md lists each kind's keys).",
    ),
    checks: checksSchema.describe(
        "Checks the Deploy stage runs before or after the deploy (Lambda invoke actions). Default: no checks.",
    ),
    triggers: triggersSchema
        .optional()
        .describe("Push filters (CodeConnections sources only). Default: every push to the source branch."),
    regions: serviceRegionsSchema
        .optional()
        .describe(
            "Regions the Deploy stage deploys to, one Deploy action per region, in this order (waves; lambda and ecs-rolling deploys only). Default: the environment's region.",
        ),
    /**
     * How the regions' deploys run: one after another in the order of `regions`, each starting only when the one
     * before it succeeded (a failure stops the wave and rolls the stage back), or all at once.
     * @default "sequential"
     */
    waveOrder: z
        .enum(["sequential", "parallel"])
        .default("sequential")
        .describe(
            "How the regions' deploys run: `sequential` (in the order of `regions`, each after the one before succeeded; a failure stops the wave) or `parallel` (all at once). Default: sequential.",
        ),
});

export type ServiceConfig = z.infer<typeof serviceSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type BuildConfig = z.infer<typeof buildSchema>;
export type TestSuiteId = keyof z.infer<typeof testsSchema>;
export type TestSuiteConfig = z.infer<typeof testSuite>;
export type SecretRef = z.infer<typeof secretRef>;
