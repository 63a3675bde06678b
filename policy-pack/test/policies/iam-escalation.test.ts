import { strict as assert } from "assert";
import {
    iamNoAdminManagedPolicies,
    iamNoPassroleWildcard,
    iamNoPrivilegeEscalation,
} from "../../policies/iam-escalation";
import { UNKNOWN, validate } from "./helpers";

const POLICY = "aws:iam/policy:Policy";

function doc(...statements: object[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

describe("iam-no-passrole-wildcard", () => {
    it("reports iam:PassRole on '*'", async () => {
        const messages = await validate(
            iamNoPassroleWildcard,
            POLICY,
            { policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) },
            { name: "deployer" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'deployer' statement 1 allows iam:PassRole on Resource '*'. Set Resource to the ARNs of the roles it must pass, e.g. arn:aws:iam::<account>:role/<name>.",
        ]);
    });

    it("reports PassRole reached through a wildcard on every role (role/*), even with a condition", async () => {
        const messages = await validate(
            iamNoPassroleWildcard,
            POLICY,
            {
                policy: doc({
                    Effect: "Allow",
                    Action: "iam:Pass*",
                    Resource: "arn:aws:iam::123456789012:role/*",
                    Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                }),
            },
            { name: "p" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'p' statement 1 allows iam:PassRole (through Action 'iam:Pass*') on Resource 'arn:aws:iam::123456789012:role/*'. Set Resource to the ARNs of the roles it must pass, e.g. arn:aws:iam::<account>:role/<name>.",
        ]);
    });

    it("accepts PassRole on named roles, on a role-name prefix, or on an unknown ARN in preview", async () => {
        const named = doc({
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: ["arn:aws:iam::123456789012:role/task", "arn:aws:iam::123456789012:role/app-*"],
        });
        assert.deepEqual(await validate(iamNoPassroleWildcard, POLICY, { policy: named }), []);
        const preview = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "iam:PassRole", Resource: UNKNOWN }],
        };
        assert.deepEqual(await validate(iamNoPassroleWildcard, POLICY, { policy: preview }), []);
    });

    it("accepts a Deny of PassRole on '*'", async () => {
        assert.deepEqual(
            await validate(iamNoPassroleWildcard, POLICY, {
                policy: doc({ Effect: "Deny", Action: "iam:PassRole", Resource: "*" }),
            }),
            [],
        );
    });
});

describe("iam-no-passrole-wildcard: wildcard-equivalent role ARNs", () => {
    for (const resource of ["arn:aws:iam::*:role/*", "arn:aws:*:*:*:*", "arn:aws:iam::*:*"]) {
        it(`reports iam:PassRole on ${resource}`, async () => {
            const messages = await validate(
                iamNoPassroleWildcard,
                POLICY,
                { policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: resource }) },
                { name: "deployer" },
            );
            assert.deepEqual(messages, [
                `IAM policy 'deployer' statement 1 allows iam:PassRole on Resource '${resource}'. Set Resource to the ARNs of the roles it must pass, e.g. arn:aws:iam::<account>:role/<name>.`,
            ]);
        });
    }
});

