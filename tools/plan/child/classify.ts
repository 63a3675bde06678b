// Decides whether a program failure is a configuration error (print the message, no stack) or a
// crash (print a stack). Pulumi's own config errors (ConfigMissingError, ConfigTypeError, ...) are
// RunErrors, which the Pulumi language host also prints without a stack (@pulumi/pulumi errors.ts);
// a program's validation error is recognised by naming a config key of this stack, e.g.
// "cicd:services[1].deploy.kind: ...".
export interface ProgramFailure {
    /** "config": the program rejected its configuration; "crash": anything else. */
    kind: "config" | "crash";
    message: string;
    stack?: string;
}

const PROGRAMMING_ERRORS = new Set([
    "TypeError",
    "ReferenceError",
    "SyntaxError",
    "RangeError",
    "EvalError",
    "URIError",
]);

export function classifyFailure(err: unknown, configNamespaces: string[]): ProgramFailure {
    if (!(err instanceof Error)) {
        return { kind: "crash", message: String(err) };
    }
    return { kind: isConfigError(err, configNamespaces) ? "config" : "crash", message: err.message, stack: err.stack };
}

function isConfigError(err: Error, namespaces: string[]): boolean {
    if ((err as { __pulumiRunError?: boolean }).__pulumiRunError || /config/i.test(err.name)) return true;
    if (PROGRAMMING_ERRORS.has(err.name)) return false;
    const escaped = namespaces.map((ns) => ns.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    return escaped.length > 0 && new RegExp(`(^|[\\s'"\`(])(${escaped.join("|")}):[A-Za-z_]`).test(err.message);
}
