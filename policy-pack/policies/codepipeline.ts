/**
 * CodePipeline: artifact encryption, and the production approval gate.
 * Pipeline inputs: https://www.pulumi.com/registry/packages/aws/api-docs/codepipeline/pipeline/
 */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { inlineBuildspec } from "../lib/buildspec";
import { isAwsManagedKeyAlias } from "../lib/kms-key";
import { arnAccount, detectStackResourceProduction, ProductionConfig, productionConfigSchema } from "../lib/production";
import { asArray, asBag, asString, dig, isPresent, isUnknown, plain } from "../lib/props";
import { secretInCommand } from "../lib/secret-values";
import { allowedVariableNamesSchema, CODEBUILD_PROJECT_TYPE, plaintextVariableProblems } from "./codebuild";
import { buildspecDeployCommand, deployGateProblems, flatten, ProjectDeployCommand } from "./codepipeline-stages";

export const PIPELINE_TYPE = "aws:codepipeline/pipeline:Pipeline";

function storeProblem(store: unknown): string | undefined {
    const key = dig(store, "encryptionKey");
    if (!isPresent(key)) {
        return "has no encryptionKey, so artifacts are encrypted with the AWS-managed aws/s3 key";
    }
    const id = isUnknown(key) ? key : dig(key, "id");
    if (!isPresent(id)) {
        return "has an encryptionKey without an id";
    }
    return isAwsManagedKeyAlias(id) ? `uses the AWS-managed key '${asString(id)}'` : undefined;
}

/**
 * Every `artifactStores[]` entry has an `encryptionKey` with a customer-managed KMS key.
 * Presence check: an unknown key id passes in preview, a missing key fails even in preview.
 * Anchors: Checkov CKV_AWS_219. Fix: `encryptionKey: { id: key.arn, type: "KMS" }`.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/S3-artifact-encryption.html
 */
export const codepipelineArtifactStoreEncryption: ResourceValidationPolicy = {
    name: "codepipeline-artifact-store-encryption",
    description: "CodePipeline artifact stores must be encrypted with a customer-managed KMS key (encryptionKey).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== PIPELINE_TYPE) {
            return;
        }
        const stores = asArray(dig(plain(args.props), "artifactStores")) ?? [];
        stores.forEach((store, index) => {
            // Unknown (preview) or malformed entries are not stores this policy can judge.
            const problem = asBag(store) ? storeProblem(store) : undefined;
            if (problem) {
                const location = asString(dig(store, "location"));
                const where = location ? ` (location '${location}')` : "";
                report(
                    `CodePipeline '${args.name}' artifact store ${index + 1}${where} ${problem}. ` +
                        `Set artifactStores[${index}].encryptionKey to { id: <customer-managed KMS key ARN>, type: "KMS" }.`,
                );
            }
        });
    },
};

function parallelMessage(name: string, reason: string): string {
    return (
        `CodePipeline '${name}' uses executionMode 'PARALLEL' in a production stack (${reason}); parallel ` +
        `executions have no stage rollback and can deploy out of order. Set executionMode to 'QUEUED' or 'SUPERSEDED'.`
    );
}

/** Built once per stack validation, not once per pipeline: the index reads every project's buildspec. */
const deployIndexes = new WeakMap<readonly PolicyResource[], Map<string, [string, string] | undefined>>();

/** The deploy command each CodeBuild project of the stack runs, by project name and id. */
function projectDeployIndex(resources: readonly PolicyResource[]): Map<string, [string, string] | undefined> {
    const cached = deployIndexes.get(resources);
    if (cached) return cached;
    const index = new Map<string, [string, string] | undefined>();
    deployIndexes.set(resources, index);
    for (const project of resources.filter((r) => r.type === CODEBUILD_PROJECT_TYPE)) {
        const props = plain(project.props);
        const command = buildspecDeployCommand(inlineBuildspec(props));
        for (const key of ["name", "id", "arn"]) {
            const value = asString(dig(props, key));
            if (value !== undefined) index.set(value, command);
        }
    }
    return index;
}

/**
 * The deploy command of the project an action names. A ProjectName unknown in preview is matched to
 * the projects that fed the pipeline's stages (propertyDependencies): if any of them deploys, the
 * action is taken to deploy (fail safe).
 */
function projectLookup(pipeline: PolicyResource, all: readonly PolicyResource[]): ProjectDeployCommand {
    const index = projectDeployIndex(all);
    const feeding = new Set((pipeline.propertyDependencies?.["stages"] ?? []).map((r) => r.urn));
    const fedBy = all.filter((r) => r.type === CODEBUILD_PROJECT_TYPE && feeding.has(r.urn));
    return (projectName) => {
        const name = asString(projectName);
        if (name !== undefined) {
            return index.get(name) ?? index.get(name.split("/").pop() ?? name);
        }
        if (!isUnknown(projectName)) return undefined;
        return fedBy.map((p) => buildspecDeployCommand(inlineBuildspec(plain(p.props)))).find((c) => c !== undefined);
    };
}

/** Accounts a pipeline deploys into: its actions' roles and CloudFormation deployment roles. */
export function deployAccounts(props: unknown): string[] {
    return flatten(dig(props, "stages"))
        .flatMap((a) => [a.roleArn, dig(a.configuration, "RoleArn")])
        .map(arnAccount)
        .filter((a): a is string => a !== undefined);
}

