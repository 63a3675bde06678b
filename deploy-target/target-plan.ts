import {
    artifactBucketName,
    artifactFolder,
    artifactKeyAlias,
    deployAccountOf,
    passRolesOf,
    pipelineContext,
    pipelineName,
    pipelineRoleArn,
    validatePipelineConfig,
    type NameContext,
    type ServiceConfig,
} from "./platform";

/** The target stack's own config (`cicd-deploy-target:*`), as read from Pulumi. */
export interface TargetSettings {
    /** Stack of the main project whose pipelines deploy here, e.g. `prod`. */
    readonly pipelineStack: string;
    /** This account: the one the deploy role is created in. */
    readonly accountId: string;
    /** `aws:region` of this stack, when set. */
    readonly awsRegion?: string;
    /** ARN of the pipeline environment's artifact key, once known (the pipeline stack's `artifactKeyArn` output). */
    readonly artifactKeyArn?: string;
}

/** One pipeline that deploys into this account. */
export interface TargetPipeline {
    readonly service: ServiceConfig;
    readonly pipelineName: string;
    readonly pipelineRoleArn: string;
    readonly artifactFolder: string;
}

/** Everything the deploy role is built from; pure data. */
export interface TargetPlan {
    /** The pipeline environment (its account, region and names). */
    readonly pipeline: NameContext;
    /** The same names, in this account. */
    readonly target: NameContext;
    readonly role: { readonly arn: string; readonly name: string; readonly path: string };
    readonly pipelines: readonly TargetPipeline[];
    readonly artifactBucket: string;
    readonly artifactKeyAlias: string;
    readonly artifactKeyArn?: string;
}

export const NAMESPACE = "cicd-deploy-target";
const key = (name: string) => `${NAMESPACE}:${name}`;

/** IAM limits: role names 1-64 characters, paths up to 512 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const MAX_ROLE_NAME = 64;
const MAX_ROLE_PATH = 512;

/** `arn:aws:iam::111122223333:role/cicd/prod/site-deployer` → path `/cicd/prod/`, name `site-deployer`. */
export function splitRoleArn(arn: string): { partition: string; account: string; path: string; name: string } {
    const match = /^arn:(aws[a-z-]*):iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
    if (!match) throw new Error(`not an IAM role ARN: ${arn}`);
    return { partition: match[1], account: match[2], path: match[3], name: match[4] };
}

const ACCOUNT_ID = /^\d{12}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;

/**
 * Plans the deploy role of one target account from the main project's validated config. Throws a ConfigError
 * naming every problem (target keys as `cicd-deploy-target:*`, main-project keys as `cicd:*`) before any resource
 * is registered.
 */
