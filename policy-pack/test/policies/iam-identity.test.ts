import { strict as assert } from "assert";
import { iamNoWildcardActions, iamNoWildcardResources } from "../../policies/iam-identity";
import { UNKNOWN, validate } from "./helpers";

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

function doc(...statements: object[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

describe("iam-no-wildcard-actions", () => {
    it("reports Action '*' in a managed policy", async () => {
        const messages = await validate(
            iamNoWildcardActions,
            POLICY,
            {
                policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }),
            },
            { name: "admin" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'admin' statement 1 allows Action '*' (every AWS action). List only the actions the principal needs, e.g. 's3:GetObject'.",
        ]);
    });

    it("reports 'service:*' in a role inline policy given as an object with a single Statement object", async () => {
        const messages = await validate(
            iamNoWildcardActions,
            ROLE,
            {
                inlinePolicies: [
                    {
                        name: "artifacts",
                        policy: {
                            Version: "2012-10-17",
                            Statement: {
                                Sid: "All",
                                Effect: "Allow",
                                Action: ["s3:GetObject", "s3:*"],
                                Resource: "arn:aws:s3:::b/*",
                            },
                        },
                    },
                ],
            },
            { name: "build" },
        );
        assert.deepEqual(messages, [
            "IAM role 'build' inline policy 'artifacts' statement 1 (Sid 'All') allows Action 's3:*' (every s3 action). List only the s3 actions the principal needs.",
        ]);
    });

    it("reports NotAction in an Allow statement", async () => {
        const messages = await validate(
            iamNoWildcardActions,
            ROLE_POLICY,
            {
                policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
            },
            { name: "rp" },
        );
        assert.deepEqual(messages, [
            "IAM role policy 'rp' statement 1 uses NotAction in an Allow statement, which grants every other action. Replace NotAction with an explicit Action list.",
        ]);
    });

    it("accepts Deny statements with wildcards and suffix wildcards such as s3:Get*", async () => {
        const messages = await validate(iamNoWildcardActions, POLICY, {
            policy: doc(
                { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
                { Effect: "Allow", Action: ["s3:Get*", "kms:GenerateDataKey*"], Resource: "arn:aws:s3:::b/*" },
            ),
        });
        assert.deepEqual(messages, []);
    });

    it("checks user and group policies too", async () => {
        const user = await validate(
            iamNoWildcardActions,
            "aws:iam/userPolicy:UserPolicy",
            { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) },
            { name: "u" },
        );
        const group = await validate(
            iamNoWildcardActions,
            "aws:iam/groupPolicy:GroupPolicy",
            { policy: doc({ Effect: "Allow", Action: "ec2:*", Resource: "*" }) },
            { name: "g" },
        );
        assert.equal(user.length, 1);
        assert.match(user[0], /^IAM user policy 'u' statement 1 allows Action '\*'/);
        assert.equal(group.length, 1);
        assert.match(group[0], /^IAM group policy 'g' statement 1 allows Action 'ec2:\*'/);
    });

    it("passes silently in preview when the whole document is unknown", async () => {
        assert.deepEqual(await validate(iamNoWildcardActions, POLICY, { policy: UNKNOWN }), []);
        assert.deepEqual(await validate(iamNoWildcardActions, ROLE, { inlinePolicies: UNKNOWN }), []);
        assert.deepEqual(
            await validate(iamNoWildcardActions, ROLE, { inlinePolicies: [{ name: "p", policy: UNKNOWN }] }),
            [],
        );
    });

    it("still judges known actions when only resources are unknown (object documents in preview)", async () => {
        const messages = await validate(
            iamNoWildcardActions,
            POLICY,
            {
                policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: [UNKNOWN] }] },
            },
            { name: "p" },
        );
        assert.equal(messages.length, 1);
    });

    it("never throws on garbage documents or statements", async () => {
        for (const policy of [
            "not json",
            "42",
            "{}",
            { Statement: 7 },
            { Statement: [null, 3, "x"] },
            [],
            { Statement: [{ Effect: UNKNOWN, Action: "*" }] },
        ]) {
            assert.deepEqual(await validate(iamNoWildcardActions, POLICY, { policy }), []);
        }
        assert.deepEqual(await validate(iamNoWildcardActions, ROLE, { inlinePolicies: [null, 5, { name: 1 }] }), []);
    });

    it("ignores resources of other types", async () => {
        assert.deepEqual(
            await validate(iamNoWildcardActions, "aws:s3/bucketPolicy:BucketPolicy", {
                policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }),
            }),
            [],
        );
    });
});

