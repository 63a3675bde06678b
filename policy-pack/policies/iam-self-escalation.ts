/**
 * A role allowed to change its own permissions or trust can make itself an administrator: it puts
 * an inline policy on itself, attaches AdministratorAccess, rewrites its trust policy, or publishes
 * a new default version of a managed policy attached to it. The escalation rules only see broad
 * resources (`*`, `role/*`); this stack policy joins each role to the documents that grant it
 * permissions and finds grants on the role's own ARN or on its attached policies.
 * IAM actions and their resources: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * Managed policy versions: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    grantingStatements,
    grantsAction,
    isBroadResource,
    parsePolicyDocument,
    Statement,
    wildcardMatches,
} from "../lib/iam-document";
import { identityPolicies, PolicySource, ROLE_TYPE } from "../lib/iam-sources";
import { asArray, asString, dig, plain } from "../lib/props";
import { joinedTo, joinIndex } from "../lib/stack-join";

const ROLE_POLICY_TYPE = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT_TYPE = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY_TYPE = "aws:iam/policy:Policy";

/** Actions that change a role's own permissions or trust, judged on the role's ARN. */
const ROLE_SELF_ACTIONS = [
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
];
/** Actions that change a managed policy's effective document, judged on the policies attached to the role. */
const POLICY_SELF_ACTIONS = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"];

/** How a pattern names an IAM entity: its known ARN, or its name (and path) in any account. */
interface Target {
    arn: string | undefined;
    /** `role/<path><name>` or `policy/<path><name>`, when the name is known. */
    resourcePart: string | undefined;
}

function target(resource: PolicyResource, kind: "role" | "policy"): Target {
    const props = plain(resource.props);
    const name = asString(dig(props, "name"));
    const path = asString(dig(props, "path")) ?? "/";
    return { arn: asString(dig(props, "arn")), resourcePart: name ? `${kind}${path}${name}` : undefined };
}

/** Does a Resource pattern name this entity (not merely every entity: broad patterns are another rule's)? */
function names(pattern: string, entity: Target): boolean {
    if (isBroadResource(pattern)) return false;
    if (entity.arn !== undefined && wildcardMatches(pattern, entity.arn)) return true;
    const parts = pattern.split(":");
    if (entity.resourcePart === undefined || parts.length < 6) return false;
    const account = /^\d{12}$/.test(parts[4]) ? parts[4] : "123456789012";
    const partition = /^[a-z-]+$/.test(parts[1]) ? parts[1] : "aws";
    return wildcardMatches(pattern, `arn:${partition}:iam::${account}:${entity.resourcePart}`);
}

function selfGrants(statement: Statement, actions: string[], entity: Target): [string, string] | undefined {
    for (const action of actions.filter((a) => grantsAction(statement, a))) {
        const resource = statement.resources.find((r) => names(r, entity));
        if (resource !== undefined) return [action, resource];
    }
    return undefined;
}

interface StackIndex {
    rolePolicies: ReturnType<typeof joinIndex>;
    attachments: ReturnType<typeof joinIndex>;
    policies: PolicyResource[];
}

/** The managed policies (of this stack) attached to a role, through attachments or managedPolicyArns. */
function attachedPolicies(role: PolicyResource, index: StackIndex): PolicyResource[] {
    const arns = new Set<string>();
    const urns = new Set<string>();
    for (const attachment of joinedTo(role, index.attachments, ["name"])) {
        const arn = asString(dig(plain(attachment.props), "policyArn"));
        if (arn) arns.add(arn);
        (attachment.propertyDependencies?.["policyArn"] ?? []).forEach((p) => urns.add(p.urn));
    }
    (asArray(dig(plain(role.props), "managedPolicyArns")) ?? []).forEach((a) => typeof a === "string" && arns.add(a));
    (role.propertyDependencies?.["managedPolicyArns"] ?? []).forEach((p) => urns.add(p.urn));
    return index.policies.filter((p) => urns.has(p.urn) || arns.has(asString(dig(plain(p.props), "arn")) ?? ""));
}

/** Every identity document that grants the role permissions: inline, RolePolicy, attached Policy. */
function roleDocuments(role: PolicyResource, index: StackIndex, attached: PolicyResource[]): PolicySource[] {
    return [
        ...identityPolicies(role),
        ...joinedTo(role, index.rolePolicies, ["name"]).flatMap((r) => identityPolicies(r)),
        ...attached.flatMap((p) => identityPolicies(p)),
    ];
}

function roleProblems(role: PolicyResource, index: StackIndex): string[] {
    const attached = attachedPolicies(role, index);
    const self = target(role, "role");
    const problems: string[] = [];
    for (const source of roleDocuments(role, index, attached)) {
        for (const statement of grantingStatements(parsePolicyDocument(source.document))) {
            const onRole = selfGrants(statement, ROLE_SELF_ACTIONS, self);
            if (onRole) {
                problems.push(
                    `IAM role '${role.name}' can change its own permissions: ${source.subject} ${statement.label} allows ` +
                        `${onRole[0]} on '${onRole[1]}', the role itself. Remove the action, or scope it to the ARNs of other roles.`,
                );
            }
            for (const policy of attached) {
                const onPolicy = selfGrants(statement, POLICY_SELF_ACTIONS, target(policy, "policy"));
                if (onPolicy) {
                    problems.push(
                        `IAM role '${role.name}' can change its own permissions: ${source.subject} ${statement.label} allows ` +
                            `${onPolicy[0]} on '${onPolicy[1]}', the managed policy '${policy.name}' attached to the role. ` +
                            `Remove the action, or scope it to policies the role does not use.`,
                    );
                }
            }
        }
    }
    return problems;
}

/**
 * No role may change its own policies, permissions boundary or trust, nor publish a new version of
 * a managed policy attached to it. Judged on the stack: a role joined to its inline policies,
 * RolePolicy resources, RolePolicyAttachments and managedPolicyArns (by propertyDependencies in
 * preview, by name or ARN in exports). A document still unknown in preview is not judged.
 * Anchors: Checkov CKV_AWS_286 theme (privilege escalation); none names the self case.
 */
export const iamNoSelfEscalation: StackValidationPolicy = {
    name: "iam-no-self-escalation",
    description:
        "IAM roles must not be allowed to change their own policies or trust (PutRolePolicy, AttachRolePolicy, " +
        "UpdateAssumeRolePolicy on their own ARN; CreatePolicyVersion on a policy attached to them).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const index: StackIndex = {
            rolePolicies: joinIndex(args.resources, [ROLE_POLICY_TYPE], "role"),
            attachments: joinIndex(args.resources, [ATTACHMENT_TYPE], "role"),
            policies: args.resources.filter((r) => r.type === POLICY_TYPE),
        };
        for (const role of args.resources.filter((r) => r.type === ROLE_TYPE)) {
            for (const problem of roleProblems(role, index)) {
                report(problem, role.urn);
            }
        }
    },
};
