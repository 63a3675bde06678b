import type { Statement } from "./build-policy";

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

/**
 * A customer managed policy holds at most 6,144 characters, whitespace not counted.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
 */
export const MANAGED_POLICY_MAX = 6144;

export const policySize = (doc: PolicyDocument): number => JSON.stringify(doc).replace(/\s/g, "").length;

const doc = (statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/**
 * Packs the statements into as few documents as fit the limit, in order; a statement too large on its own is cut
 * into statements over parts of its Resource list (Sids numbered), which grant exactly the same.
 */
export function splitIntoDocuments(statements: readonly Statement[], max = MANAGED_POLICY_MAX): PolicyDocument[] {
    const pieces = statements.flatMap((s) => fitStatement(s, max));
    const docs: Statement[][] = [];
    for (const piece of pieces) {
        const last = docs[docs.length - 1];
        if (last && policySize(doc([...last, piece])) <= max) last.push(piece);
        else docs.push([piece]);
    }
    return docs.map(doc);
}

function fitStatement(s: Statement, max: number): Statement[] {
    if (policySize(doc([s])) <= max) return [s];
    if (s.Resource.length < 2) throw new Error(`statement ${s.Sid} alone exceeds ${max} characters`);
    const half = Math.ceil(s.Resource.length / 2);
    return [
        ...fitStatement({ ...s, Sid: `${s.Sid}A`, Resource: s.Resource.slice(0, half) }, max),
        ...fitStatement({ ...s, Sid: `${s.Sid}B`, Resource: s.Resource.slice(half) }, max),
    ];
}
