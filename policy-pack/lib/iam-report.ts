/** Shared walk for identity-policy rules: parse each document a resource carries, judge statements. */
import { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { grantingStatements, parsePolicyDocument, Statement } from "./iam-document";
import { identityPolicies } from "./iam-sources";

/** Returns the messages for one granting statement of a document (may be async: iam-data reads files). */
export type StatementCheck = (subject: string, statement: Statement) => string[] | Promise<string[]>;

/** Whole-document check (for combinations of statements). */
export type DocumentCheck = (subject: string, statements: Statement[]) => string[] | Promise<string[]>;

/**
 * Runs a check over every granting (non-Deny, known-Effect) statement of every identity policy the
 * resource carries. Unknown or unparsable documents are skipped: in preview a computed document
 * can't be judged, and AWS itself rejects an unparsable one at deploy time.
 */
export async function checkIdentityDocuments(
    args: ResourceValidationArgs,
    report: ReportViolation,
    check: DocumentCheck,
): Promise<void> {
    for (const source of identityPolicies(args)) {
        const statements = grantingStatements(parsePolicyDocument(source.document));
        for (const message of await check(source.subject, statements)) {
            report(message);
        }
    }
}

/** Adapts a per-statement check to a document check. */
export function eachStatement(check: StatementCheck): DocumentCheck {
    return async (subject, statements) => {
        const messages: string[] = [];
        for (const statement of statements) {
            messages.push(...(await check(subject, statement)));
        }
        return messages;
    };
}

/** "a, b, c and 2 more": keeps messages readable when a pattern expands to many actions. */
export function listSome(items: string[], max = 5): string {
    const shown = items.slice(0, max).join(", ");
    return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
