/**
 * Secret detection for plaintext values (environment variables of builds and pipeline actions).
 *
 * Known token formats come from secretlint's recommended preset (GitHub, npm, Slack, AWS, GCP,
 * private keys, basic auth and database connection strings...), run in-process: a maintained rule
 * set rather than a hand-written list. Version 11, as in the platform's config validation
 * (stacks/secret-scan.ts): 12 and later require Node 22, and the product runs on Node 20. Three checks complete it: AWS access key ids on their own
 * (the preset's AWS rule looks for key pairs), credentials in any `scheme://user:password@` URL
 * (the preset covers http(s) and some databases, not redis/amqp), and high-entropy tokens.
 *
 * A value that refers to a secret instead of holding it (an ARN, a Parameter Store name) is not a
 * secret, and neither is a variable whose name says it holds a reference (`*_ARN`, `*_PARAMETER`).
 * This module is plain: the platform's config validation can use the same detector.
 */
type Secretlint = Pick<typeof import("@secretlint/core"), "lintSource">;
type Preset = typeof import("@secretlint/secretlint-rule-preset-recommend");

let secretlint: { lintSource: Secretlint["lintSource"]; config: unknown } | undefined;

/** secretlint is loaded on first use: the pack's start-up (every plan and audit) does not pay for it. */
function loadSecretlint(): { lintSource: Secretlint["lintSource"]; config: unknown } {
    if (secretlint === undefined) {
        const core = require("@secretlint/core") as Secretlint;
        const preset = require("@secretlint/secretlint-rule-preset-recommend") as Preset;
        const rules = [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: preset.creator }];
        secretlint = { lintSource: core.lintSource, config: { rules } };
    }
    return secretlint;
}

/** Names that say "secret": *PASSWORD*, *SECRET*, *TOKEN*, *_KEY, *CREDENTIAL* (case-insensitive). */
export const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|_KEY$|^KEY$/i;
/** Names that say "a reference to a secret": the value is an ARN, a parameter or secret name. */
export const REFERENCE_NAME = /(_ARN|_PARAMETER|_PARAMETER_NAME|_PARAM|_SSM_PATH)$/i;

/** An ARN, or a Parameter Store hierarchy name (`/app/prod/db-password`). */
export function isSecretReference(value: string): boolean {
    return /^arn:aws[a-z-]*:[a-z0-9-]+:/.test(value) || /^\/[\w.-]+(\/[\w.-]+)+$/.test(value);
}

const ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;
const TOKEN_LIKE = /^[A-Za-z0-9+/=_-]{20,}$/;

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
    const counts = new Map<string, number>();
    for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let bits = 0;
    for (const count of counts.values()) {
        const p = count / value.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}

/**
 * A random-looking token: 20+ characters of a base64/hex alphabet mixing at least three of lower
 * case, upper case, digits and symbols, with at least 4 bits of entropy per character (English
 * words and identifiers stay well below; random base64 is near 6).
 */
export function isHighEntropyToken(value: string): boolean {
    if (!TOKEN_LIKE.test(value)) return false;
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[+/=_-]/].filter((c) => c.test(value)).length;
    return classes >= 3 && entropy(value) >= 4;
}

/** What kind of secret a plaintext value holds ("a GitHub token (secretlint rule ...)"), or undefined. */
export async function secretInValue(value: string): Promise<string | undefined> {
    if (value.trim() === "" || isSecretReference(value)) {
        return undefined;
    }
    const { lintSource, config } = loadSecretlint();
    const result = await lintSource({
        source: { filePath: "/environment-variable", content: value, ext: "", contentType: "text" },
        options: { config: config as never },
    });
    const [first] = result.messages;
    if (first !== undefined) {
        return `a credential (secretlint ${first.ruleId}: ${first.messageId})`;
    }
    if (ACCESS_KEY_ID.test(value)) return "an AWS access key id";
    if (URL_CREDENTIALS.test(value)) return "a URL with a password in it";
    if (isHighEntropyToken(value)) return "a high-entropy token";
    return undefined;
}

/** A plaintext variable: its name and, if known, its value. */
export interface PlaintextVariable {
    name: string;
    /** Undefined when unknown during preview. */
    value: string | undefined;
}

/** Why a plaintext variable holds a secret ("its value looks like ..."), or undefined. The value is never echoed. */
export async function plaintextSecretProblem(variable: PlaintextVariable): Promise<string | undefined> {
    if (
        REFERENCE_NAME.test(variable.name) &&
        (variable.value === undefined || !(await secretInValue(variable.value)))
    ) {
        return undefined;
    }
    if (variable.value !== undefined) {
        const kind = await secretInValue(variable.value);
        if (kind !== undefined) return `its value looks like ${kind}`;
        if (isSecretReference(variable.value)) return undefined;
    }
    return SECRET_NAME.test(variable.name) ? "its name looks like a secret" : undefined;
}

/** Shell and pipeline variable references (`$TOKEN`, `${TOKEN}`, `#{Source.CommitId}`): they name a value, not hold one. */
const VARIABLE_REFERENCE = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|#\{[^}]*\}/g;

/**
 * What kind of secret a shell command spells out literally (`curl -H "Authorization: token ghp_..."`), or undefined.
 * Variable references are removed first, so `https://user:${TOKEN}@host` is not a password in a URL.
 */
export async function secretInCommand(command: string): Promise<string | undefined> {
    return secretInValue(command.replace(VARIABLE_REFERENCE, ""));
}
