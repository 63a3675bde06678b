import type { PipelineModel } from "../pipeline";
import type * as names from "../names";
import { bucketReads, keyUsage, prefixObjects } from "./artifacts";
import { logStatement, projectsOf, reportStatement, secretStatements } from "./build-role";
import { policy, type EnvironmentRefs, type PolicyDocument } from "./document";

/**
 * The CodeBuild service role of one pipeline's test projects. Tests run code from the repository, so the role is
 * read-only on the artifact folder: test code cannot replace the build output between the Test stage and the
 * approval or deploy. It writes only its projects' logs and reports, never pushes images, never caches, and reads
 * only the secrets its projects are given: the suites' own (`tests.<suite>.secrets`), and the build's only for a suite
 * that runs the build's install step (model/projects.ts).
 * https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html
 *
 * The key: tests only read (decrypt) the source artifact; they produce no output artifact, no cache and no exported
 * report. CodeBuild's pages do not say which key operations a project with no output needs beyond reading its
 * input; `kms:DescribeKey` is granted too (read-only key metadata), anything else fails closed.
 */
export function testRolePolicy(ctx: names.NameContext, model: PipelineModel, refs: EnvironmentRefs): PolicyDocument {
    const projects = projectsOf(model, "test");
    return policy([
        logStatement(ctx, projects),
        prefixObjects(ctx, "ReadArtifacts", refs.bucketName, model.artifactFolder, [
            "s3:GetObject",
            "s3:GetObjectVersion",
        ]),
        bucketReads(ctx, "ArtifactBucket", refs.bucketName, ["s3:GetBucketAcl", "s3:GetBucketLocation"]),
        keyUsage("ArtifactKey", refs.keyArn, ["kms:Decrypt", "kms:DescribeKey"]),
        reportStatement(projects),
        ...secretStatements(ctx, projects),
    ]);
}
