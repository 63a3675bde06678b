/**
 * Where identity policies and managed-policy attachments live on @pulumi/aws v7 resources.
 * Every identity-policy rule walks the same list, so a new carrier is added in one place.
 */
import { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { asArray, asBag, asString, dig, isUnknown, plain } from "./props";

export interface PolicySource {
    /** "IAM role 'deploy' inline policy 'artifacts'": the subject of every message. */
    subject: string;
    document: unknown;
}

export interface Attachment {
    subject: string;
    policyArn: unknown;
}

/** Resource types whose `policy` input is one identity policy document. */
const DOCUMENT_CARRIERS: Record<string, string> = {
    "aws:iam/rolePolicy:RolePolicy": "IAM role policy",
    "aws:iam/userPolicy:UserPolicy": "IAM user policy",
    "aws:iam/groupPolicy:GroupPolicy": "IAM group policy",
    "aws:iam/policy:Policy": "IAM policy",
};

/** Resource types with a single `policyArn`. */
const SINGLE_ATTACHMENTS: Record<string, string> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM role policy attachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "IAM user policy attachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "IAM group policy attachment",
    "aws:iam/policyAttachment:PolicyAttachment": "IAM policy attachment",
};

/**
 * IAM Identity Center permission sets attach AWS managed policies by `managedPolicyArn`: every role the set
 * provisions in the assigned accounts gets it
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/permissionsetsconcept.html).
 */
const PERMISSION_SET_ATTACHMENT = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment";

/** Resource types with a `policyArns` list. */
const LIST_ATTACHMENTS: Record<string, string> = {
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "IAM role policy attachments",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "IAM user policy attachments",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "IAM group policy attachments",
};

export const ROLE_TYPE = "aws:iam/role:Role";

export const IDENTITY_POLICY_TYPES = [ROLE_TYPE, ...Object.keys(DOCUMENT_CARRIERS)];
export const ATTACHMENT_TYPES = [
    ROLE_TYPE,
    PERMISSION_SET_ATTACHMENT,
    ...Object.keys(SINGLE_ATTACHMENTS),
    ...Object.keys(LIST_ATTACHMENTS),
];

type Resource = Pick<ResourceValidationArgs | PolicyResource, "type" | "name" | "props">;

/** The identity policy documents a resource carries (a role's inline policies, a `policy`). */
export function identityPolicies(resource: Resource): PolicySource[] {
    const props = plain(resource.props);
    if (resource.type === ROLE_TYPE) {
        const inline = asArray(dig(props, "inlinePolicies")) ?? [];
        return inline.map((entry, index) => {
            const name = asString(dig(entry, "name")) ?? `#${index + 1}`;
            return { subject: `IAM role '${resource.name}' inline policy '${name}'`, document: dig(entry, "policy") };
        });
    }
    const kind = DOCUMENT_CARRIERS[resource.type];
    return kind ? [{ subject: `${kind} '${resource.name}'`, document: dig(props, "policy") }] : [];
}

/** The managed-policy ARNs a resource attaches (including a role's deprecated managedPolicyArns). */
export function managedPolicyAttachments(resource: Resource): Attachment[] {
    const props = asBag(plain(resource.props)) ?? {};
    const single = SINGLE_ATTACHMENTS[resource.type];
    if (single) {
        return [{ subject: `${single} '${resource.name}'`, policyArn: props["policyArn"] }];
    }
    if (resource.type === PERMISSION_SET_ATTACHMENT) {
        const subject = `IAM Identity Center permission set attachment '${resource.name}'`;
        return [{ subject, policyArn: props["managedPolicyArn"] }];
    }
    const listKind = resource.type === ROLE_TYPE ? "IAM role" : LIST_ATTACHMENTS[resource.type];
    const listKey = resource.type === ROLE_TYPE ? "managedPolicyArns" : "policyArns";
    if (!listKind || isUnknown(props[listKey])) {
        return [];
    }
    const arns = asArray(props[listKey]) ?? [];
    return arns.map((policyArn) => ({ subject: `${listKind} '${resource.name}'`, policyArn }));
}
