import * as names from "../model/names";

/**
 * The bootstrap's IAM documents, as pure functions: GitHub's OIDC trust, the read-only preview policy, and the
 * checks and split of the deployer policy each deploy role holds. `test/bootstrap/` evaluates them with a real IAM
 * evaluator.
 */

export interface Statement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: unknown;
    readonly Action: string | readonly string[];
    /** Absent in trust policies, whose resource is the role itself. */
    readonly Resource?: string | readonly string[];
    readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly Statement[];
}

/**
 * GitHub's OIDC issuer and the audience `aws-actions/configure-aws-credentials` requests.
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const STS_AUDIENCE = "sts.amazonaws.com";

export const oidcProviderArn = (accountId: string): string =>
    `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;

/**
 * The `sub` claims GitHub puts in a job's token: `environment:<name>` for a job bound to an environment,
 * `pull_request` for a job of a pull_request workflow without one.
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
 */
export const pullRequestSubject = (repository: string): string => `repo:${repository}:pull_request`;
export const environmentSubject = (repository: string, environment: string): string =>
    `repo:${repository}:environment:${environment}`;

/**
 * Trust for one exact subject of one repository, and only with the STS audience. `StringEquals` (not
 * `StringLike`): no wildcard can widen the subject. IAM asks roles trusting GitHub to evaluate `sub`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html); the keys are the provider
 * host followed by the claim (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif).
 */
export function githubTrustPolicy(providerArn: string, subject: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GitHubActionsOidc",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
                        [`${GITHUB_OIDC_HOST}:sub`]: subject,
                    },
                },
            },
        ],
    };
}

/**
 * What `pulumi preview --refresh` reads, per resource type the platform's stacks create (components/), and
 * nothing that changes anything: every action is of access level Read or List in the Service Authorization
 * Reference (a test checks this against its data). The AWS provider's exact calls per resource are not documented by
 * AWS; an action missing here shows up as AccessDenied in the PR preview, which fails the check (fails closed).
 *
 * Resources are the ARNs of the environments deployed to this account, built from the one catalogue of names
 * (`model/names.ts`) with the region left open (`*`): artifact stores may be cross-region. KMS keys, notification
 * rules and EventBridge rules have generated ids, so those read every key or rule of the account.
 */
export function previewPolicy(accountId: string, environments: readonly string[]): PolicyDocument {
    const ctxs = environments.map((environment) => ({ environment, accountId, region: "*", partition: "aws" }));
    const each = (f: (ctx: names.NameContext) => string[]) => ctxs.flatMap(f);
    const arn = (service: string, resource: string) => `arn:aws:${service}:*:${accountId}:${resource}`;
    const read = (Sid: string, actions: string[], resources: string[], extra: Partial<Statement> = {}): Statement => ({
        Sid,
        Effect: "Allow",
        Action: actions,
        Resource: resources,
        ...extra,
    });
    return {
        Version: "2012-10-17",
        Statement: [
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodepipeline.html
            read(
                "ReadPipelines",
                ["codepipeline:GetPipeline", "codepipeline:ListTagsForResource"],
                each((ctx) => [names.pipelineArn(ctx, "*")]),
            ),
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodebuild.html
            read(
                "ReadBuildProjects",
                ["codebuild:BatchGetProjects", "codebuild:BatchGetReportGroups"],
                each((ctx) => [
                    names.projectArn(ctx, names.projectName(ctx, "*", "*")),
                    names.reportGroupArn(ctx, names.projectName(ctx, "*", "*")),
                ]),
            ),
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
            read(
                "ReadCodeDeploy",
                [
                    "codedeploy:GetApplication",
                    "codedeploy:GetDeploymentGroup",
                    "codedeploy:GetDeploymentConfig",
                    "codedeploy:ListTagsForResource",
                ],
                [
                    ...each((ctx) => [
                        names.codeDeployApplicationArn(ctx, "*"),
                        names.codeDeployGroupArn(ctx, "*", "*"),
                    ]),
                    // Deployment configs: AWS's predefined ones (CodeDeployDefault.*) or the stack's own.
                    arn("codedeploy", "deploymentconfig:*"),
                ],
            ),
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodestarnotifications.html
            read(
                "ReadNotificationRules",
                ["codestar-notifications:DescribeNotificationRule", "codestar-notifications:ListTagsForResource"],
                [arn("codestar-notifications", "notificationrule/*")],
            ),
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
            read(
                "ReadEventRules",
                ["events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"],
                [arn("events", "rule/*")],
            ),
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
            read(
                "ReadLogGroups",
                ["logs:ListTagsForResource", "logs:ListTagsLogGroup"],
                each((ctx) => [names.logGroupArn(ctx, `${names.logGroupPrefix(ctx)}*`)]),
            ),
            // DescribeLogGroups and kms:ListAliases have no resource type: `*` is the only Resource they accept.
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
            read("ListWithoutResourceTypes", ["logs:DescribeLogGroups", "kms:ListAliases"], ["*"]),
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
            read(
                "ReadRolesAndPolicies",
                [
                    "iam:GetRole",
                    "iam:GetRolePolicy",
                    "iam:ListRolePolicies",
                    "iam:ListAttachedRolePolicies",
                    "iam:ListRoleTags",
                    "iam:GetPolicy",
                    "iam:GetPolicyVersion",
                    "iam:ListPolicyVersions",
                    "iam:ListPolicyTags",
                ],
                each((ctx) => [
                    names.environmentRoleArnPattern(ctx),
                    `arn:aws:iam::${accountId}:policy${names.rolePath(ctx)}*`,
                ]),
            ),
            read(
                "ReadKeys",
                ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
                [arn("kms", "key/*")],
            ),
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
            read(
                "ReadBucketConfiguration",
                [
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:GetBucketPolicy",
                    "s3:GetBucketAcl",
                    "s3:GetBucketVersioning",
                    "s3:GetEncryptionConfiguration",
                    "s3:GetBucketPublicAccessBlock",
                    "s3:GetBucketOwnershipControls",
                    "s3:GetLifecycleConfiguration",
                    "s3:GetBucketTagging",
                    "s3:GetBucketCORS",
                    "s3:GetBucketWebsite",
                    "s3:GetBucketLogging",
                    "s3:GetAccelerateConfiguration",
                    "s3:GetBucketRequestPayment",
                    "s3:GetReplicationConfiguration",
                    "s3:GetBucketObjectLockConfiguration",
                ],
                each((ctx) => [names.bucketArn(ctx, names.artifactBucketName(ctx))]),
            ),
            // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html
            read(
                "ReadTopics",
                ["sns:GetTopicAttributes", "sns:GetSubscriptionAttributes", "sns:ListTagsForResource"],
                each((ctx) => [
                    names.topicArn(ctx, names.topicName(ctx, "*")),
                    names.topicArn(ctx, `${names.topicName(ctx, "*")}:*`),
                ]),
            ),
        ],
    };
}

