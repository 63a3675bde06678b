/**
 * The pack's policies, in one explicit list: adding a policy is a reviewed change, and the engine
 * test `test/engine/pack-info.test.ts` pins every name and level. Kept apart from index.ts so tests
 * can load the policies in-process without starting the pack's gRPC server.
 */
import { Policies } from "@pulumi/policy";
import { withExemptions } from "./lib/exemption-policies";
import { cloudwatchLogGroupKmsEncryption } from "./policies/cloudwatch-logs";
import {
    codebuildNoPlaintextSecrets,
    codebuildPrivilegedMode,
    codebuildProjectCmkEncryption,
} from "./policies/codebuild";
import {
    codebuildArtifactEncryption,
    codebuildLoggingEnabled,
    codebuildManagedImage,
    codebuildPrivateImageServiceRole,
    codebuildReportGroupExportEncrypted,
    codebuildS3LogsEncrypted,
    codebuildSourceNoCredentials,
} from "./policies/codebuild-controls";
import { codedeployAutoRollbackMonitor } from "./policies/codedeploy";
import { codedeployMinimumHealthyHosts } from "./policies/codedeploy-hosts";
import { codedeployLambdaGradualTrafficShift } from "./policies/codedeploy-traffic";
import {
    codepipelineArtifactStoreEncryption,
    codepipelineNoPlaintextSecrets,
    codepipelineProductionApproval,
} from "./policies/codepipeline";
import {
    codepipelineApprovalTimeoutNotification,
    codepipelineNoGithubV1Source,
    codepipelineV2NoPolling,
} from "./policies/codepipeline-sources";
import { eventbridgeTargetDeadLetterQueue } from "./policies/eventbridge";
import { codepipelineDeploymentCount, codepipelineRegionFanout } from "./policies/codepipeline-waves";
import { ecrImmutableTags, ecrRepositoryKmsEncryption, ecrScanOnPush } from "./policies/ecr";
import { iamNoAdminManagedPolicies, iamNoPassroleWildcard, iamNoPrivilegeEscalation } from "./policies/iam-escalation";
import { iamNoWildcardActions, iamNoWildcardResources } from "./policies/iam-identity";
import { iamNoSelfEscalation } from "./policies/iam-self-escalation";
import {
    iamGithubOidcPinnedSubject,
    iamTrustAccountRootCondition,
    iamTrustNoWildcardPrincipal,
} from "./policies/iam-trust";
import { kmsKeyPolicyNoPublicPrincipal, kmsKeyRotation } from "./policies/kms";
import { s3BucketKmsEncryption, s3BucketPublicAccessBlock, s3BucketTlsOnly } from "./policies/s3";
import { s3BucketPolicyNoPublicPrincipal, s3PublicAccessBlockFlags } from "./policies/s3-access-block";
import { s3ArtifactBucketVersioning } from "./policies/s3-versioning";
import { snsTopicEncryption, snsTopicPolicyNoPublicPrincipal } from "./policies/sns";
import { snsTopicTlsPublish } from "./policies/sns-tls";

export const PACK_NAME = "cicd-guardrails";

/** Every policy of the pack, wrapped for exemption tags, plus `exemption-valid`. */
export const packPolicies: Policies = withExemptions([
    codepipelineArtifactStoreEncryption,
    codepipelineProductionApproval,
    codepipelineNoPlaintextSecrets,
    codepipelineNoGithubV1Source,
    codepipelineV2NoPolling,
    codepipelineApprovalTimeoutNotification,
    codepipelineRegionFanout,
    codepipelineDeploymentCount,
    codebuildProjectCmkEncryption,
    codebuildNoPlaintextSecrets,
    codebuildPrivilegedMode,
    codebuildSourceNoCredentials,
    codebuildS3LogsEncrypted,
    codebuildLoggingEnabled,
    codebuildReportGroupExportEncrypted,
    codebuildArtifactEncryption,
    codebuildManagedImage,
    codebuildPrivateImageServiceRole,
    codedeployAutoRollbackMonitor,
    codedeployLambdaGradualTrafficShift,
    codedeployMinimumHealthyHosts,
    s3BucketKmsEncryption,
    s3BucketPublicAccessBlock,
    s3PublicAccessBlockFlags,
    s3BucketTlsOnly,
    s3ArtifactBucketVersioning,
    s3BucketPolicyNoPublicPrincipal,
    kmsKeyRotation,
    kmsKeyPolicyNoPublicPrincipal,
    snsTopicEncryption,
    snsTopicPolicyNoPublicPrincipal,
    snsTopicTlsPublish,
    cloudwatchLogGroupKmsEncryption,
    eventbridgeTargetDeadLetterQueue,
    ecrRepositoryKmsEncryption,
    ecrScanOnPush,
    ecrImmutableTags,
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamNoPassroleWildcard,
    iamNoPrivilegeEscalation,
    iamNoSelfEscalation,
    iamNoAdminManagedPolicies,
    iamTrustNoWildcardPrincipal,
    iamTrustAccountRootCondition,
    iamGithubOidcPinnedSubject,
]);
