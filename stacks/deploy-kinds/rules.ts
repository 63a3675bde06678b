import type { ConfigIssue } from "../config-error";
import type { RuleInput } from "../rules";

/**
 * Roles that are administrators by convention, recognised by name: the program cannot read a role's policies
 * before `pulumi up`, so it refuses the names that mean "full access" in AWS's own set-ups. A role with
 * `AdministratorAccess` under another name is not caught here; the README asks for a scoped role.
 * - `admin` anywhere in the name (`Admin`, `AdministratorAccess`, `cfn-admin`);
 * - `OrganizationAccountAccessRole`, which AWS Organizations creates with `AdministratorAccess`
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access-cross-account-role.html);
 * - `AWSReservedSSO_*`, IAM Identity Center's roles for people, not for services;
 * - `cdk-*-cfn-exec-role-*`, the CDK bootstrap's execution role, which has `AdministratorAccess` by default
 *   (https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html).
 */
const ADMIN_ROLE_NAME = /admin|^OrganizationAccountAccessRole$|^AWSReservedSSO_|^cdk-[a-z0-9]+-cfn-exec-role-/i;

const roleName = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/** Rules of the deploy kinds and checks that span several keys; registered in `RULES` (`stacks/rules.ts`). */
export const deployKindRules = (input: RuleInput): ConfigIssue[] => [...deployRules(input), ...checkRules(input)];

/** Check names become action names in the Deploy stage, which must be unique there. */
const checkRules = ({ services }: RuleInput): ConfigIssue[] =>
    services.flatMap((service, i) =>
        service.checks.flatMap((check, j): ConfigIssue[] => {
            const first = service.checks.findIndex((c) => c.name === check.name);
            return first < j
                ? [
                      {
                          path: ["services", i, "checks", j, "name"],
                          message: `is "${check.name}", already used by \`cicd:services[${i}].checks[${first}]\`. Give each check its own name.`,
                      },
                  ]
                : [];
        }),
    );

const deployRules = ({ services }: RuleInput): ConfigIssue[] =>
    services.flatMap((service, i) => {
        const deploy = service.deploy;
        if (deploy.kind === "ec2-codedeploy" && !deploy.autoScalingGroups && !deploy.ec2TagFilters)
            return [
                {
                    path: ["services", i, "deploy"],
                    message:
                        "has no target: CodeDeploy would deploy to no instance. Add `autoScalingGroups` (group names), `ec2TagFilters` ([{ key, value }]) or both.",
                },
            ];
        if (
            deploy.kind === "ec2-codedeploy" &&
            deploy.blueGreen &&
            (deploy.autoScalingGroups?.length !== 1 || deploy.ec2TagFilters)
        )
            return [
                {
                    path: ["services", i, "deploy", "blueGreen"],
                    message:
                        "copies one Auto Scaling group: list exactly one in `autoScalingGroups` and no `ec2TagFilters` (tagged instances cannot be copied), or deploy in place.",
                },
            ];
        if (deploy.kind === "cloudformation" && ADMIN_ROLE_NAME.test(roleName(deploy.roleArn)))
            return [
                {
                    path: ["services", i, "deploy", "roleArn"],
                    message: `is "${deploy.roleArn}", an administrator role by its name. CloudFormation changes the stack with this role: give it a role allowed only what the template manages.`,
                },
            ];
        return [];
    });