describe("iam-no-wildcard-resources", () => {
    it("reports actions that support resource-level permissions on Resource '*'", async () => {
        const messages = await validate(
            iamNoWildcardResources,
            POLICY,
            {
                policy: doc({
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:PutObject", "sts:GetCallerIdentity"],
                    Resource: "*",
                }),
            },
            { name: "p" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'p' statement 1 grants s3:GetObject, s3:PutObject on Resource '*', but these actions support resource-level permissions. Replace '*' with the ARNs of the resources they act on.",
        ]);
    });

    it("passes wildcard-only actions on '*' (sts:GetCallerIdentity, ecr:GetAuthorizationToken)", async () => {
        const messages = await validate(iamNoWildcardResources, POLICY, {
            policy: doc({
                Effect: "Allow",
                Action: ["sts:GetCallerIdentity", "ecr:GetAuthorizationToken"],
                Resource: "*",
            }),
        });
        assert.deepEqual(messages, []);
    });

    it("expands suffix wildcards through the IAM reference data (s3:GetObjectAcl*)", async () => {
        const messages = await validate(
            iamNoWildcardResources,
            POLICY,
            {
                policy: doc({ Effect: "Allow", Action: "s3:GetObjectAcl*", Resource: "arn:aws:s3:::*" }),
            },
            { name: "p" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'p' statement 1 grants s3:GetObjectAcl on Resource 'arn:aws:s3:::*', but these actions support resource-level permissions and 'arn:aws:s3:::*' matches every such resource. Replace 'arn:aws:s3:::*' with the ARNs of the resources they act on.",
        ]);
    });

    it("shortens long lists of expanded actions", async () => {
        const messages = await validate(iamNoWildcardResources, POLICY, {
            policy: doc({ Effect: "Allow", Action: "codepipeline:*", Resource: "*" }),
        });
        assert.equal(messages.length, 1);
        assert.match(
            messages[0],
            /grants codepipeline:\w+, codepipeline:\w+, codepipeline:\w+, codepipeline:\w+, codepipeline:\w+ and \d+ more on Resource '\*'/,
        );
    });

    it("accepts a log-group ARN ending in ':*' and named ARNs", async () => {
        const messages = await validate(iamNoWildcardResources, ROLE, {
            inlinePolicies: [
                {
                    name: "logs",
                    policy: doc({
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/app:*",
                    }),
                },
            ],
        });
        assert.deepEqual(messages, []);
    });

    it("accepts Deny statements on '*'", async () => {
        assert.deepEqual(
            await validate(iamNoWildcardResources, POLICY, {
                policy: doc({ Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" }),
            }),
            [],
        );
    });

    it("reports NotResource in an Allow statement", async () => {
        const messages = await validate(
            iamNoWildcardResources,
            POLICY,
            { policy: doc({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }) },
            { name: "p" },
        );
        assert.deepEqual(messages, [
            "IAM policy 'p' statement 1 uses NotResource in an Allow statement, which grants its actions on every other resource. Replace NotResource with an explicit Resource list of ARNs.",
        ]);
    });

    it("skips actions the reference does not know rather than guessing", async () => {
        assert.deepEqual(
            await validate(iamNoWildcardResources, POLICY, {
                policy: doc({ Effect: "Allow", Action: ["nosuchservice:Do", "s3:NoSuchAction"], Resource: "*" }),
            }),
            [],
        );
    });
});

describe("wildcard-equivalent resources and optional resource types", () => {
    const cases: [string, string][] = [
        ["s3:GetObject", "arn:aws:s3:::*/*"],
        ["iam:GetRole", "arn:aws:iam::*:role/*"],
        ["kms:Decrypt", "arn:aws:*:*:*:*"],
        ["kms:Decrypt", "arn:aws:kms:*:*:key/*"],
        ["logs:PutLogEvents", "arn:aws:logs:eu-west-1:*:log-group:*"],
    ];
    for (const [action, resource] of cases) {
        it(`counts ${resource} as '*' for ${action}`, async () => {
            const messages = await validate(
                iamNoWildcardResources,
                POLICY,
                { policy: doc({ Effect: "Allow", Action: action, Resource: resource }) },
                { name: "p" },
            );
            assert.deepEqual(messages, [
                `IAM policy 'p' statement 1 grants ${action} on Resource '${resource}', but these actions support ` +
                    `resource-level permissions and '${resource}' matches every such resource. Replace '${resource}' ` +
                    `with the ARNs of the resources they act on.`,
            ]);
        });
    }

    it("accepts patterns that name a bucket, a role prefix or an account's log group", async () => {
        const messages = await validate(iamNoWildcardResources, POLICY, {
            policy: doc({
                Effect: "Allow",
                Action: ["s3:GetObject", "iam:GetRole", "logs:PutLogEvents"],
                Resource: [
                    "arn:aws:s3:::artifacts-123/*",
                    "arn:aws:iam::*:role/app-*",
                    "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/app:*",
                ],
            }),
        });
        assert.deepEqual(messages, []);
    });

    it("accepts cloudwatch:PutMetricData on '*' scoped by cloudwatch:namespace (only an optional resource type)", async () => {
        const messages = await validate(iamNoWildcardResources, POLICY, {
            policy: doc({
                Effect: "Allow",
                Action: ["cloudwatch:PutMetricData", "sts:GetCallerIdentity"],
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": "App/Deploys" } },
            }),
        });
        assert.deepEqual(messages, []);
    });

    it("does not judge a Resource unknown in preview", async () => {
        const messages = await validate(iamNoWildcardResources, POLICY, {
            policy: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: UNKNOWN }],
            },
        });
        assert.deepEqual(messages, []);
    });
});