describe("iam-no-privilege-escalation", () => {
    it("reports escalation actions on wildcard-equivalent ARNs (arn:aws:iam::*:policy/*, arn:aws:*:*:*:*)", async () => {
        const messages = await validate(
            iamNoPrivilegeEscalation,
            POLICY,
            {
                policy: doc(
                    { Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "arn:aws:iam::*:policy/*" },
                    { Effect: "Allow", Action: "lambda:UpdateFunctionCode", Resource: "arn:aws:*:*:*:*" },
                ),
            },
            { name: "p" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'p' allows 2 privilege-escalation paths on unnamed resources ('arn:aws:iam::*:policy/*', 'arn:aws:*:*:*:*'): iam:CreatePolicyVersion; lambda:UpdateFunctionCode. Grant these actions only on named resource ARNs, or remove them.",
        ]);
    });

    it("reports a single escalation action on '*'", async () => {
        const messages = await validate(
            iamNoPrivilegeEscalation,
            POLICY,
            { policy: doc({ Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "*" }) },
            { name: "p" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'p' allows the privilege-escalation path iam:CreatePolicyVersion on unnamed resources ('*'). Grant it only on named resource ARNs, or remove it.",
        ]);
    });

    it("reports a wildcard action once, naming every escalation path it opens", async () => {
        const messages = await validate(
            iamNoPrivilegeEscalation,
            POLICY,
            { policy: doc({ Effect: "Allow", Action: "iam:*", Resource: "*" }) },
            { name: "p" },
        );
        assert.equal(messages.length, 1);
        assert.match(
            messages[0],
            /^IAM policy 'p' allows 13 privilege-escalation paths on unnamed resources \('\*'\): iam:CreatePolicyVersion; iam:SetDefaultPolicyVersion; .*iam:UpdateAssumeRolePolicy\. Grant these actions only on named resource ARNs, or remove them\.$/,
        );
    });

    it("reports a combination spread over two statements", async () => {
        const messages = await validate(
            iamNoPrivilegeEscalation,
            POLICY,
            {
                policy: doc(
                    { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/*" },
                    { Effect: "Allow", Action: "ec2:RunInstances", Resource: "*" },
                ),
            },
            { name: "p" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'p' allows the privilege-escalation path iam:PassRole + ec2:RunInstances on unnamed resources ('arn:aws:iam::123456789012:role/*', '*'). Grant these actions only on named resource ARNs, or remove them.",
        ]);
    });

    it("does not report a combination when one of its actions is on a named resource", async () => {
        const messages = await validate(iamNoPrivilegeEscalation, POLICY, {
            policy: doc(
                { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/task" },
                { Effect: "Allow", Action: ["codebuild:CreateProject", "codebuild:StartBuild"], Resource: "*" },
            ),
        });
        assert.deepEqual(messages, []);
    });

    it("accepts escalation actions on named resources and in Deny statements", async () => {
        const messages = await validate(iamNoPrivilegeEscalation, POLICY, {
            policy: doc(
                {
                    Effect: "Allow",
                    Action: "lambda:UpdateFunctionCode",
                    Resource: "arn:aws:lambda:eu-west-1:123456789012:function:app",
                },
                { Effect: "Deny", Action: "iam:*", Resource: "*" },
            ),
        });
        assert.deepEqual(messages, []);
    });

    it("reports escalation reached through a function wildcard (lambda:UpdateFunction* on function:*)", async () => {
        const messages = await validate(
            iamNoPrivilegeEscalation,
            POLICY,
            {
                policy: doc({
                    Effect: "Allow",
                    Action: "lambda:UpdateFunction*",
                    Resource: "arn:aws:lambda:eu-west-1:123456789012:function:*",
                }),
            },
            { name: "p" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'p' allows the privilege-escalation path lambda:UpdateFunctionCode on unnamed resources ('arn:aws:lambda:eu-west-1:123456789012:function:*'). Grant it only on named resource ARNs, or remove it.",
        ]);
    });
});

describe("iam-no-admin-managed-policies", () => {
    it("reports AdministratorAccess on a role policy attachment", async () => {
        const messages = await validate(
            iamNoAdminManagedPolicies,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            {
                role: "deploy",
                policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
            },
            { name: "deploy-admin" },
        );
        assert.deepEqual(messages, [
            "IAM role policy attachment 'deploy-admin' attaches the AWS managed policy AdministratorAccess (arn:aws:iam::aws:policy/AdministratorAccess). Attach a customer-managed policy that lists only the actions and resources it needs.",
        ]);
    });

    it("reports PowerUserAccess and IAMFullAccess in lists (role managedPolicyArns, exclusive attachments)", async () => {
        const role = await validate(
            iamNoAdminManagedPolicies,
            "aws:iam/role:Role",
            {
                managedPolicyArns: [
                    "arn:aws:iam::aws:policy/ReadOnlyAccess",
                    "arn:aws:iam::aws:policy/PowerUserAccess",
                ],
            },
            { name: "r" },
        );
        assert.deepEqual(role, [
            "IAM role 'r' attaches the AWS managed policy PowerUserAccess (arn:aws:iam::aws:policy/PowerUserAccess). Attach a customer-managed policy that lists only the actions and resources it needs.",
        ]);
        const exclusive = await validate(
            iamNoAdminManagedPolicies,
            "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
            {
                groupName: "ops",
                policyArns: ["arn:aws-us-gov:iam::aws:policy/IAMFullAccess"],
            },
            { name: "ops" },
        );
        assert.equal(exclusive.length, 1);
        assert.match(exclusive[0], /^IAM group policy attachments 'ops' attaches the AWS managed policy IAMFullAccess/);
    });

    it("checks user, group and multi-target attachments", async () => {
        for (const type of [
            "aws:iam/userPolicyAttachment:UserPolicyAttachment",
            "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
            "aws:iam/policyAttachment:PolicyAttachment",
        ]) {
            const messages = await validate(iamNoAdminManagedPolicies, type, {
                policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
            });
            assert.equal(messages.length, 1, type);
        }
    });

    it("accepts customer policies with the same name, other AWS policies and unknown ARNs", async () => {
        const type = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
        for (const policyArn of [
            "arn:aws:iam::123456789012:policy/AdministratorAccess",
            "arn:aws:iam::aws:policy/AWSCodePipeline_ReadOnlyAccess",
            UNKNOWN,
            42,
        ]) {
            assert.deepEqual(await validate(iamNoAdminManagedPolicies, type, { policyArn }), []);
        }
        assert.deepEqual(
            await validate(iamNoAdminManagedPolicies, "aws:iam/role:Role", { managedPolicyArns: UNKNOWN }),
            [],
        );
    });
});
