import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { loadStackConfig } from "../tools/plan/stack-config";
import { DeployTargetRole } from "./deploy-role";
import { NAMESPACE, planTarget, TargetConfigError, type TargetPlan, type TargetSettings } from "./target-plan";

/** Reads this stack's `cicd-deploy-target:*` config. */
export function readSettings(): TargetSettings & { pipelineProject: string } {
    const config = new pulumi.Config(NAMESPACE);
    const pipelineStack = config.get("pipelineStack");
    const accountId = config.get("accountId");
    const missing = [
        pipelineStack
            ? undefined
            : `\`${NAMESPACE}:pipelineStack\` is required: the main project's stack whose pipelines deploy here. Set it with \`pulumi config set ${NAMESPACE}:pipelineStack prod\`.`,
        accountId
            ? undefined
            : `\`${NAMESPACE}:accountId\` is required: this account's 12-digit id. Set it with \`pulumi config set ${NAMESPACE}:accountId 444455556666\`.`,
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0 || !pipelineStack || !accountId) throw new TargetConfigError(missing);
    const artifactKeyArn = config.get("artifactKeyArn");
    const awsRegion = new pulumi.Config("aws").get("region");
    return {
        pipelineStack,
        accountId,
        pipelineProject: config.get("pipelineProject") ?? path.resolve(__dirname, ".."),
        ...(artifactKeyArn ? { artifactKeyArn } : {}),
        ...(awsRegion ? { awsRegion } : {}),
    };
}

/**
 * The main project's config values for one of its stacks, as its own program sees them: the project-level config
 * of its `Pulumi.yaml` (where `cicd:serviceDefaults` lives) under the stack file's, read by the same loader as
 * `npm run plan` (`tools/plan/stack-config.ts`). Only `cicd:environment`, `cicd:serviceDefaults`, `cicd:services`
 * and `aws:region` are used, and they are validated by the main project's own schema and rules
 * (`validatePipelineConfig`), so the two programs cannot disagree.
 */
export function readPipelineStack(dir: string, stack: string): Record<string, unknown> {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file))
        throw new TargetConfigError([
            `\`${NAMESPACE}:pipelineStack\` is "${stack}", but ${file} does not exist. Name a stack of the main project (its Pulumi.<stack>.yaml), or set \`${NAMESPACE}:pipelineProject\` to the project's directory.`,
        ]);
    if (!fs.existsSync(path.join(dir, "Pulumi.yaml")))
        throw new TargetConfigError([
            `\`${NAMESPACE}:pipelineProject\` is "${dir}", which has no Pulumi.yaml. Set it to the main project's directory.`,
        ]);
    return loadStackConfig(dir, stack).values;
}

/**
 * Validates everything, then creates the role with a provider that refuses any other account's credentials
 * (`allowedAccountIds`), so `pulumi up` in the wrong account fails before changing anything.
 * https://www.pulumi.com/registry/packages/aws/api-docs/provider/#allowedaccountids_nodejs
 */
export function deployTarget(): { plan: TargetPlan; role: DeployTargetRole } {
    const settings = readSettings();
    const plan = planTarget(settings, readPipelineStack(settings.pipelineProject, settings.pipelineStack));
    const provider = new aws.Provider("target-account", {
        region: plan.pipeline.region as aws.Region,
        allowedAccountIds: [plan.target.accountId],
    });
    const role = new DeployTargetRole("deploy", { plan }, { providers: { aws: provider } });
    return { plan, role };
}
