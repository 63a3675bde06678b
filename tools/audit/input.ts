/**
 * Reads what `npm run audit` analyses, in either of two shapes:
 * - a `pulumi stack export` file: `{ version, deployment: { resources: [{ urn, type, inputs, outputs,
 *   parent, dependencies, propertyDependencies, provider, protect, delete? }] } }`
 *   (https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_export/);
 * - a plan written by `npm run plan`: `{ stack, project, resources: AnalyzerResource[] }`.
 * The engine analyses inputs per resource and outputs for the whole stack; so does the audit.
 */
import * as fs from "fs";
import { AnalyzerResource, secret, UNKNOWN } from "../../policy-pack/harness";

export interface AuditInput {
    format: "stack-export" | "plan";
    stack: string;
    project: string;
    /** One entry per resource: `analyze` gets `inputs`, `analyzeStack` gets `outputs`. */
    resources: Array<{ inputs: AnalyzerResource; outputs: AnalyzerResource }>;
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Exported secrets are `{sig, ciphertext}` (unreadable: unknown to policies) or `{sig, plaintext}`. */
function decodeSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(decodeSecrets);
    }
    if (!isObject(value)) {
        return value;
    }
    if (value[SIG_KEY] === SECRET_SIG) {
        if (typeof value["plaintext"] === "string") {
            return secret(decodeSecrets(JSON.parse(value["plaintext"])));
        }
        return secret("value" in value ? decodeSecrets(value["value"]) : UNKNOWN);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeSecrets(v)]));
}

function nameFromUrn(urn: string): string {
    const at = urn.lastIndexOf("::");
    return at >= 0 ? urn.slice(at + 2) : urn;
}

function urnParts(urn: string | undefined): { stack: string; project: string } {
    const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn ?? "");
    return match ? { stack: match[1], project: match[2] } : { stack: "unknown", project: "unknown" };
}

function fromExportResource(r: Json, providers: Map<string, Json>): AuditInput["resources"][number] {
    const urn = String(r["urn"]);
    const providerRef = typeof r["provider"] === "string" ? r["provider"] : "";
    const providerUrn = providerRef.split("::").slice(0, -1).join("::");
    const provider = providers.get(providerRef);
    const base = {
        type: String(r["type"]),
        name: nameFromUrn(urn),
        urn,
        parent: typeof r["parent"] === "string" ? r["parent"] : undefined,
        dependencies: Array.isArray(r["dependencies"]) ? (r["dependencies"] as string[]) : [],
        propertyDependencies: isObject(r["propertyDependencies"])
            ? (r["propertyDependencies"] as Record<string, string[]>)
            : {},
        options: { protect: r["protect"] === true },
        provider: provider && {
            type: String(provider["type"]),
            name: nameFromUrn(providerUrn),
            urn: providerUrn,
            properties: (decodeSecrets(provider["inputs"] ?? {}) as Json) ?? {},
        },
    };
    return {
        inputs: { ...base, properties: decodeSecrets(r["inputs"] ?? {}) as Json },
        outputs: { ...base, properties: decodeSecrets(r["outputs"] ?? r["inputs"] ?? {}) as Json },
    };
}

function fromStackExport(doc: Json): AuditInput {
    const deployment = doc["deployment"] as Json;
    const all = ((deployment["resources"] as unknown[]) ?? []).filter(isObject);
    // Resources pending deletion are not part of the stack any more.
    const live = all.filter(
        (r) => r["delete"] !== true && typeof r["urn"] === "string" && typeof r["type"] === "string",
    );
    const providers = new Map<string, Json>();
    for (const r of live.filter((r) => String(r["type"]).startsWith("pulumi:providers:"))) {
        providers.set(`${r["urn"]}::${r["id"]}`, r);
    }
    return {
        format: "stack-export",
        ...urnParts(live[0]?.["urn"] as string | undefined),
        resources: live.map((r) => fromExportResource(r, providers)),
    };
}

function fromPlan(doc: Json): AuditInput {
    const resources = (doc["resources"] as unknown[]).filter(isObject).map((r) => {
        const resource = {
            ...(r as unknown as AnalyzerResource),
            properties: decodeSecrets(r["properties"] ?? {}) as Json,
        };
        return { inputs: resource, outputs: resource };
    });
    return { format: "plan", stack: String(doc["stack"]), project: String(doc["project"]), resources };
}

/** Parses an audit input document; throws an error that says what was expected. */
export function parseAuditInput(doc: unknown, source: string): AuditInput {
    if (isObject(doc) && isObject(doc["deployment"]) && Array.isArray(doc["deployment"]["resources"])) {
        return fromStackExport(doc);
    }
    if (isObject(doc) && typeof doc["stack"] === "string" && Array.isArray(doc["resources"])) {
        return fromPlan(doc);
    }
    throw new Error(
        `${source} is neither a \`pulumi stack export\` file (with deployment.resources) nor a plan file ` +
            "from `npm run plan` (with stack, project and resources).",
    );
}

/** Reads and parses an audit input file; errors name the file and the fix. */
export function readAuditInput(file: string): AuditInput {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new Error(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new Error(`${file} is not JSON (${(e as Error).message}): pass a \`pulumi stack export\` or plan file.`);
    }
    return parseAuditInput(doc, file);
}
