// aws.iam.getPolicyDocument renders its typed statements to IAM JSON in the provider; under mocks
// the plan renders them itself so programs that use it get a real document to attach and audit.
// Field mapping: https://www.pulumi.com/registry/packages/aws/api-docs/iam/getpolicydocument/
type Principal = { type: string; identifiers: string[] };
type Condition = { test: string; variable: string; values: string[] };
interface Statement {
    sid?: string;
    effect?: string;
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: Principal[];
    notPrincipals?: Principal[];
    conditions?: Condition[];
}

const one = (values: string[]) => (values.length === 1 ? values[0] : values);

function principals(list: Principal[]): Record<string, string | string[]> | string {
    if (list.length === 1 && list[0].type === "*") return "*";
    const out: Record<string, string[]> = {};
    for (const p of list) out[p.type] = [...(out[p.type] ?? []), ...p.identifiers];
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, one(v)]));
}

function conditions(list: Condition[]): Record<string, Record<string, string | string[]>> {
    const out: Record<string, Record<string, string | string[]>> = {};
    for (const c of list) out[c.test] = { ...out[c.test], [c.variable]: one(c.values) };
    return out;
}

function statement(s: Statement): Record<string, unknown> {
    const out: Record<string, unknown> = { Effect: s.effect ?? "Allow" };
    if (s.sid) out.Sid = s.sid;
    if (s.actions?.length) out.Action = one(s.actions);
    if (s.notActions?.length) out.NotAction = one(s.notActions);
    if (s.resources?.length) out.Resource = one(s.resources);
    if (s.notResources?.length) out.NotResource = one(s.notResources);
    if (s.principals?.length) out.Principal = principals(s.principals);
    if (s.notPrincipals?.length) out.NotPrincipal = principals(s.notPrincipals);
    if (s.conditions?.length) out.Condition = conditions(s.conditions);
    return out;
}

export function policyDocument(inputs: { version?: string; statements?: Statement[] }): string {
    return JSON.stringify({
        Version: inputs.version ?? "2012-10-17",
        Statement: (inputs.statements ?? []).map(statement),
    });
}