/**
 * In production stacks, every action that changes an environment is preceded by a Manual approval
 * that notifies an SNS topic (configuration.NotificationArn), in an earlier stage or at a lower
 * runOrder in the same stage; executionMode PARALLEL is refused. Changing actions: Deploy actions
 * (not CloudFormation CHANGE_SET_REPLACE, so create → approve → execute passes), CodeBuild actions
 * whose project's inline buildspec, and Commands actions whose commands, run a deployment tool
 * (lib/buildspec.ts DEPLOY_TOOLS: pulumi up, cdk deploy, terraform apply, aws cloudformation deploy, sam
 * deploy, kubectl apply, helm upgrade, serverless deploy, direct AWS CLI roll-outs, npm/make deploy; a
 * buildspec kept as a file in the source repository is not visible to the pack). Production is decided by lib/production.ts:
 * stack name, stack/resource/provider tags (cicd:tier), and the accounts the pipeline deploys into
 * (action roleArn, CloudFormation RoleArn) against productionAccountIds.
 * Anchors: none (shared §5: no anchor has this rule).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts-how-it-works.html#concepts-how-it-works-executions
 */
export const codepipelineProductionApproval: StackValidationPolicy = {
    name: "codepipeline-production-approval",
    description:
        "In production stacks every CodePipeline action that deploys (Deploy actions, CloudFormation change-set " +
        "execution, CodeBuild and Commands actions running deploy commands) must follow a Manual approval with a " +
        "NotificationArn, and executionMode must not be PARALLEL.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...productionConfigSchema } },
    validateStack: (args, report) => {
        const config = args.getConfig<ProductionConfig>();
        for (const resource of args.resources.filter((r) => r.type === PIPELINE_TYPE)) {
            const props = plain(resource.props);
            const verdict = detectStackResourceProduction(resource, args, config, deployAccounts(props));
            if (!verdict.production) {
                continue;
            }
            if (dig(props, "executionMode") === "PARALLEL") {
                report(parallelMessage(resource.name, verdict.reason), resource.urn);
            }
            for (const problem of deployGateProblems(dig(props, "stages"), projectLookup(resource, args.resources))) {
                report(
                    `CodePipeline '${resource.name}' in a production stack (${verdict.reason}) ${problem}`,
                    resource.urn,
                );
            }
        }
    },
};

/** The CodeBuild action's EnvironmentVariables: a JSON array string (or, from some callers, an array). */
function actionVariables(configuration: unknown): unknown[] {
    let raw = dig(configuration, "EnvironmentVariables");
    if (typeof raw === "string" && !isUnknown(raw)) {
        try {
            raw = JSON.parse(raw);
        } catch {
            return [];
        }
    }
    return asArray(raw) ?? [];
}

/**
 * No secret in the PLAINTEXT `EnvironmentVariables` of a pipeline's CodeBuild actions: the pipeline
 * definition, and so the value, is readable by anyone with codepipeline:GetPipeline. Detection is the
 * one codebuild-no-plaintext-secrets uses (lib/secret-values.ts). The same holds for the default values of V2
 * pipeline-level `variables` (plain strings in the pipeline definition:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html#reference-variables-levels) and
 * for the shell commands of Commands actions (judged by value only, variable references removed). Anchors: none.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html
 */
export const codepipelineNoPlaintextSecrets: ResourceValidationPolicy = {
    name: "codepipeline-no-plaintext-secrets",
    description:
        "CodeBuild actions of a pipeline must not pass secrets as PLAINTEXT EnvironmentVariables; use " +
        "SECRETS_MANAGER or PARAMETER_STORE.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...allowedVariableNamesSchema } },
    validateResource: async (args, report) => {
        if (args.type !== PIPELINE_TYPE) {
            return;
        }
        const { allowedVariableNames } = args.getConfig<{ allowedVariableNames?: string[] }>();
        const props = plain(args.props);
        // Only a known default value is judged: without one the definition holds nothing, and in preview it is unknown.
        const pipelineVariables = (asArray(dig(props, "variables")) ?? [])
            .map((v) => ({ name: dig(v, "name"), value: asString(dig(v, "defaultValue")) }))
            .filter((v) => v.value !== undefined && v.value !== "");
        for (const [name, why] of await plaintextVariableProblems(pipelineVariables, allowedVariableNames)) {
            report(
                `CodePipeline '${args.name}' variable '${name}' has a defaultValue in plain text and ${why}. Pipeline ` +
                    `variables are readable by anyone who can read the pipeline: pass a Secrets Manager secret's name ` +
                    `or ARN instead and resolve it in the build (a SECRETS_MANAGER environment variable).`,
            );
        }
        for (const action of flatten(dig(props, "stages"))) {
            for (const [index, command] of action.commands.entries()) {
                const kind = await secretInCommand(command);
                if (kind)
                    report(
                        `CodePipeline '${args.name}' action '${action.name}' (stage '${action.stage}') command ${index + 1} ` +
                            `contains what looks like ${kind}. Read it from a Secrets Manager secret at run time instead ` +
                            `of writing it in the pipeline definition.`,
                    );
            }
            const variables = actionVariables(action.configuration);
            for (const [name, why] of await plaintextVariableProblems(variables, allowedVariableNames)) {
                report(
                    `CodePipeline '${args.name}' action '${action.name}' (stage '${action.stage}') passes EnvironmentVariables ` +
                        `entry '${name}' as PLAINTEXT and ${why}. Store it in Secrets Manager or Parameter Store and set ` +
                        `its type to 'SECRETS_MANAGER' or 'PARAMETER_STORE' with the secret's name or ARN as value.`,
                );
            }
        }
    },
};
