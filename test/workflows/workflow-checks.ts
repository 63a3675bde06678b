import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { PINNED_ACTIONS } from "./pinned-actions";

/**
 * The delivery invariants of our GitHub workflows, as checks over the parsed YAML. Each check returns findings
 * (empty means the invariant holds), so the tests run them on the real workflows and on broken copies.
 */

export const WORKFLOW_DIR = path.join(__dirname, "..", "..", ".github", "workflows");

export interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, unknown>;
}

export interface Job {
    readonly uses?: string;
    readonly needs?: string | string[];
    readonly environment?: string | { name: string };
    readonly concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
    readonly permissions?: string | Record<string, string>;
    readonly env?: Record<string, unknown>;
    readonly steps?: Step[];
}

export interface Workflow {
    readonly file: string;
    /** The raw text, for what parsing drops (comments beside `uses:`). */
    readonly text: string;
    readonly on: Record<string, unknown>;
    readonly permissions?: string | Record<string, string>;
    readonly env?: Record<string, unknown>;
    readonly jobs: Record<string, Job>;
}

export function parseWorkflow(file: string, text: string): Workflow {
    const doc = YAML.parse(text);
    const on =
        typeof doc.on === "string"
            ? { [doc.on]: null }
            : Array.isArray(doc.on)
              ? Object.fromEntries(doc.on.map((t: string) => [t, null]))
              : doc.on;
    return { ...doc, file, text, on };
}

export const loadWorkflows = (): Workflow[] =>
    fs
        .readdirSync(WORKFLOW_DIR)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => parseWorkflow(f, fs.readFileSync(path.join(WORKFLOW_DIR, f), "utf8")));

/** A deep copy whose parsed document `edit` may change, for the tests of the checks themselves. */
export function mutate(wf: Workflow, edit: (doc: any) => void): Workflow {
    const doc = structuredClone({ on: wf.on, permissions: wf.permissions, env: wf.env, jobs: wf.jobs });
    edit(doc);
    return { ...doc, file: wf.file, text: wf.text };
}

const actionOf = (step: Step): string | undefined => step.uses?.split("@")[0];
const needsOf = (job: Job): string[] =>
    job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
const environmentOf = (job: Job): string | undefined =>
    typeof job.environment === "string" ? job.environment : job.environment?.name;
const permission = (job: Job, scope: string): string | undefined =>
    typeof job.permissions === "object" ? job.permissions[scope] : job.permissions;
const steps = (wf: Workflow): [string, Job, Step][] =>
    Object.entries(wf.jobs).flatMap(([id, job]) => (job.steps ?? []).map((s): [string, Job, Step] => [id, job, s]));

