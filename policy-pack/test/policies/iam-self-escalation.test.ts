import { strict as assert } from "assert";
import { iamNoSelfEscalation } from "../../policies/iam-self-escalation";
import { stackMessages, stackResource, UNKNOWN, validateStack } from "./helpers";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const POLICY = "aws:iam/policy:Policy";
const ACCOUNT = "123456789012";

function doc(...statements: object[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const deployer = (props: Record<string, unknown> = {}) =>
    stackResource(ROLE, "deployer", { name: "deployer", arn: UNKNOWN, ...props });

describe("iam-no-self-escalation", () => {
    for (const action of ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"]) {
        it(`reports ${action} on the role's own ARN from a RolePolicy joined in preview`, async () => {
            const role = deployer();
            const own = `arn:aws:iam::${ACCOUNT}:role/deployer`;
            const policy = stackResource(
                ROLE_POLICY,
                "deployer-inline",
                { role: UNKNOWN, policy: doc({ Effect: "Allow", Action: action, Resource: own }) },
                { role: [role] },
            );
            const reports = await validateStack(iamNoSelfEscalation, [role, policy]);
            assert.deepEqual(reports, [
                {
                    message:
                        `IAM role 'deployer' can change its own permissions: IAM role policy 'deployer-inline' statement 1 allows ` +
                        `${action} on '${own}', the role itself. Remove the action, or scope it to the ARNs of other roles.`,
                    urn: role.urn,
                },
            ]);
        });
    }

    it("reports a role's inline policy reaching itself through a name pattern, and a known ARN in an export", async () => {
        const inline = deployer({
            inlinePolicies: [
                {
                    name: "self",
                    policy: doc({ Effect: "Allow", Action: "iam:Put*", Resource: "arn:aws:iam::*:role/deploy*" }),
                },
            ],
        });
        assert.deepEqual(await stackMessages(iamNoSelfEscalation, [inline]), [
            "IAM role 'deployer' can change its own permissions: IAM role 'deployer' inline policy 'self' statement 1 allows " +
                "iam:PutRolePolicy on 'arn:aws:iam::*:role/deploy*', the role itself. Remove the action, or scope it to the ARNs of other roles.",
        ]);
        const exported = stackResource(ROLE, "deployer", {
            name: "deployer-7f3a",
            arn: `arn:aws:iam::${ACCOUNT}:role/ci/deployer-7f3a`,
            path: "/ci/",
            inlinePolicies: [
                {
                    name: "trust",
                    policy: doc({
                        Effect: "Allow",
                        Action: "iam:UpdateAssumeRolePolicy",
                        Resource: `arn:aws:iam::${ACCOUNT}:role/ci/deployer-7f3a`,
                    }),
                },
            ],
        });
        assert.equal((await stackMessages(iamNoSelfEscalation, [exported])).length, 1);
    });

    it("reports CreatePolicyVersion on a managed policy attached to the role", async () => {
        const role = deployer();
        const managed = stackResource(POLICY, "deploy-policy", {
            name: "deploy-policy",
            arn: UNKNOWN,
            policy: doc({
                Effect: "Allow",
                Action: ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"],
                Resource: `arn:aws:iam::${ACCOUNT}:policy/deploy-policy`,
            }),
        });
        const attachment = stackResource(
            ATTACHMENT,
            "attach",
            { role: UNKNOWN, policyArn: UNKNOWN },
            { role: [role], policyArn: [managed] },
        );
        assert.deepEqual(await stackMessages(iamNoSelfEscalation, [role, managed, attachment]), [
            "IAM role 'deployer' can change its own permissions: IAM policy 'deploy-policy' statement 1 allows " +
                `iam:CreatePolicyVersion on 'arn:aws:iam::${ACCOUNT}:policy/deploy-policy', the managed policy 'deploy-policy' ` +
                "attached to the role. Remove the action, or scope it to policies the role does not use.",
        ]);
    });

    it("passes grants on other roles and policies, Deny statements, broad resources (another rule's) and unknown documents", async () => {
        const role = deployer();
        const other = stackResource(
            ROLE_POLICY,
            "p",
            {
                role: UNKNOWN,
                policy: doc(
                    {
                        Effect: "Allow",
                        Action: "iam:PutRolePolicy",
                        Resource: `arn:aws:iam::${ACCOUNT}:role/app-runtime`,
                    },
                    { Effect: "Deny", Action: "iam:*", Resource: `arn:aws:iam::${ACCOUNT}:role/deployer` },
                    { Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: "*" },
                    {
                        Effect: "Allow",
                        Action: "iam:CreatePolicyVersion",
                        Resource: `arn:aws:iam::${ACCOUNT}:policy/other`,
                    },
                ),
            },
            { role: [role] },
        );
        const computed = stackResource(ROLE_POLICY, "q", { role: UNKNOWN, policy: UNKNOWN }, { role: [role] });
        assert.deepEqual(await stackMessages(iamNoSelfEscalation, [role, other, computed]), []);
    });
});
