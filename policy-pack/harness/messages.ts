/**
 * Builds analyzer requests from plain objects and reads responses back into plain objects.
 * Field meanings: https://github.com/pulumi/pulumi/blob/master/proto/pulumi/analyzer.proto
 */
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { fromStruct, StructInstance, toStruct } from "./codec";
import {
    AnalyzeResult,
    AnalyzerInfo,
    AnalyzerResource,
    AnalyzerResourceOptions,
    Diagnostic,
    EnforcementLevel,
    NotApplicable,
    PolicyPackConfig,
    RemediateResult,
    Severity,
    StackContext,
} from "./types";

// Wire numbers from analyzer.proto's EnforcementLevel and PolicySeverity enums.
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITIES: Severity[] = ["", "low", "medium", "high", "critical"];

function levelName(wire: number): EnforcementLevel {
    return LEVELS[wire] ?? "advisory";
}

function levelNumber(level: EnforcementLevel): number {
    const wire = LEVELS.indexOf(level);
    if (wire < 0) {
        throw new Error(`Unknown enforcement level "${level}": use one of ${LEVELS.join(", ")}.`);
    }
    return wire;
}

// The generated typings refer to google-protobuf's own Struct type; ours is the same runtime class.
type AnyStruct = Parameters<pb.AnalyzeRequest["setProperties"]>[0];
const struct = (props: Record<string, unknown> | undefined): AnyStruct => toStruct(props) as unknown as AnyStruct;
const plain = (value: unknown): Record<string, unknown> => fromStruct(value as StructInstance | undefined);

function buildOptions(opts: AnalyzerResourceOptions = {}): pb.AnalyzerResourceOptions {
    const out = new pb.AnalyzerResourceOptions();
    out.setProtect(opts.protect ?? false);
    out.setIgnorechangesList(opts.ignoreChanges ?? []);
    out.setDeletebeforereplacedefined(opts.deleteBeforeReplace !== undefined);
    out.setDeletebeforereplace(opts.deleteBeforeReplace ?? false);
    out.setAdditionalsecretoutputsList(opts.additionalSecretOutputs ?? []);
    out.setAliasesList(opts.aliases ?? []);
    out.setParent(opts.parent ?? "");
    if (opts.customTimeouts) {
        const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
        timeouts.setCreate(opts.customTimeouts.create ?? 0);
        timeouts.setUpdate(opts.customTimeouts.update ?? 0);
        timeouts.setDelete(opts.customTimeouts.delete ?? 0);
        out.setCustomtimeouts(timeouts);
    }
    return out;
}

function buildProvider(resource: AnalyzerResource): pb.AnalyzerProviderResource | undefined {
    if (!resource.provider) {
        return undefined;
    }
    const provider = new pb.AnalyzerProviderResource();
    provider.setType(resource.provider.type);
    provider.setName(resource.provider.name);
    provider.setUrn(resource.provider.urn);
    provider.setProperties(struct(resource.provider.properties));
    return provider;
}

/** The request for `analyze` and `remediate`: one resource's inputs. */
export function buildAnalyzeRequest(resource: AnalyzerResource): pb.AnalyzeRequest {
    const req = new pb.AnalyzeRequest();
    req.setType(resource.type);
    req.setName(resource.name);
    req.setUrn(resource.urn);
    req.setProperties(struct(resource.properties));
    req.setOptions(buildOptions({ parent: resource.parent, ...resource.options }));
    req.setProvider(buildProvider(resource));
    return req;
}

function buildStackResource(resource: AnalyzerResource): pb.AnalyzerResource {
    const out = new pb.AnalyzerResource();
    out.setType(resource.type);
    out.setName(resource.name);
    out.setUrn(resource.urn);
    out.setProperties(struct(resource.properties));
    out.setOptions(buildOptions({ parent: resource.parent, ...resource.options }));
    out.setProvider(buildProvider(resource));
    out.setParent(resource.parent ?? "");
    out.setDependenciesList(resource.dependencies ?? []);
    const deps = out.getPropertydependenciesMap();
    for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        const entry = new pb.AnalyzerPropertyDependencies();
        entry.setUrnsList(urns);
        deps.set(key, entry);
    }
    return out;
}

