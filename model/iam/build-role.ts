import type { PipelineModel } from "../pipeline";
import * as names from "../names";
import type { ServiceConfig } from "../../stacks/service-schema";
import { ARTIFACT_WRITE_KMS, bucketReads, keyUsage, prefixObjects } from "./artifacts";
import { allow, ANY_RESOURCE, policy, type EnvironmentRefs, type PolicyDocument, type Statement } from "./document";

/**
 * The CodeBuild service role shared by one pipeline's build and test projects: their log groups and report
 * groups, the pipeline's artifact folder and cache, the key, the configured secrets and the image repository.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html
 */
export function buildRolePolicy(
    ctx: names.NameContext,
    model: PipelineModel,
    service: ServiceConfig,
    refs: EnvironmentRefs,
): PolicyDocument {
    return policy([
        ...logStatements(ctx, model),
        prefixObjects(ctx, "ArtifactObjects", refs.bucketName, model.artifactFolder, [
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
        ]),
        bucketReads(ctx, "ArtifactBucket", refs.bucketName, ["s3:GetBucketAcl", "s3:GetBucketLocation"]),
        service.build.cache === "s3"
            ? prefixObjects(ctx, "BuildCache", refs.bucketName, names.buildCachePrefix(ctx, model.service), [
                  "s3:GetObject",
                  "s3:PutObject",
              ])
            : undefined,
        keyUsage("ArtifactKey", refs.keyArn, ARTIFACT_WRITE_KMS),
        allow(
            "TestReports",
            [
                "codebuild:CreateReport",
                "codebuild:UpdateReport",
                "codebuild:BatchPutTestCases",
                "codebuild:BatchPutCodeCoverages",
            ],
            model.projects.filter((p) => p.reports).map((p) => names.reportGroupArn(ctx, p.name)),
        ),
        ...secretStatements(ctx, service),
        ...imageStatements(ctx, service),
    ]);
}

/**
 * Each project writes to its own log group, which the components create (so no `logs:CreateLogGroup`). The
 * trailing `:*` is the log-stream part of the ARN (`log-group:<name>:log-stream:<stream>`), which is the resource
 * these two actions are authorised on.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 */
function logStatements(ctx: names.NameContext, model: PipelineModel): (Statement | undefined)[] {
    const streams = model.projects.map((p) => `${names.logGroupArn(ctx, names.logGroupName(ctx, p.name))}:*`);
    return [allow("BuildLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], streams)];
}

/**
 * CodeBuild resolves `parameter-store` and `secrets-manager` environment variables with the project's role, so
 * the role reads exactly the configured names.
 * https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.parameter-store
 */
function secretStatements(ctx: names.NameContext, service: ServiceConfig): (Statement | undefined)[] {
    const refs = Object.values(service.build.secrets);
    const parameters = refs.flatMap((r) => ("parameter" in r ? [names.ssmParameterArn(ctx, r.parameter)] : []));
    const secrets = refs.flatMap((r) => ("secretArn" in r ? [r.secretArn] : []));
    return [
        allow("ReadParameters", ["ssm:GetParameters"], parameters),
        allow("ReadSecrets", ["secretsmanager:GetSecretValue"], secrets),
    ];
}

/**
 * Container builds log in to ECR and push to (and pull cached layers from) their one repository.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 */
function imageStatements(ctx: names.NameContext, service: ServiceConfig): (Statement | undefined)[] {
    if (!service.build.containerImage || !service.build.imageRepository) return [];
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
            [names.ecrRepositoryArn(ctx, service.build.imageRepository)],
        ),
    ];
}
