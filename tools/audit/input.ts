/**
 * Reads what `npm run audit` analyses into the tools' one resource shape, from either of:
 * - a `pulumi stack export` file: `{ version, deployment: { resources: [{ urn, type, custom, inputs,
 *   outputs, parent, dependencies, propertyDependencies, provider, protect, delete? }] } }`
 *   (https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_export/);
 * - a plan written by `npm run plan` (`.plan/<stack>/resources.json`).
 * The engine analyses inputs per resource and outputs for the whole stack; so does the audit.
 */
import * as fs from "fs";

import { ToolError } from "../shared/errors";
import { NO_OPTIONS, type PlanFile, type Resource, SECRET_SIG, SIG_KEY, UNKNOWN } from "../shared/resource";

export interface AuditInput {
    format: "stack-export" | "plan";
    stack: string;
    project: string;
    /** A plan made with `--preview`: computed values are unknown. */
    preview: boolean;
    resources: Resource[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Exported secrets are `{sig, ciphertext}` (unreadable here: a secret unknown to policies) or
 * `{sig, plaintext}`; both become the engine's wire form `{sig, value}`, which the pack unwraps.
 */
function decodeSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(decodeSecrets);
    if (!isObject(value)) return value;
    if (value[SIG_KEY] === SECRET_SIG) {
        const inner =
            typeof value.plaintext === "string"
                ? decodeSecrets(JSON.parse(value.plaintext))
                : "value" in value
                  ? decodeSecrets(value.value)
                  : UNKNOWN;
        return { [SIG_KEY]: SECRET_SIG, value: inner };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeSecrets(v)]));
}

function fromExportResource(r: Json): Resource {
    const urn = String(r.urn);
    const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
    // A provider reference is `<provider urn>::<provider id>`.
    const provider = typeof r.provider === "string" ? r.provider.split("::").slice(0, -1).join("::") : undefined;
    return {
        type: String(r.type),
        name: urn.split("::").pop()!,
        urn,
        custom: r.custom !== false,
        ...(typeof r.parent === "string" ? { parent: r.parent } : {}),
        inputs: decodeSecrets(r.inputs ?? {}) as Json,
        outputs: decodeSecrets(r.outputs ?? r.inputs ?? {}) as Json,
        dependencies: strings(r.dependencies),
        propertyDependencies: isObject(r.propertyDependencies)
            ? Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, strings(v)]))
            : {},
        options: {
            ...NO_OPTIONS,
            protect: r.protect === true,
            retainOnDelete: r.retainOnDelete === true,
            ignoreChanges: strings(r.ignoreChanges),
            additionalSecretOutputs: strings(r.additionalSecretOutputs),
        },
        ...(provider ? { provider } : {}),
    };
}

/** Parses an audit input document; throws an error that says what was expected. */
export function parseAuditInput(doc: unknown, source: string): AuditInput {
    if (isObject(doc) && isObject(doc.deployment) && Array.isArray(doc.deployment.resources)) {
        const resources = doc.deployment.resources
            .filter(isObject)
            // Resources pending deletion are not part of the stack any more.
            .filter((r) => r.delete !== true && typeof r.urn === "string" && typeof r.type === "string")
            .map(fromExportResource);
        const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(resources[0]?.urn ?? "");
        const [stack, project] = [match?.[1] ?? "unknown", match?.[2] ?? "unknown"];
        return { format: "stack-export", stack, project, preview: false, resources };
    }
    if (isObject(doc) && doc.kind === "offline-plan" && Array.isArray(doc.resources)) {
        const { stack, project, preview, resources } = doc as unknown as PlanFile;
        return { format: "plan", stack, project, preview, resources };
    }
    throw new ToolError(
        `${source} is neither a \`pulumi stack export\` file (with deployment.resources) nor a plan file ` +
            "from `npm run plan` (.plan/<stack>/resources.json).",
    );
}

/** Reads and parses an audit input file; errors name the file and the fix. */
export function readAuditInput(file: string): AuditInput {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new ToolError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
    try {
        return parseAuditInput(JSON.parse(text), file);
    } catch (e) {
        if (e instanceof ToolError) throw e;
        throw new ToolError(
            `${file} is not JSON (${(e as Error).message}): pass a \`pulumi stack export\` or plan file.`,
        );
    }
}
