/** IAM documents of the platform, as pure functions of configuration (see `test/iam/` for what they allow). */
export type { EnvironmentRefs, PipelineRefs, PolicyDocument, Principal, Statement } from "./document";
export { assumeRolePolicy, type ServicePrincipal } from "./trust";
export { pipelineRolePolicy } from "./pipeline-role";
export { buildRolePolicy, CODEBUILD_KEY_ACTIONS, secretResource } from "./build-role";
export { testRolePolicy } from "./test-role";
export { deployRolePolicy } from "./deploy-role";
export { DEPLOY_PERMISSIONS } from "./deploy-permissions";
export { artifactKeyPolicy } from "./key-policy";
export { artifactBucketPolicy } from "./bucket-policy";
export { topicPolicy } from "./topic-policy";
export { approverPolicy } from "./approver-policy";
