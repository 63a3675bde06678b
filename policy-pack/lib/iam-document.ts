/**
 * Normalises IAM policy documents as they reach a policy: JSON strings, objects (Pulumi's
 * `aws.iam.PolicyDocument` inputs are sent as objects), unknown sentinels in preview, or garbage.
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * (Statement may be one object or an array; Action/Resource/NotAction/NotResource a string or an
 * array of strings; element and key names are case-sensitive, action names are not).
 * A Statement, or one statement, that is itself a JSON string (built with `JSON.stringify` inside an `apply`) is
 * decoded and judged too: whether AWS would accept it is beside the point, the grant it spells out is read.
 */
import { asArray, asBag, asString, Bag, isUnknown, plain } from "./props";

export interface Statement {
    /** "statement 2 (Sid 'ReadArtifacts')": how messages point at it. */
    label: string;
    /** True only for an explicit, known "Deny": a Deny never grants anything. */
    isDeny: boolean;
    /** Effect is an unknown value: the statement can't be judged in preview. */
    effectUnknown: boolean;
    actions: string[];
    resources: string[];
    hasNotAction: boolean;
    /**
     * The NotAction patterns: the statement covers every action none of them matches. `["*"]` (covers nothing) when
     * NotAction is unknown or has an unknown element, so a preview never reads a grant the deploy may not make.
     */
    notActions: string[];
    hasNotResource: boolean;
    hasNotPrincipal: boolean;
    principal: unknown;
    condition: Bag | undefined;
    /** Condition is an unknown value (preview): what it restricts can't be judged. */
    conditionUnknown: boolean;
}

export type ParsedDocument =
    | { kind: "absent" }
    | { kind: "unknown" }
    | { kind: "invalid"; reason: string }
    | { kind: "ok"; statements: Statement[] };

/** Known strings of a string-or-array field; unknown elements are dropped (they name nothing). */
export function stringList(value: unknown): string[] {
    const items = Array.isArray(value) ? value : [value];
    return items.map(asString).filter((s): s is string => s !== undefined);
}

function statementLabel(index: number, sid: string | undefined): string {
    return sid ? `statement ${index + 1} (Sid '${sid}')` : `statement ${index + 1}`;
}

function notActionPatterns(value: unknown): string[] {
    if (value === undefined) return [];
    const items = Array.isArray(value) ? value : [value];
    return items.some((item) => asString(item) === undefined) ? ["*"] : stringList(value);
}

function toStatement(raw: unknown, index: number): Statement | undefined {
    const bag = asBag(decode(raw));
    if (!bag) {
        return undefined;
    }
    return {
        label: statementLabel(index, asString(bag["Sid"])),
        isDeny: bag["Effect"] === "Deny",
        effectUnknown: isUnknown(bag["Effect"]),
        actions: stringList(bag["Action"]),
        resources: stringList(bag["Resource"]),
        hasNotAction: bag["NotAction"] !== undefined,
        notActions: notActionPatterns(bag["NotAction"]),
        hasNotResource: bag["NotResource"] !== undefined,
        hasNotPrincipal: bag["NotPrincipal"] !== undefined,
        principal: bag["Principal"],
        condition: asBag(bag["Condition"]),
        conditionUnknown: isUnknown(bag["Condition"]),
    };
}

function decode(value: unknown): unknown {
    const data = plain(value);
    if (typeof data !== "string" || isUnknown(data)) {
        return data;
    }
    try {
        return JSON.parse(data);
    } catch {
        return Symbol.for("invalid-json");
    }
}

/** Parse a policy document; never throws. */
export function parsePolicyDocument(value: unknown): ParsedDocument {
    if (value === undefined || value === null || value === "") {
        return { kind: "absent" };
    }
    const data = decode(value);
    if (isUnknown(data)) {
        return { kind: "unknown" };
    }
    const doc = asBag(data);
    if (!doc) {
        return { kind: "invalid", reason: "it is not a JSON object" };
    }
    const rawStatements = decode(doc["Statement"]);
    if (isUnknown(rawStatements)) {
        return { kind: "unknown" };
    }
    const list = asArray(rawStatements) ?? (asBag(rawStatements) ? [rawStatements] : undefined);
    if (!list) {
        return { kind: "invalid", reason: "it has no Statement" };
    }
    const statements = list.map((raw, index) => toStatement(raw, index)).filter((s): s is Statement => s !== undefined);
    return { kind: "ok", statements };
}

/** Statements that can grant something: known, not Deny. */
export function grantingStatements(doc: ParsedDocument): Statement[] {
    return doc.kind === "ok" ? doc.statements.filter((s) => !s.isDeny && !s.effectUnknown) : [];
}

/** Compiled patterns: policies test the same few patterns against many values (thousands per stack). */
const wildcardPatterns = new Map<string, RegExp>();

/** Shell-style IAM wildcard match (`*` any run, `?` one character), case-insensitive. */
export function wildcardMatches(pattern: string, value: string): boolean {
    let regex = wildcardPatterns.get(pattern);
    if (regex === undefined) {
        const body = pattern
            .split("")
            .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
            .join("");
        regex = new RegExp(`^${body}$`, "i");
        // Bounded: a pack process analyses stack after stack.
        if (wildcardPatterns.size >= 50_000) wildcardPatterns.clear();
        wildcardPatterns.set(pattern, regex);
    }
    return regex.test(value);
}

/**
 * Does the statement cover `action` (e.g. "iam:PassRole")? Through an Action pattern, or through NotAction: a
 * statement with NotAction covers every action it does not list
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html).
 */
export function grantsAction(statement: Statement, action: string): boolean {
    if (statement.hasNotAction) {
        return !statement.notActions.some((pattern) => wildcardMatches(pattern, action));
    }
    return statement.actions.some((pattern) => wildcardMatches(pattern, action));
}

/** `*`, or an ARN whose whole resource part is `*` (`arn:aws:s3:::*`, `arn:aws:iam::1:*`). */
export function isWildcardResource(resource: string): boolean {
    return resource === "*" || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource);
}

/**
 * Not a named resource: a wildcard resource, or every resource of one type (`role/*`,
 * `function:*`). A log-group ARN such as `log-group:/app:*` names one group and is not broad.
 */
export function isBroadResource(resource: string): boolean {
    if (isWildcardResource(resource)) {
        return true;
    }
    const match = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.*)$/.exec(resource);
    return match !== null && /^[A-Za-z-]+[/:]\*$/.test(match[1]);
}
