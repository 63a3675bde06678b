import * as path from "node:path";
import { createSyncFn } from "synckit";

/** A value that holds a secret, and which detector found it. */
export interface SecretFinding {
    readonly index: number;
    readonly detector: string;
}

let scan: ((values: readonly string[]) => { index: number; ruleId: string }[]) | undefined;

/**
 * Credentials in a URL (`scheme://user:password@host`), whatever the host or the password: secretlint's rules skip
 * values that look like placeholders (`postgres://user:password@host/db`), but a plaintext variable must not carry a
 * password even then. Parsed with the WHATWG URL parser, not a pattern.
 */
function urlWithPassword(value: string): boolean {
    for (const word of value.split(/\s+/)) {
        if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(word)) continue;
        try {
            if (new URL(word).password !== "") return true;
        } catch {
            // Not a URL after all.
        }
    }
    return false;
}

/**
 * Finds secrets in plain values with secretlint's recommended preset (tokens of GitHub, npm, Slack, AWS, private
 * keys, connection strings, basic auth...), run in-process in a worker thread through synckit because secretlint is
 * asynchronous and ESM-only while validation is synchronous. One worker serves every call; it starts on first use.
 */
export function findSecrets(values: readonly string[]): SecretFinding[] {
    if (values.length === 0) return [];
    scan ??= createSyncFn(path.join(__dirname, "secret-scan.worker.mjs"));
    const found = new Map<number, string>();
    values.forEach((value, index) => {
        if (urlWithPassword(value)) found.set(index, "a password in a URL");
    });
    for (const { index, ruleId } of scan(values)) if (!found.has(index)) found.set(index, ruleId);
    return [...found.entries()].sort(([a], [b]) => a - b).map(([index, detector]) => ({ index, detector }));
}
