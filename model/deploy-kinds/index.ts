import type { DeployConfig, DeployKindName } from "../../stacks/deploy-kinds";
import { ec2CodeDeploy } from "./ec2-codedeploy";
import { cloudFormation } from "./cloudformation";
import { ecsBlueGreen } from "./ecs-blue-green";
import { ecsRolling } from "./ecs-rolling";
import { lambda } from "./lambda";
import { s3Site } from "./s3-site";
import type { DeployKindRecord } from "./types";

export type {
    CodeDeployPlan,
    DeployContext,
    DeployKindRecord,
    DeployStep,
    EcsBlueGreenGroup,
    ReviewStep,
    ServerGroup,
    TranslationKey,
} from "./types";

/**
 * Every deploy kind's record, keyed by its `kind`. The mapped type over the config schemas' kinds
 * (`stacks/deploy-kinds/`) makes a kind without a record, or a record missing a member, a compile error.
 */
export const DEPLOY_KINDS: { readonly [K in DeployKindName]: DeployKindRecord<K> } = {
    "ecs-rolling": ecsRolling,
    "ecs-blue-green": ecsBlueGreen,
    lambda,
    "s3-site": s3Site,
    "ec2-codedeploy": ec2CodeDeploy,
    cloudformation: cloudFormation,
};

/** The record of a config's kind, typed for that config. */
export const deployKind = (config: DeployConfig): DeployKindRecord<DeployKindName> =>
    DEPLOY_KINDS[config.kind] as unknown as DeployKindRecord<DeployKindName>;