export function planTarget(settings: TargetSettings, mainConfig: Record<string, unknown>): TargetPlan {
    const stackFile = `Pulumi.${settings.pipelineStack}.yaml`;
    const own = ownIssues(settings);
    if (own.length > 0) throw new TargetConfigError(own);
    const platform = validatePipelineConfig(mainConfig, settings.pipelineStack);
    const pipeline = pipelineContext(platform);
    const target: NameContext = { ...pipeline, accountId: settings.accountId };
    const issues: string[] = [];
    if (settings.accountId === pipeline.accountId)
        issues.push(
            `\`${key("accountId")}\` is the pipeline account of ${stackFile} itself. Deploys in that account need no deploy-target stack: remove this stack, or set the account the deploys land in.`,
        );
    if (settings.awsRegion !== undefined && settings.awsRegion !== pipeline.region)
        issues.push(
            `\`aws:region\` is "${settings.awsRegion}", but the pipelines of ${stackFile} deploy in "${pipeline.region}" (\`cicd:environment.region\`). Set \`aws:region\` to "${pipeline.region}".`,
        );
    const roleArn = platform.environment.deployRoleArns[settings.accountId];
    if (!roleArn)
        issues.push(
            `\`cicd:environment.deployRoleArns\` in ${stackFile} has no role for account ${settings.accountId}. Add "${settings.accountId}": arn:${pipeline.partition}:iam::${settings.accountId}:role/<name> there first: this stack creates that role.`,
        );
    const services = platform.services.filter((s) => deployAccountOf(s) === settings.accountId);
    if (services.length === 0)
        issues.push(
            `no service in ${stackFile} deploys to account ${settings.accountId}. Set \`deploy.accountId\` on the services that deploy here, or check \`${key("accountId")}\`.`,
        );
    services.forEach((service) => {
        const foreign = passRolesOf(service).filter((arn) => !arn.includes(`::${settings.accountId}:`));
        if (foreign.length > 0)
            issues.push(
                `\`cicd:services.${service.name}.deploy.passRoleArns\` (in ${stackFile} or Pulumi.yaml's \`cicd:serviceDefaults\`) lists ${foreign.join(", ")}, outside account ${settings.accountId}, where the service runs. ECS can only be passed roles of its own account: list the task roles of account ${settings.accountId}.`,
            );
    });
    if (
        settings.artifactKeyArn !== undefined &&
        !settings.artifactKeyArn.includes(`:${pipeline.region}:${pipeline.accountId}:key/`)
    )
        issues.push(
            `\`${key("artifactKeyArn")}\` is "${settings.artifactKeyArn}", which is not a key of account ${pipeline.accountId} in ${pipeline.region}. Use the \`artifactKeyArn\` output of the ${settings.pipelineStack} stack, or remove the key.`,
        );
    const role = roleArn ? roleIssues(roleArn, pipeline.partition, issues) : undefined;
    if (issues.length > 0 || !role) throw new TargetConfigError(issues);
    return {
        pipeline,
        target,
        role: { arn: roleArn, ...role },
        pipelines: services.map((service) => ({
            service,
            pipelineName: pipelineName(pipeline, service.name),
            pipelineRoleArn: pipelineRoleArn(pipeline, service.name),
            artifactFolder: artifactFolder(pipeline, service.name),
        })),
        artifactBucket: artifactBucketName(pipeline),
        artifactKeyAlias: artifactKeyAlias(pipeline),
        ...(settings.artifactKeyArn ? { artifactKeyArn: settings.artifactKeyArn } : {}),
    };
}

function ownIssues(settings: TargetSettings): string[] {
    const issues: string[] = [];
    if (!ACCOUNT_ID.test(settings.accountId))
        issues.push(
            `\`${key("accountId")}\` is "${settings.accountId}", not a 12-digit AWS account id. Set it to this account's id, quoted in YAML (like "444455556666") so leading zeros survive.`,
        );
    if (settings.artifactKeyArn !== undefined && !KEY_ARN.test(settings.artifactKeyArn))
        issues.push(
            `\`${key("artifactKeyArn")}\` is "${settings.artifactKeyArn}", not a KMS key ARN. Use the \`artifactKeyArn\` output of the pipeline stack (arn:aws:kms:<region>:<account>:key/<id>), or remove the key.`,
        );
    return issues;
}

function roleIssues(arn: string, partition: string, issues: string[]): { name: string; path: string } | undefined {
    const role = splitRoleArn(arn);
    const at = `\`cicd:environment.deployRoleArns\` entry ${arn}`;
    if (role.partition !== partition)
        issues.push(
            `${at} is in partition ${role.partition}, but the pipelines run in ${partition}. Use arn:${partition}:….`,
        );
    if (role.name.length > MAX_ROLE_NAME)
        issues.push(
            `${at} has a role name of ${role.name.length} characters; IAM allows ${MAX_ROLE_NAME}. Shorten it.`,
        );
    if (role.path.length > MAX_ROLE_PATH)
        issues.push(`${at} has a path of ${role.path.length} characters; IAM allows ${MAX_ROLE_PATH}. Shorten it.`);
    return issues.length > 0 ? undefined : { name: role.name, path: role.path };
}

/** A target-stack config error: every problem at once, each naming its key. */
export class TargetConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(
            `Invalid deploy-target configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "TargetConfigError";
    }
}