/**
 * A managed policy holds at most 6,144 characters, white space not counted, and a role takes 10 managed policies
 * unless the quota is raised.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * https://repost.aws/knowledge-center/iam-increase-policy-size
 */
export const MANAGED_POLICY_MAX_CHARS = 6144;
export const MANAGED_POLICIES_PER_ROLE = 10;

/** Size as IAM counts it: the JSON without white space outside strings. */
export const policySize = (doc: PolicyDocument): number => JSON.stringify(doc).length;

const actionsOf = (s: Statement): string[] => [s.Action].flat();

/**
 * Checks a deployer policy (the JSON `npm run deployer-policy` prints): an identity policy, no `*` in any
 * Action, and a size that fits the role. Throws a message saying what is wrong.
 */
export function parseDeployerPolicy(text: string): PolicyDocument {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new Error(`is not JSON (${(e as Error).message}).`);
    }
    // `npm run deployer-policy` prints a JSON array of documents, split under IAM's managed-policy size: their
    // statements are joined here and split again for the deploy role's managed policies.
    if (Array.isArray(doc)) {
        if (doc.length === 0) throw new Error("is an empty list: expected the documents `deployer-policy` prints.");
        const parts = doc.map((d, i) => {
            try {
                return checkedDocument(d);
            } catch (e) {
                throw new Error(`[${i}] ${(e as Error).message}`);
            }
        });
        return checkedDocument({ Version: "2012-10-17", Statement: parts.flatMap((p) => p.Statement) });
    }
    return checkedDocument(doc);
}

function checkedDocument(doc: unknown): PolicyDocument {
    const d = doc as Partial<PolicyDocument> | null;
    if (
        !d ||
        typeof d !== "object" ||
        d.Version !== "2012-10-17" ||
        !Array.isArray(d.Statement) ||
        d.Statement.length === 0
    )
        throw new Error('is not an IAM policy document: expected { "Version": "2012-10-17", "Statement": [ ... ] }.');
    d.Statement.forEach((s, i) => {
        const where = `Statement[${i}]${s.Sid ? ` (${s.Sid})` : ""}`;
        if ("NotAction" in s || "NotResource" in s)
            throw new Error(`${where} uses NotAction/NotResource, which grant by exclusion.`);
        if (s.Principal !== undefined)
            throw new Error(`${where} has a Principal: a deployer policy is an identity policy.`);
        if (s.Effect !== "Allow" && s.Effect !== "Deny") throw new Error(`${where} has Effect ${String(s.Effect)}.`);
        const wild = actionsOf(s).filter((a) => a.includes("*"));
        if (s.Effect === "Allow" && wild.length > 0)
            throw new Error(`${where} allows ${wild.join(", ")}: name each action instead of a wildcard.`);
    });
    splitDeployerPolicy(d as PolicyDocument);
    return d as PolicyDocument;
}

/**
 * Splits a policy into managed policies that each fit the size quota, statements kept whole and in order; Deny
 * statements go into every part so that no part grants what another denies.
 */
export function splitDeployerPolicy(doc: PolicyDocument): PolicyDocument[] {
    const denies = doc.Statement.filter((s) => s.Effect === "Deny");
    const parts: Statement[][] = [];
    for (const s of doc.Statement.filter((st) => st.Effect === "Allow")) {
        const current = parts[parts.length - 1];
        const wrap = (stmts: Statement[]): PolicyDocument => ({
            Version: "2012-10-17",
            Statement: [...stmts, ...denies],
        });
        if (policySize(wrap([s])) > MANAGED_POLICY_MAX_CHARS)
            throw new Error(
                `statement ${s.Sid ?? JSON.stringify(s).slice(0, 60)} alone exceeds ${MANAGED_POLICY_MAX_CHARS} characters.`,
            );
        if (current && policySize(wrap([...current, s])) <= MANAGED_POLICY_MAX_CHARS) current.push(s);
        else parts.push([s]);
    }
    if (parts.length > MANAGED_POLICIES_PER_ROLE)
        throw new Error(
            `needs ${parts.length} managed policies of ${MANAGED_POLICY_MAX_CHARS} characters; a role takes ${MANAGED_POLICIES_PER_ROLE} by default.`,
        );
    return parts.map((p) => ({ Version: "2012-10-17", Statement: [...p, ...denies] }));
}
