import type { ConfigIssue } from "./config-error";
import { findSecrets } from "./secret-scan";
import type { ServiceConfig } from "./service-schema";

/**
 * Secrets written into build and test commands. Inline commands become the project's buildspec, which is stored in
 * the project in plain text and returned to anyone allowed `codebuild:BatchGetProjects` (`source.buildspec`,
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html), and every command is echoed
 * into the build log. Secrets belong in `secrets`, which CodeBuild resolves at run time into variables
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager).
 * Found by value with the project's one detector (`stacks/secret-scan.ts`), and by name where a command assigns a
 * literal to a secret-looking variable (`AWS_SECRET_ACCESS_KEY=...`).
 */

/** Names that look like a secret (the same rule as plain variables, `stacks/build-rules.ts`). */
export const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE|(^|_)KEY$|API_?KEY/i;

/** AWS access key ids, which secretlint reports only next to a secret access key. */
export const AWS_ACCESS_KEY = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;

/** `NAME=value` in a shell command (also after `export`), with the literal value, unquoted. */
const ASSIGNMENT = /(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|)]*)/g;

/** A value that is not a literal: a variable, a command substitution, or nothing. */
const NOT_LITERAL = /^["']?(\$|$)/;

interface Command {
    readonly path: readonly PropertyKey[];
    readonly value: string;
    /** Config key of the secrets this command can use. */
    readonly secretsKey: string;
}

function commandsOf(services: readonly ServiceConfig[]): Command[] {
    return services.flatMap((service, i) => {
        const list = (path: readonly PropertyKey[], values: readonly string[] | undefined, secretsKey: string) =>
            (values ?? []).map((value, n) => ({ path: ["services", i, ...path, n], value, secretsKey }));
        const { commands } = service.build;
        return [
            ...list(["build", "commands", "install"], commands?.install, "build.secrets"),
            ...list(["build", "commands", "build"], commands?.build, "build.secrets"),
            ...list(["build", "commands", "postBuild"], commands?.postBuild, "build.secrets"),
            ...Object.entries(service.tests).flatMap(([id, suite]) => [
                ...list(["tests", id, "install"], suite?.install, `tests.${id}.secrets`),
                ...list(["tests", id, "commands"], suite?.commands, `tests.${id}.secrets`),
            ]),
        ];
    });
}

const fix = (secretsKey: string, variable: string) =>
    `Commands are stored in the project's buildspec and printed in the build log. Store the secret in Parameter Store or Secrets Manager, reference it from \`${secretsKey}\` as { parameter: "/path" } or { secretArn: "arn:aws:secretsmanager:..." }, and use the variable in the command (like \`${variable}\`).`;

/** The first secret-looking variable the command assigns a literal to. */
function literalSecretAssignment(command: string): string | undefined {
    for (const [, name, value] of command.matchAll(ASSIGNMENT))
        if (SECRET_NAME.test(name) && !NOT_LITERAL.test(value)) return name;
    return undefined;
}

export function commandSecrets({ services }: { services: readonly ServiceConfig[] }): ConfigIssue[] {
    const commands = commandsOf(services);
    const byValue = new Map(findSecrets(commands.map((c) => c.value)).map((f) => [f.index, f.detector]));
    return commands.flatMap(({ path, value, secretsKey }, index): ConfigIssue[] => {
        if (AWS_ACCESS_KEY.test(value))
            return [
                {
                    path,
                    message:
                        "holds an AWS access key id in plain text. Remove it: builds and tests get credentials from their project's role.",
                },
            ];
        const detector = byValue.get(index);
        if (detector)
            return [
                {
                    path,
                    message: `holds a secret in plain text (found by ${detector}). ${fix(secretsKey, "$TOKEN")}`,
                },
            ];
        const name = literalSecretAssignment(value);
        if (name)
            return [
                {
                    path,
                    message: `assigns a plaintext value to \`${name}\`, which looks like a secret. ${fix(secretsKey, `$${name}`)}`,
                },
            ];
        return [];
    });
}
