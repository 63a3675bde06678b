import { KEY_USAGE_ACTIONS } from "./key-policy";
import { SOURCE_ARTIFACT, type PipelineModel } from "../pipeline";
import type { ProjectModel, ProjectRoleKind } from "../projects";
import * as names from "../names";
import type { ServiceConfig } from "../../stacks/service-schema";
import { bucketReads, keyUsage, prefixObjects } from "./artifacts";
import { allow, ANY_RESOURCE, policy, type EnvironmentRefs, type PolicyDocument, type Statement } from "./document";

/**
 * What CodeBuild documents for a customer managed key that encrypts build output: `kms:Encrypt`, `kms:Decrypt`,
 * `kms:ReEncrypt*`, `kms:GenerateDataKey*` and `kms:DescribeKey` for the service role
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-kms.html, and the `KMSAccessPolicy` statement of
 * https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html). The wildcards are spelled
 * out (no `*` in Actions). `GenerateDataKey*` also matches `GenerateDataKeyPair` and
 * `GenerateDataKeyPairWithoutPlaintext`, which make asymmetric key pairs for client-side use: neither S3 nor CodeBuild
 * calls them and the environment key's policy does not allow them, so they are left out.
 */
export const CODEBUILD_KEY_ACTIONS: readonly string[] = KEY_USAGE_ACTIONS;

/** The projects a role runs. */
export const projectsOf = (model: PipelineModel, kind: ProjectRoleKind): ProjectModel[] =>
    model.projects.filter((p) => p.roleKind === kind);

/**
 * The output artifacts of the actions that run the build role's projects: the CodeBuild action uploads them to the
 * pipeline's artifact store (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html).
 * An output whose folder would be the source artifact's is refused: the role could then replace the source.
 */
export const buildOutputArtifacts = (model: PipelineModel): string[] => {
    const ids = new Set(projectsOf(model, "build").map((p) => p.id));
    const outputs = [
        ...new Set(
            model.stages.flatMap((s) =>
                s.actions.flatMap((a) => (a.projectId && ids.has(a.projectId) ? a.outputArtifacts : [])),
            ),
        ),
    ];
    const source = names.artifactPrefix(model.artifactFolder, SOURCE_ARTIFACT);
    const clash = outputs.find((o) => names.artifactPrefix(model.artifactFolder, o) === source);
    if (clash)
        throw new Error(
            `build output artifact \`${clash}\` is stored in the same folder as \`${SOURCE_ARTIFACT}\` (the first ${names.ARTIFACT_NAME_FOLDER_LENGTH} characters of the name): rename it.`,
        );
    return outputs;
};

/**
 * The CodeBuild service role of one pipeline's build project: its log group, the pipeline's artifact folder (read,
 * and written only under its own output artifacts' prefixes, so a build cannot replace `SourceOutput`, which the
 * tests and the promoted `source.zip` read), its cache, the key, its secrets and its image repository.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html
 */
export function buildRolePolicy(
    ctx: names.NameContext,
    model: PipelineModel,
    _service: ServiceConfig,
    refs: EnvironmentRefs,
): PolicyDocument {
    const projects = projectsOf(model, "build");
    return policy([
        logStatement(ctx, projects),
        prefixObjects(ctx, "ArtifactObjects", refs.bucketName, model.artifactFolder, [
            "s3:GetObject",
            "s3:GetObjectVersion",
        ]),
        prefixObjects(
            ctx,
            "OutputArtifacts",
            refs.bucketName,
            buildOutputArtifacts(model).map((a) => names.artifactPrefix(model.artifactFolder, a)),
            ["s3:PutObject"],
        ),
        bucketReads(ctx, "ArtifactBucket", refs.bucketName, ["s3:GetBucketAcl", "s3:GetBucketLocation"]),
        ...projects.flatMap((p) =>
            p.cache.type === "S3"
                ? [prefixObjects(ctx, "BuildCache", refs.bucketName, p.cache.prefix, ["s3:GetObject", "s3:PutObject"])]
                : [],
        ),
        keyUsage("ArtifactKey", refs.keyArn, CODEBUILD_KEY_ACTIONS),
        reportStatement(projects),
        ...secretStatements(ctx, projects),
        ...imageStatements(ctx, projects),
    ]);
}

/**
 * Each project writes to its own log group, which the components create (so no `logs:CreateLogGroup`). The
 * trailing `:*` is the log-stream part of the ARN (`log-group:<name>:log-stream:<stream>`), which is the resource
 * these two actions are authorised on.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 */
export function logStatement(ctx: names.NameContext, projects: readonly ProjectModel[]): Statement | undefined {
    const streams = projects.map((p) => `${names.logGroupArn(ctx, p.logGroupName)}:*`);
    return allow("BuildLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], streams);
}

/** Test reports, into the projects' own report groups. */
export const reportStatement = (projects: readonly ProjectModel[]): Statement | undefined =>
    allow(
        "TestReports",
        [
            "codebuild:CreateReport",
            "codebuild:UpdateReport",
            "codebuild:BatchPutTestCases",
            "codebuild:BatchPutCodeCoverages",
        ],
        projects.flatMap((p) => (p.reportGroup ? [p.reportGroup.arn] : [])),
    );

/**
 * A Secrets Manager ARN ends in `-` and six random characters. IAM compares the whole ARN, so a partial ARN (the
 * secret's name without that suffix, which CodeBuild and Secrets Manager accept) is granted as `<arn>-??????`: six
 * characters exactly, never another secret whose name merely starts the same.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html
 * A name that itself ends in a hyphen and six characters is indistinguishable from a full ARN; it is then granted as
 * written, which fails closed (AccessDenied), as Secrets Manager itself warns for such names.
 */
export const secretResource = (arn: string): string => (/-[A-Za-z0-9]{6}$/.test(arn) ? arn : `${arn}-??????`);

/**
 * CodeBuild resolves `parameter-store` and `secrets-manager` environment variables with the project's role, so
 * the role reads exactly the configured names.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store
 */
export function secretStatements(ctx: names.NameContext, projects: readonly ProjectModel[]): (Statement | undefined)[] {
    const variables = projects.flatMap((p) => p.environmentVariables);
    const parameters = variables.flatMap((v) =>
        v.type === "PARAMETER_STORE" ? [names.ssmParameterArn(ctx, v.value)] : [],
    );
    const secrets = variables.flatMap((v) => (v.type === "SECRETS_MANAGER" ? [secretResource(v.value)] : []));
    return [
        allow("ReadParameters", ["ssm:GetParameters"], parameters),
        allow("ReadSecrets", ["secretsmanager:GetSecretValue"], secrets),
    ];
}

/**
 * Image builds log in to ECR and push to (and pull cached layers from) their one repository.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 */
function imageStatements(ctx: names.NameContext, projects: readonly ProjectModel[]): (Statement | undefined)[] {
    const repositories = projects.flatMap((p) => (p.imageRepository ? [p.imageRepository] : []));
    if (repositories.length === 0) return [];
    return [
        // GetAuthorizationToken has no resource type: "*" is the only valid Resource. The token alone reaches
        // nothing; every repository call below is authorised separately.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
        allow("EcrLogin", ["ecr:GetAuthorizationToken"], [ANY_RESOURCE]),
        allow(
            "PushImage",
            [
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
                "ecr:InitiateLayerUpload",
                "ecr:UploadLayerPart",
                "ecr:CompleteLayerUpload",
                "ecr:PutImage",
            ],
            repositories.map((r) => names.ecrRepositoryArn(ctx, r)),
        ),
    ];
}