export function buildAnalyzeStackRequest(resources: AnalyzerResource[]): pb.AnalyzeStackRequest {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(resources.map(buildStackResource));
    return req;
}

export function buildConfigureRequest(config: PolicyPackConfig): pb.ConfigureAnalyzerRequest {
    const req = new pb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [policy, value] of Object.entries(config)) {
        const { enforcementLevel, ...properties } = typeof value === "string" ? { enforcementLevel: value } : value;
        const entry = new pb.PolicyConfig();
        entry.setEnforcementlevel(levelNumber(enforcementLevel ?? "advisory"));
        entry.setProperties(struct(properties));
        map.set(policy, entry);
    }
    return req;
}

export function buildConfigureStackRequest(ctx: StackContext): pb.AnalyzerStackConfigureRequest {
    const req = new pb.AnalyzerStackConfigureRequest();
    req.setStack(ctx.stack);
    req.setProject(ctx.project);
    req.setOrganization(ctx.organization ?? "");
    req.setDryRun(ctx.dryRun);
    for (const [key, value] of Object.entries(ctx.tags ?? {})) {
        req.getTagsMap().set(key, value);
    }
    for (const [key, value] of Object.entries(ctx.config ?? {})) {
        req.getConfigMap().set(key, value);
    }
    return req;
}

function readDiagnostic(d: pb.AnalyzeDiagnostic): Diagnostic {
    return {
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        message: d.getMessage(),
        description: d.getDescription(),
        enforcementLevel: levelName(d.getEnforcementlevel()),
        severity: SEVERITIES[d.getSeverity()] ?? "",
        urn: d.getUrn(),
    };
}

function readNotApplicable(list: pb.PolicyNotApplicable[]): NotApplicable[] {
    return list.map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}

export function readAnalyzeResponse(res: pb.AnalyzeResponse): AnalyzeResult {
    return {
        diagnostics: res.getDiagnosticsList().map(readDiagnostic),
        notApplicable: readNotApplicable(res.getNotApplicableList()),
    };
}

export function readRemediateResponse(res: pb.RemediateResponse): RemediateResult {
    return {
        remediations: res.getRemediationsList().map((r) => ({
            policyName: r.getPolicyname(),
            policyPackName: r.getPolicypackname(),
            policyPackVersion: r.getPolicypackversion(),
            description: r.getDescription(),
            properties: r.hasProperties() ? plain(r.getProperties()) : undefined,
            diagnostic: r.getDiagnostic(),
        })),
        notApplicable: readNotApplicable(res.getNotApplicableList()),
    };
}

export function readAnalyzerInfo(info: pb.AnalyzerInfo): AnalyzerInfo {
    const initialConfig: AnalyzerInfo["initialConfig"] = {};
    info.getInitialconfigMap().forEach((entry: pb.PolicyConfig, policy: string) => {
        initialConfig[policy] = {
            enforcementLevel: levelName(entry.getEnforcementlevel()),
            properties: plain(entry.getProperties()),
        };
    });
    return {
        name: info.getName(),
        displayName: info.getDisplayname(),
        version: info.getVersion(),
        supportsConfig: info.getSupportsconfig(),
        initialConfig,
        policies: info.getPoliciesList().map((p) => {
            const schema = p.getConfigschema();
            return {
                name: p.getName(),
                displayName: p.getDisplayname(),
                description: p.getDescription(),
                enforcementLevel: levelName(p.getEnforcementlevel()),
                configSchema: schema
                    ? { properties: plain(schema.getProperties()), required: schema.getRequiredList() }
                    : undefined,
            };
        }),
    };
}
