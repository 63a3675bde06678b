import * as names from "../model/names";
import { sidPart } from "../model/iam/document";
import { READ_ACTIONS, UNSCOPED_READS } from "../tools/deployer-policy/resource-types";

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
 * Where one environment's resources of each service are, by the names `model/names.ts` gives them, with the region
 * left open (`*`): wave regions keep artifact stores of their own. KMS keys, notification rules and EventBridge rules
 * have generated ids or autonames, so those read every key or rule of the account. Service Authorization Reference
 * pages: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
const SCOPES: Readonly<Record<string, (ctx: names.NameContext) => string[]>> = {
    codepipeline: (ctx) => [names.pipelineArn(ctx, "*")],
    codebuild: (ctx) => [
        names.projectArn(ctx, names.projectName(ctx, "*", "*")),
        names.reportGroupArn(ctx, names.projectName(ctx, "*", "*")),
    ],
    // Deployment configs: AWS's predefined ones (CodeDeployDefault.*) or the stack's own.
    codedeploy: (ctx) => [
        names.codeDeployApplicationArn(ctx, "*"),
        names.codeDeployGroupArn(ctx, "*", "*"),
        names.deploymentConfigArn(ctx, "*"),
    ],
    "codestar-notifications": (ctx) => [
        `arn:${ctx.partition}:codestar-notifications:*:${ctx.accountId}:notificationrule/*`,
    ],
    events: (ctx) => [`arn:${ctx.partition}:events:*:${ctx.accountId}:rule/*`],
    logs: (ctx) => [names.logGroupArn(ctx, `${names.logGroupPrefix(ctx)}*`)],
    iam: (ctx) => [names.environmentRoleArnPattern(ctx), names.managedPolicyArn(ctx, "*")],
    kms: (ctx) => [names.kmsKeyArnPattern(ctx)],
    // Artifact stores (one per wave region) and the release location.
    s3: (ctx) => [names.artifactBucketName(ctx), names.releaseBucketName(ctx)].map((b) => names.bucketArn(ctx, b)),
    sns: (ctx) => [names.topicArn(ctx, names.topicName(ctx, "*"))],
    sqs: (ctx) => [names.sqsQueueArn(ctx, names.eventsDeadLetterQueueName(ctx))],
    // Delivery metrics: the dashboard (its ARN has no region) and the alarms.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
    cloudwatch: (ctx) => [
        `arn:${ctx.partition}:cloudwatch::${ctx.accountId}:dashboard/${names.deliveryDashboardName(ctx)}`,
        names.cloudWatchAlarmArn(ctx, names.deliveryAlarmName(ctx, "*")),
    ],
    lambda: (ctx) => [names.lambdaFunctionArn(ctx, names.deliveryMetricsName(ctx))],
};

/**
 * What `pulumi preview --refresh` reads, and nothing that changes anything: the `read` actions of every resource
 * type of the deployer-policy table (`tools/deployer-policy/resource-types.ts`, the one list of what the stacks
 * create), on the resources of the environments deployed to this account. Every read is of access level Read or
 * List in the Service Authorization Reference (a test checks the table against its data). The AWS provider's exact
 * calls per resource are not documented by AWS; a read missing from the table shows up as AccessDenied in the PR
 * preview, which fails the check (fails closed). A service of the table with no scope here throws: a new type's
 * reads are never granted on more than its names.
 */
export function previewPolicy(
    accountId: string,
    environments: readonly string[],
    scopes: Readonly<Record<string, (ctx: names.NameContext) => string[]>> = SCOPES,
): PolicyDocument {
    const ctxs = environments.map((environment) => ({ environment, accountId, region: "*", partition: "aws" }));
    const byService = new Map<string, string[]>();
    for (const action of [...READ_ACTIONS].filter((a) => !UNSCOPED_READS.has(a)).sort()) {
        const service = action.split(":")[0];
        byService.set(service, [...(byService.get(service) ?? []), action]);
    }
    const scoped = [...byService].map(([service, actions]): Statement => {
        const scope = scopes[service];
        if (!scope)
            throw new Error(
                `the preview role reads ${actions.join(", ")}, but bootstrap/documents.ts does not say where the environments' ${service} resources are: add \`${service}\` to SCOPES.`,
            );
        return { Sid: `Read${sidPart(service)}`, Effect: "Allow", Action: actions, Resource: ctxs.flatMap(scope) };
    });
    return {
        Version: "2012-10-17",
        Statement: [
            ...scoped,
            // Reads with no resource type in the Service Authorization Reference: `*` is the only Resource they take.
            { Sid: "ReadWithoutResourceTypes", Effect: "Allow", Action: [...UNSCOPED_READS].sort(), Resource: ["*"] },
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
