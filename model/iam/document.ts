/**
 * IAM policy documents as plain data: what every generator in `model/iam/` returns, and what the Pulumi
 * components serialise with `JSON.stringify`.
 */

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export type Principal =
    | "*"
    | {
          readonly AWS?: string | string[];
          readonly Service?: string | string[];
          readonly Federated?: string | string[];
      };

export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource?: string[];
    /** Only in resource policies (key, bucket, topic) and trust policies. */
    Principal?: Principal;
    Condition?: ConditionBlock;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

/**
 * Refs shared by every pipeline of an environment (its artifact store). The bucket name is planned; the key ARN is
 * only known once the key exists (KMS generates its id), so documents that name it are functions of these refs.
 */
export interface EnvironmentRefs {
    readonly keyArn: string;
    readonly bucketName: string;
    /** Waves: the KMS key of the environment's artifact store in each other region, by region. @default {} */
    readonly regionalKeyArns?: Readonly<Record<string, string>>;
}

/**
 * Actions that have no resource type in the Service Authorization Reference must be granted on `*`; the
 * generators put each of them in a statement of its own (built with this helper) and cite the page.
 */
export const ANY_RESOURCE = "*";

/** An Allow statement; `undefined` when there is nothing to allow, so callers can list optional statements. */
export function allow(
    sid: string,
    actions: readonly string[],
    resources: readonly string[],
    condition?: ConditionBlock,
): Statement | undefined {
    if (actions.length === 0 || resources.length === 0) return undefined;
    return {
        Sid: sid,
        Effect: "Allow",
        Action: [...actions],
        Resource: unique(resources),
        ...(condition ? { Condition: condition } : {}),
    };
}

/** A document from statements, dropping the absent ones and refusing duplicate Sids (IAM rejects them). */
export function policy(statements: readonly (Statement | undefined)[]): PolicyDocument {
    const present = statements.filter((s): s is Statement => s !== undefined);
    const sids = new Set<string>();
    for (const s of present) {
        if (sids.has(s.Sid)) throw new Error(`duplicate statement id ${s.Sid}`);
        sids.add(s.Sid);
    }
    return { Version: "2012-10-17", Statement: present };
}

export const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Statement ids must be alphanumeric; turns `ecs-rolling` into `EcsRolling`. */
export const sidPart = (text: string): string =>
    text
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join("");