/** The Pulumi command a step runs, through pulumi/actions or the CLI in a script. */
export function pulumiCommand(step: Step): "up" | "preview" | "destroy" | undefined {
    if (actionOf(step) === "pulumi/actions") {
        const command = String(step.with?.command ?? "");
        return command === "update" ? "up" : (command as "up" | "preview" | "destroy") || undefined;
    }
    // At a command position only: not inside an echo or a message.
    const m = /(?:^|[;&|(])\s*pulumi\s+(up|update|preview|destroy)\b/m.exec(step.run ?? "");
    return m ? (m[1] === "update" ? "up" : (m[1] as "up" | "preview" | "destroy")) : undefined;
}

const runsPolicyPack = (step: Step): boolean =>
    actionOf(step) === "pulumi/actions" ? Boolean(step.with?.policyPacks) : /--policy-pack\s/.test(step.run ?? "");

/** Jobs that change a stack: `pulumi up`/`destroy`, directly or through a local reusable workflow that does. */
export function mutatingJobs(wf: Workflow, all: readonly Workflow[]): string[] {
    return Object.entries(wf.jobs)
        .filter(([, job]) => {
            if (job.uses?.startsWith("./.github/workflows/")) {
                const called = all.find((w) => w.file === path.basename(job.uses!));
                return called ? mutatingJobs(called, all).length > 0 : true; // unknown callee: fail closed
            }
            return (job.steps ?? []).some((s) => ["up", "destroy"].includes(pulumiCommand(s) ?? ""));
        })
        .map(([id]) => id);
}

const LONG_LIVED_INPUTS = ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"];
const LONG_LIVED_ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PULUMI_ACCESS_TOKEN"];

/** AWS (and Pulumi) credentials only through OIDC: no key inputs or variables, no secrets at all. */
export function checkOidcOnly(wf: Workflow): string[] {
    const out: string[] = [];
    const envs: [string, Record<string, unknown> | undefined][] = [
        ["workflow", wf.env],
        ...Object.entries(wf.jobs).map(([id, j]): [string, Record<string, unknown> | undefined] => [
            `job ${id}`,
            j.env,
        ]),
        ...steps(wf).map(([id, , s]): [string, Record<string, unknown> | undefined] => [
            `job ${id} step ${s.name ?? s.uses ?? s.run}`,
            s.env,
        ]),
    ];
    for (const [where, env] of envs)
        for (const key of Object.keys(env ?? {}))
            if (LONG_LIVED_ENV.includes(key)) out.push(`${wf.file}: ${where} sets ${key}; use OIDC instead`);
    for (const [id, job, step] of steps(wf)) {
        for (const key of Object.keys(step.with ?? {}))
            if (LONG_LIVED_INPUTS.includes(key)) out.push(`${wf.file}: job ${id} passes ${key}; use role-to-assume`);
        const action = actionOf(step);
        if (action === "aws-actions/configure-aws-credentials" && !step.with?.["role-to-assume"])
            out.push(`${wf.file}: job ${id} configures AWS credentials without role-to-assume`);
        if (
            (action === "aws-actions/configure-aws-credentials" || action === "pulumi/auth-actions") &&
            permission(job, "id-token") !== "write"
        )
            out.push(`${wf.file}: job ${id} uses ${action} without permissions id-token: write`);
    }
    if (/\$\{\{\s*secrets\./.test(YAML.stringify({ env: wf.env, jobs: wf.jobs })))
        out.push(`${wf.file}: reads a secret; credentials come from OIDC only`);
    return out;
}

/** Least privilege for GITHUB_TOKEN: nothing at the top, each job says what it needs, id-token only where used. */
export function checkPermissions(wf: Workflow): string[] {
    const out: string[] = [];
    if (typeof wf.permissions !== "object" || Object.keys(wf.permissions).length > 0)
        out.push(`${wf.file}: top-level permissions must be {} (each job asks for its own)`);
    for (const [id, job] of Object.entries(wf.jobs)) {
        if (typeof job.permissions !== "object") {
            out.push(`${wf.file}: job ${id} must list its permissions`);
            continue;
        }
        if (permission(job, "contents") === "write") out.push(`${wf.file}: job ${id} must not write contents`);
        const federates = (job.steps ?? []).some((s) =>
            ["aws-actions/configure-aws-credentials", "pulumi/auth-actions"].includes(actionOf(s) ?? ""),
        );
        if (permission(job, "id-token") === "write" && !federates && !job.uses)
            out.push(`${wf.file}: job ${id} asks for id-token: write but reaches no OIDC audience`);
    }
    return out;
}

/** Every preview and every up runs the policy pack. */
export function checkPolicyPack(wf: Workflow): string[] {
    return steps(wf)
        .filter(([, , s]) => ["up", "preview"].includes(pulumiCommand(s) ?? "") && !runsPolicyPack(s))
        .map(([id, , s]) => `${wf.file}: job ${id} runs pulumi ${pulumiCommand(s)} without the policy pack`);
}

/** Jobs that change a stack are bound to a GitHub environment and to one never-cancelled concurrency group per stack. */
export function checkMutatingJobs(wf: Workflow, all: readonly Workflow[]): string[] {
    const out: string[] = [];
    for (const id of mutatingJobs(wf, all)) {
        const job = wf.jobs[id];
        const env = environmentOf(job);
        if (!env) {
            out.push(`${wf.file}: job ${id} changes a stack without a GitHub environment`);
            continue;
        }
        const group = typeof job.concurrency === "string" ? job.concurrency : job.concurrency?.group;
        const cancel = typeof job.concurrency === "object" ? job.concurrency["cancel-in-progress"] : undefined;
        if (!group || !group.includes(env))
            out.push(`${wf.file}: job ${id} needs a concurrency group naming its stack "${env}"`);
        if (cancel !== false) out.push(`${wf.file}: job ${id} must set cancel-in-progress: false`);
    }
    return out;
}

const PR_TRIGGERS = ["pull_request", "pull_request_target"];

/** Nothing a pull request can trigger changes a stack; `pull_request_target` (base-repo rights for fork code) is never used. */
export function checkPullRequests(wf: Workflow, all: readonly Workflow[]): string[] {
    const out: string[] = [];
    if ("pull_request_target" in wf.on)
        out.push(`${wf.file}: pull_request_target runs fork code with the base repository's rights`);
    if (PR_TRIGGERS.some((t) => t in wf.on))
        for (const id of mutatingJobs(wf, all)) out.push(`${wf.file}: job ${id} changes a stack on a pull request`);
    return out;
}

/** The jobs `job` waits for, directly or through others. */
export function ancestors(wf: Workflow, job: string, seen = new Set<string>()): Set<string> {
    for (const n of needsOf(wf.jobs[job] ?? {})) if (!seen.has(n)) ancestors(wf, n, seen.add(n));
    return seen;
}

/** Promotion order: each environment's `up` runs only after the previous environment's succeeded. */
export function checkPromotion(wf: Workflow, order: readonly string[]): string[] {
    const out: string[] = [];
    const jobFor = (env: string) => Object.keys(wf.jobs).find((id) => environmentOf(wf.jobs[id]) === env);
    order.forEach((env, i) => {
        const id = jobFor(env);
        if (!id) return void out.push(`${wf.file}: no job deploys ${env}`);
        const previous = i > 0 ? jobFor(order[i - 1]) : undefined;
        if (previous && !ancestors(wf, id).has(previous)) out.push(`${wf.file}: ${env} must need ${order[i - 1]}`);
    });
    return out;
}

/** Third-party actions pinned to the commit of a known release, named in a comment, with inputs that action has. */
export function checkPinnedActions(wf: Workflow): string[] {
    const out: string[] = [];
    const lines = wf.text.split("\n");
    for (const [id, , step] of steps(wf)) {
        if (!step.uses || step.uses.startsWith("./")) continue;
        const [action, ref] = step.uses.split("@");
        const pin = PINNED_ACTIONS[action];
        if (!pin) {
            out.push(`${wf.file}: job ${id} uses ${action}, which is not in PINNED_ACTIONS`);
            continue;
        }
        if (ref !== pin.sha)
            out.push(`${wf.file}: job ${id} must pin ${action} to ${pin.sha} (${pin.version}), not ${ref}`);
        const line = lines.find((l) => l.includes(`uses: ${step.uses}`));
        if (!line?.endsWith(`# ${pin.version}`))
            out.push(`${wf.file}: job ${id}: ${step.uses} must end with "# ${pin.version}"`);
        for (const key of Object.keys(step.with ?? {}))
            if (!pin.inputs.includes(key)) out.push(`${wf.file}: job ${id}: ${action} has no input "${key}"`);
    }
    return out;
}

/**
 * Every Pulumi CLI install names one exact version (or, in a reusable workflow, an input whose default is it): the
 * release of the SDK the program is locked to, so previews and `up`s are reproducible and move with the lock file.
 */
export function checkPulumiVersion(wf: Workflow, version: string): string[] {
    const inputs = (wf.on.workflow_call as { inputs?: Record<string, { default?: unknown }> } | null)?.inputs ?? {};
    return steps(wf)
        .filter(([, , s]) => actionOf(s) === "pulumi/actions")
        .flatMap(([id, , s]) => {
            const given = String(s.with?.["pulumi-version"] ?? "");
            const input = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(given)?.[1];
            const effective = input ? String(inputs[input]?.default ?? "") : given;
            return effective === version
                ? []
                : [`${wf.file}: job ${id} installs Pulumi CLI "${effective}", not ${version}`];
        });
}
