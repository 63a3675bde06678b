/**
 * Buckets a pipeline keeps its artifacts in, or reads an S3 source from, are versioned: CodePipeline's S3 source
 * action requires a versioned bucket, and versioning keeps every revision an execution used recoverable.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { asArray, asString, dig, isUnknown, plain } from "../lib/props";
import { joinIndex, joinedTo, knownIdentifiers } from "../lib/stack-join";
import { PIPELINE_TYPE } from "./codepipeline";
import { BUCKET_TYPES } from "./s3";

export const VERSIONING_TYPES = [
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
];

/** Why a bucket is a pipeline bucket: "the artifact store of CodePipeline 'x'". */
type Uses = Map<PolicyResource, string>;

/** The pipeline buckets of the stack, each with the first use found; joined by feeding URN or by name. */
function pipelineBuckets(resources: readonly PolicyResource[]): Uses {
    const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
    const byUrn = new Map(buckets.map((b) => [b.urn, b]));
    const byName = new Map<string, PolicyResource>();
    for (const bucket of buckets) {
        for (const id of knownIdentifiers(bucket, ["bucket"])) if (!byName.has(id)) byName.set(id, bucket);
    }
    const uses: Uses = new Map();
    const add = (bucket: PolicyResource | undefined, why: string) => {
        if (bucket && !uses.has(bucket)) uses.set(bucket, why);
    };
    for (const pipeline of resources.filter((r) => r.type === PIPELINE_TYPE)) {
        const props = plain(pipeline.props);
        const store = `the artifact store of CodePipeline '${pipeline.name}'`;
        for (const key of ["artifactStores", "artifactStore"]) {
            for (const dep of pipeline.propertyDependencies?.[key] ?? []) add(byUrn.get(dep.urn), store);
            const stores = asArray(dig(props, key)) ?? [dig(props, key)];
            for (const entry of stores) add(byName.get(asString(dig(entry, "location")) ?? ""), store);
        }
        for (const stage of asArray(dig(props, "stages")) ?? []) {
            for (const action of asArray(dig(stage, "actions")) ?? []) {
                if (dig(action, "category") !== "Source" || dig(action, "provider") !== "S3") continue;
                const name = asString(dig(action, "configuration", "S3Bucket")) ?? "";
                add(byName.get(name), `the S3 source of CodePipeline '${pipeline.name}'`);
            }
        }
    }
    return uses;
}

/** Enabled (or unknown in preview) on a joined BucketVersioning, or on the deprecated inline `versioning` block. */
function versioned(bucket: PolicyResource, index: ReturnType<typeof joinIndex>): boolean {
    const inline = dig(plain(bucket.props), "versioning");
    const inlineBlock = asArray(inline)?.[0] ?? inline;
    const inlineEnabled = isUnknown(inlineBlock) ? inlineBlock : dig(inlineBlock, "enabled");
    if (inlineEnabled === true || inlineEnabled === "true" || isUnknown(inlineEnabled)) return true;
    return joinedTo(bucket, index, ["bucket"]).some((v) => {
        const config = dig(plain(v.props), "versioningConfiguration");
        const status = isUnknown(config) ? config : dig(asArray(config)?.[0] ?? config, "status");
        return status === "Enabled" || isUnknown(status);
    });
}

/**
 * Every bucket the stack's pipelines use as an artifact store or S3 source has versioning Enabled (a joined
 * aws.s3.BucketVersioning, or the deprecated inline block). Buckets outside the stack, and unknown names, are not
 * judged. Counterpart: trivy AWS-0090 (every bucket there).
 */
export const s3ArtifactBucketVersioning: StackValidationPolicy = {
    name: "s3-artifact-bucket-versioning",
    description: "S3 buckets that pipelines store artifacts in or read S3 sources from must have versioning enabled.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const index = joinIndex(args.resources, VERSIONING_TYPES, "bucket");
        for (const [bucket, why] of pipelineBuckets(args.resources)) {
            if (!versioned(bucket, index)) {
                report(
                    `S3 bucket '${bucket.name}' is ${why} but has no versioning enabled, so an overwritten or deleted ` +
                        `artifact cannot be recovered. Add an aws.s3.BucketVersioning for it with ` +
                        `versioningConfiguration { status: "Enabled" }.`,
                    bucket.urn,
                );
            }
        }
    },
};
