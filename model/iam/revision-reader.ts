import * as names from "../names";
import { allow, policy, type PolicyDocument } from "./document";

/**
 * What the CodeDeploy agent's instance role needs to install a revision the pipeline stored: read the revision
 * objects of this pipeline's artifact folder (the `CodeDeploy` action hands the agent the artifact's S3 location),
 * and decrypt them with the environment key, only as S3 reads them. The key policy names the role too
 * (`artifactKeyPolicy`), since the key does not delegate its use to IAM policies.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-iam-instance-profile.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeDeploy.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function revisionReaderPolicy(
    ctx: names.NameContext,
    opts: { bucketName: string; folder: string; keyArn: string },
): PolicyDocument {
    return policy([
        allow(
            "ReadRevisions",
            ["s3:GetObject", "s3:GetObjectVersion"],
            [`${names.bucketArn(ctx, opts.bucketName)}/${opts.folder}/*`],
        ),
        allow("DecryptRevisions", ["kms:Decrypt"], [opts.keyArn], {
            StringEquals: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` },
        }),
    ]);
}
