import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { parseDeployerPolicy, type PolicyDocument } from "./documents";

/** The bootstrap's configuration, namespace `cicd-bootstrap`, checked before any resource is registered. */
export interface BootstrapConfig {
    readonly accountId: string;
    /** `owner/name` of the repository whose workflows may assume the roles. */
    readonly githubRepository: string;
    /** Per environment deployed to this account: the deployer policy its deploy role holds. */
    readonly environments: Readonly<Record<string, { readonly deployerPolicy: PolicyDocument }>>;
    /** An OIDC provider for GitHub that already exists in the account; otherwise the bootstrap creates one. */
    readonly existingOidcProviderArn?: string;
}

export const NAMESPACE = "cicd-bootstrap";

export class BootstrapConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`invalid bootstrap configuration:\n${problems.map((p) => `- ${p}`).join("\n")}`);
    }
}

// GitHub environment names become part of the OIDC subject and of IAM role names: keep both safe.
const ENV_NAME = /^[a-z][a-z0-9-]{0,31}$/;

const schema = z.object({
    accountId: z.string().regex(/^\d{12}$/),
    githubRepository: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/),
    environments: z.record(z.string(), z.object({ deployerPolicyFile: z.string().min(1) }).strict()),
    existingOidcProviderArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/)
        .optional(),
});

const FIX: Record<string, string> = {
    accountId: 'the 12-digit account id as a quoted string, e.g. "123456789012"',
    githubRepository: "`owner/name` of the repository, e.g. acme/pulumi-cicd-platform",
    environments: "a map from environment name to `{ deployerPolicyFile: <path> }`",
    existingOidcProviderArn: "the ARN of the account's token.actions.githubusercontent.com provider, or remove the key",
};

const keyOf = (issuePath: readonly PropertyKey[]): string =>
    [NAMESPACE + ":" + String(issuePath[0]), ...issuePath.slice(1).map(String)].join(".");

/** One schema issue as a sentence naming the key and the fix. */
function describeIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
    const top = String(issue.path[0] ?? "");
    if (issue.code === "unrecognized_keys")
        return `\`${keyOf(issue.path)}\` has unknown key(s) ${issue.keys.map((k) => `\`${k}\``).join(", ")}: the only key is \`deployerPolicyFile\`.`;
    if (top === "environments" && issue.path[2] === "deployerPolicyFile")
        return `\`${keyOf(issue.path)}\` is required: set it to the path (relative to bootstrap/) of the JSON \`npm run deployer-policy -- --stack ${String(issue.path[1])}\` prints.`;
    const missing = issue.path.length === 1 && raw[top] === undefined;
    return `\`${keyOf(issue.path)}\` ${missing ? "is required" : "is invalid"}: set it to ${FIX[top] ?? "a valid value"}.`;
}

/**
 * Validates raw config (values as Pulumi hands them over: strings, or objects for structured keys) and reads each
 * environment's deployer policy file, relative to `baseDir` (the bootstrap directory).
 */
export function readBootstrapConfig(raw: Record<string, unknown>, baseDir: string): BootstrapConfig {
    const problems: string[] = [];
    // An unquoted YAML number loses its leading zeros before it reaches the program.
    const isNumber = typeof raw.accountId === "number";
    const shortDigits = typeof raw.accountId === "string" && /^\d{1,11}$/.test(raw.accountId);
    if (isNumber)
        problems.push(`\`${NAMESPACE}:accountId\` is a YAML number; write it as a quoted string ("${raw.accountId}").`);
    else if (shortDigits)
        problems.push(
            `\`${NAMESPACE}:accountId\` has ${String(raw.accountId).length} digits, not 12: an unquoted YAML number loses its leading zeros; quote it, e.g. "012345678901".`,
        );
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            if (issue.path[0] === "accountId" && (isNumber || shortDigits)) continue;
            problems.push(describeIssue(issue, raw));
        }
        throw new BootstrapConfigError(problems);
    }
    const cfg = parsed.data;
    const names = Object.keys(cfg.environments);
    if (names.length === 0)
        problems.push(`\`${NAMESPACE}:environments\` is empty: list the environments deployed to this account.`);
    const environments: Record<string, { deployerPolicy: PolicyDocument }> = {};
    for (const env of names) {
        const key = `${NAMESPACE}:environments.${env}.deployerPolicyFile`;
        if (!ENV_NAME.test(env)) {
            problems.push(
                `\`${NAMESPACE}:environments.${env}\`: "${env}" is not a usable GitHub environment name; use lower-case letters, digits and hyphens (at most 32).`,
            );
            continue;
        }
        const file = path.resolve(baseDir, cfg.environments[env].deployerPolicyFile);
        const command = `\`npm run --silent deployer-policy -- --stack ${env} > ${path.relative(process.cwd(), file) || file}\``;
        if (!fs.existsSync(file)) {
            problems.push(`\`${key}\`: ${file} does not exist; generate it with ${command}.`);
            continue;
        }
        try {
            environments[env] = { deployerPolicy: parseDeployerPolicy(fs.readFileSync(file, "utf8")) };
        } catch (e) {
            problems.push(`\`${key}\` (${file}): ${(e as Error).message} Regenerate it with ${command}.`);
        }
    }
    if (cfg.existingOidcProviderArn && cfg.existingOidcProviderArn.split(":")[4] !== cfg.accountId)
        problems.push(
            `\`${NAMESPACE}:existingOidcProviderArn\` is in account ${cfg.existingOidcProviderArn.split(":")[4]}, not \`${NAMESPACE}:accountId\` ${cfg.accountId}; use this account's provider.`,
        );
    if (problems.length > 0) throw new BootstrapConfigError(problems);
    return {
        accountId: cfg.accountId,
        githubRepository: cfg.githubRepository,
        environments,
        ...(cfg.existingOidcProviderArn ? { existingOidcProviderArn: cfg.existingOidcProviderArn } : {}),
    };
}
