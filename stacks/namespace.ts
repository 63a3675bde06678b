import { closest, distance } from "fastest-levenshtein";
import type { ConfigIssue } from "./config-error";
import { PROJECT_FILE } from "./service-layers";

/** The keys of the `cicd:` namespace the program reads (`stacks/load.ts`); any other is a mistake. */
export const NAMESPACE_KEYS = ["cicd:environment", "cicd:serviceDefaults", "cicd:services"] as const;

/**
 * Keys under `cicd:` that the program does not read. Pulumi hands the program every key of the stack file and of
 * Pulumi.yaml's project-level config, known or not (https://www.pulumi.com/docs/iac/concepts/config/), so a
 * misspelt `cicd:servics` would otherwise drop that file's overrides without a word. The nearest valid key is
 * suggested when it is a few edits away.
 */
export function unknownNamespaceKeys(keys: Iterable<string>, stackFile: string): ConfigIssue[] {
    return [...keys]
        .filter((key) => key.startsWith("cicd:") && !(NAMESPACE_KEYS as readonly string[]).includes(key))
        .sort()
        .map((key) => {
            const nearest = closest(key, [...NAMESPACE_KEYS]);
            const near = distance(key, nearest) <= Math.max(2, Math.floor(key.length / 4));
            const hint = near ? ` Did you mean \`${nearest}\`? Rename it.` : " Rename or remove it.";
            return {
                path: [key.slice("cicd:".length)],
                message: `is not a key the platform reads, so its value would be ignored.${hint} The \`cicd:\` keys are \`cicd:environment\` and \`cicd:services\` (in ${stackFile}) and \`cicd:serviceDefaults\` (in ${PROJECT_FILE}).`,
            };
        });
}
