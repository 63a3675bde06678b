import {
    allow,
    bucketArn,
    deployActionStatements,
    policy,
    sidPart,
    type PolicyDocument,
    type Statement,
} from "./platform";
import type { TargetPlan } from "./target-plan";

/**
 * Who may assume the deploy role: the pipeline account, and within it only the pipeline roles of the pipelines
 * that deploy here.
 *
 * Naming those roles in `Principal` would need them to exist already: IAM turns a role ARN in a Principal into the
 * role's unique id when the policy is saved and rejects one that does not exist ("Invalid principal in policy").
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 * The account root as Principal plus an `aws:PrincipalArn` condition works before they exist: AWS does not convert
 * condition-key ARNs to ids, and a role session is matched on the ARN of the role it assumed (same page).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 * CodePipeline assumes an action's `roleArn` with the pipeline's service role:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html
 *
 * `aws:SourceAccount`/`aws:SourceArn` are the confused-deputy keys for *service principals*
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html); here the caller is an IAM role of the
 * pipeline account, and the docs do not say CodePipeline adds them to this AssumeRole call, so requiring them
 * could only break deploys. `aws:PrincipalAccount` (always present) pins the caller's account instead.
 */
export function trustPolicy(plan: TargetPlan): PolicyDocument {
    const { partition, accountId } = plan.pipeline;
    return policy([
        {
            Sid: "PipelineRolesOfPipelineAccount",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
            Action: ["sts:AssumeRole"],
            Condition: {
                ArnEquals: { "aws:PrincipalArn": plan.pipelines.map((p) => p.pipelineRoleArn) },
                StringEquals: { "aws:PrincipalAccount": accountId },
            },
        },
    ]);
}

/**
 * What the deploy role may do: read the input artifacts of the pipelines that deploy here (only their folders of
 * the pipeline account's artifact bucket), decrypt them with the environment key only through S3, and run each
 * pipeline's Deploy action on its own target.
 */
export function permissionsPolicy(plan: TargetPlan): PolicyDocument {
    return policy([...artifactStatements(plan), ...targetStatements(plan)]);
}

/**
 * Bucket names are global, so every S3 grant also pins the bucket's owner (`aws:ResourceAccount`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 * The objects are SSE-KMS encrypted with the pipeline environment's key: reading one makes S3 call kms:Decrypt
 * for the caller, which `kms:ViaService` = S3 in the pipeline's region allows and nothing else.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 * The key's ARN exists only after the pipeline account's first `pulumi up`, which must come after this stack. Until
 * then the grant names the account's keys and requires the environment's alias (`kms:ResourceAliases`, which the
 * KMS guide shows in IAM policies for keys of another account, with the key policy also allowing the caller).
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
 * With `cicd-deploy-target:artifactKeyArn` set (the pipeline stack's `artifactKeyArn` output), the exact key.
 */
function artifactStatements(plan: TargetPlan): Statement[] {
    const { pipeline } = plan;
    const inPipelineAccount = { StringEquals: { "aws:ResourceAccount": pipeline.accountId } };
    const bucket = bucketArn(pipeline, plan.artifactBucket);
    const key = plan.artifactKeyArn ?? `arn:${pipeline.partition}:kms:${pipeline.region}:${pipeline.accountId}:key/*`;
    const statements = [
        allow(
            "ReadOwnPipelinesArtifacts",
            ["s3:GetObject", "s3:GetObjectVersion"],
            plan.pipelines.map((p) => `${bucket}/${p.artifactFolder}/*`),
            inPipelineAccount,
        ),
        allow("LocateArtifactBucket", ["s3:GetBucketLocation"], [bucket], inPipelineAccount),
        allow("DecryptArtifactsViaS3", ["kms:Decrypt"], [key], {
            StringEquals: { "kms:ViaService": `s3.${pipeline.region}.amazonaws.com` },
            ...(plan.artifactKeyArn
                ? {}
                : { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [plan.artifactKeyAlias] } }),
        }),
    ];
    return statements.filter((s): s is Statement => s !== undefined);
}

/**
 * Each pipeline's Deploy action statements, Sids prefixed by the service so several pipelines can share the role.
 * S3 ARNs name no account, so S3 grants also pin this account as the bucket owner (`aws:ResourceAccount`, cited
 * above): a same-named bucket elsewhere never matches.
 */
function targetStatements(plan: TargetPlan): Statement[] {
    return plan.pipelines.flatMap((p) =>
        deployActionStatements(plan.target, plan.pipeline, p.service).map((s) => ({
            ...s,
            Sid: `${sidPart(p.service.name)}${s.Sid}`,
            ...(s.Condition === undefined && (s.Resource ?? []).every((r) => /^arn:[^:]+:s3:::/.test(r))
                ? { Condition: { StringEquals: { "aws:ResourceAccount": plan.target.accountId } } }
                : {}),
        })),
    );
}
