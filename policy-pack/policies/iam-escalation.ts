/**
 * Rules about identity policies that hand out more power than they name: iam:PassRole on any role,
 * privilege-escalation actions on unnamed resources, and AWS's admin-level managed policies.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { grantsAction, Statement, wildcardMatches } from "../lib/iam-document";
import { checkIdentityDocuments, eachStatement } from "../lib/iam-report";
import { managedPolicyAttachments } from "../lib/iam-sources";
import { firstBroadResource } from "../lib/resource-level";
import { asString } from "../lib/props";

async function passRoleMessages(subject: string, statement: Statement): Promise<string[]> {
    if (!grantsAction(statement, "iam:PassRole")) {
        return [];
    }
    const broad = await firstBroadResource(statement.resources);
    if (broad === undefined) {
        return [];
    }
    const via = statement.actions.find((a) => wildcardMatches(a, "iam:PassRole")) ?? "iam:PassRole";
    const through = statement.hasNotAction
        ? " (through NotAction, which grants every action it does not list)"
        : via.toLowerCase() === "iam:passrole"
          ? ""
          : ` (through Action '${via}')`;
    return [
        `${subject} ${statement.label} allows iam:PassRole${through} on Resource '${broad}'. ` +
            `Set Resource to the ARNs of the roles it must pass, e.g. arn:aws:iam::<account>:role/<name>.`,
    ];
}

/**
 * iam:PassRole never on `*` or on every role (`role/*`), even with an iam:PassedToService condition.
 * Anchors: Checkov CKV_AWS_286 (privilege escalation); cdk-nag AwsSolutions-IAM5; trivy AWS-0342.
 * Fix: name the role ARNs. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 */
export const iamNoPassroleWildcard: ResourceValidationPolicy = {
    name: "iam-no-passrole-wildcard",
    description: "Identity policies must grant iam:PassRole only on named role ARNs, never on '*' or role/*.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => checkIdentityDocuments(args, report, eachStatement(passRoleMessages)),
};

/**
 * Privilege-escalation paths from shared §6: Rhino Security Labs' list
 * (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/) as used by
 * Cloudsplaining and Checkov, plus the CodeBuild and CloudFormation change-set paths.
 * A path is one action or a set that only escalates together.
 */
export const ESCALATION_PATHS: readonly (readonly string[])[] = [
    ["iam:CreatePolicyVersion"],
    ["iam:SetDefaultPolicyVersion"],
    ["iam:CreateAccessKey"],
    ["iam:CreateLoginProfile"],
    ["iam:UpdateLoginProfile"],
    ["iam:AttachUserPolicy"],
    ["iam:AttachGroupPolicy"],
    ["iam:AttachRolePolicy"],
    ["iam:PutUserPolicy"],
    ["iam:PutGroupPolicy"],
    ["iam:PutRolePolicy"],
    ["iam:AddUserToGroup"],
    ["iam:UpdateAssumeRolePolicy"],
    ["lambda:UpdateFunctionCode"],
    ["glue:UpdateDevEndpoint"],
    ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    ["iam:PassRole", "ec2:RunInstances"],
    ["iam:PassRole", "cloudformation:CreateStack"],
    ["iam:PassRole", "datapipeline:CreatePipeline"],
    ["iam:PassRole", "glue:CreateDevEndpoint"],
    ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"],
    ["iam:PassRole", "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"],
];

/** The first unnamed resource on which some statement grants `action`, if any. */
async function broadGrant(statements: Statement[], action: string): Promise<string | undefined> {
    for (const statement of statements) {
        if (!grantsAction(statement, action)) {
            continue;
        }
        const broad = await firstBroadResource(statement.resources);
        if (broad !== undefined) {
            return broad;
        }
    }
    return undefined;
}

/**
 * One finding per document: a single path keeps its own wording; several (a wildcard opens all of them) are listed
 * in one message, so an `Action: "*"` statement is one finding, not twenty.
 */
async function escalationMessages(subject: string, statements: Statement[]): Promise<string[]> {
    const candidates = await Promise.all(
        ESCALATION_PATHS.map(async (path) => ({
            path,
            grants: await Promise.all(path.map((action) => broadGrant(statements, action))),
        })),
    );
    const found = candidates.filter(({ grants }) => grants.every((g) => g !== undefined));
    if (found.length === 0) {
        return [];
    }
    const on = [...new Set(found.flatMap(({ grants }) => grants))].map((r) => `'${r}'`).join(", ");
    if (found.length === 1) {
        const [{ path }] = found;
        const several = path.length > 1;
        return [
            `${subject} allows the privilege-escalation path ${path.join(" + ")} on unnamed resources (${on}). ` +
                `Grant ${several ? "these actions" : "it"} only on named resource ARNs, or remove ${several ? "them" : "it"}.`,
        ];
    }
    return [
        `${subject} allows ${found.length} privilege-escalation paths on unnamed resources (${on}): ` +
            `${found.map(({ path }) => path.join(" + ")).join("; ")}. Grant these actions only on named resource ARNs, or remove them.`,
    ];
}

/**
 * Privilege-escalation actions (shared §6) only on named resources, judged per policy document
 * (combinations spread over two different policies of one role are not joined).
 * Anchors: Checkov CKV_AWS_286; cdk-nag AwsSolutions-IAM5; trivy AWS-0342.
 * Fix: scope each action to the ARNs it needs, or drop it.
 */
export const iamNoPrivilegeEscalation: ResourceValidationPolicy = {
    name: "iam-no-privilege-escalation",
    description: "Identity policies must grant privilege-escalation actions only on named resources.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => checkIdentityDocuments(args, report, escalationMessages),
};

/**
 * Matched case-insensitively: IAM names are not distinguished by case
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names); the docs
 * do not say whether a differently cased managed-policy ARN resolves, so it is taken to (fail safe).
 */
const ADMIN_POLICY_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/i;

/**
 * No attachment of the AWS managed policies AdministratorAccess, PowerUserAccess or IAMFullAccess
 * (role/user/group attachments, PolicyAttachment, *Exclusive lists, a role's managedPolicyArns, Identity Center
 * permission sets' ManagedPolicyAttachment).
 * Anchors: Checkov CKV_AWS_62 theme; cdk-nag AwsSolutions-IAM4 (AWS managed policies).
 * Fix: attach a customer-managed policy with the actions the principal needs.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
 */
export const iamNoAdminManagedPolicies: ResourceValidationPolicy = {
    name: "iam-no-admin-managed-policies",
    description: "No AdministratorAccess, PowerUserAccess or IAMFullAccess managed-policy attachments.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        for (const attachment of managedPolicyAttachments(args)) {
            const match = ADMIN_POLICY_ARN.exec(asString(attachment.policyArn) ?? "");
            if (match) {
                report(
                    `${attachment.subject} attaches the AWS managed policy ${match[1]} (${match[0]}). ` +
                        `Attach a customer-managed policy that lists only the actions and resources it needs.`,
                );
            }
        }
    },
};
