/**
 * CodePipeline: artifact encryption, and the production approval gate.
 * Pipeline inputs: https://www.pulumi.com/registry/packages/aws/api-docs/codepipeline/pipeline/
 */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isAwsManagedKeyAlias } from "../lib/kms-key";
import { detectProduction, ProductionConfig, productionConfigSchema } from "../lib/production";
import { asArray, asBag, asString, dig, isPresent, isUnknown, plain } from "../lib/props";
import { deployGateProblems } from "./codepipeline-stages";

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

/**
 * In production stacks, every Deploy action is preceded by a Manual approval that notifies an SNS
 * topic (configuration.NotificationArn), in an earlier stage or at a lower runOrder in the same
 * stage; executionMode PARALLEL is refused. Non-production stacks are not checked. Production is
 * decided by lib/production.ts (stack-name pattern, stack tag or resource tag; configurable).
 * Anchors: none (shared §5: no anchor has this rule).
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts-how-it-works.html#concepts-how-it-works-executions
 */
export const codepipelineProductionApproval: StackValidationPolicy = {
    name: "codepipeline-production-approval",
    description:
        "In production stacks every CodePipeline Deploy action must follow a Manual approval with a NotificationArn, " +
        "and executionMode must not be PARALLEL.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...productionConfigSchema } },
    validateStack: (args, report) => {
        const config = args.getConfig<ProductionConfig>();
        for (const resource of args.resources.filter((r) => r.type === PIPELINE_TYPE)) {
            const props = plain(resource.props);
            const input = { urn: resource.urn, stackTags: args.stackTags, resourceTags: dig(props, "tags") };
            const verdict = detectProduction(input, config);
            if (!verdict.production) {
                continue;
            }
            if (dig(props, "executionMode") === "PARALLEL") {
                report(parallelMessage(resource.name, verdict.reason), resource.urn);
            }
            for (const problem of deployGateProblems(dig(props, "stages"))) {
                report(
                    `CodePipeline '${resource.name}' in a production stack (${verdict.reason}) ${problem}`,
                    resource.urn,
                );
            }
        }
    },
};
