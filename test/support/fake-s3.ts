import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ActionModel } from "../../model/pipeline";
import type { S3Ref } from "./codebuild-runner";

/**
 * The test's side of the `aws` fake's stateful S3 (test/support/fakes/lib/s3-store): versioned buckets in a
 * directory that every run of one test shares, so what one link of the release chain writes is what the next reads.
 */

const { open } = require("./fakes/lib/s3-store") as { open: (dir: string) => Store };

export interface StoredVersion {
    /** The write's place in the order of all writes to the store. */
    readonly seq: number;
    readonly versionId: string;
    readonly etag: string;
    readonly size: number;
    readonly contentType: string;
    readonly metadata: Readonly<Record<string, string>>;
    readonly writer?: string;
}

export interface ObjectCreated {
    readonly "detail-type": string;
    readonly source: string;
    readonly account: string;
    readonly detail: {
        readonly bucket: { readonly name: string };
        readonly object: { readonly key: string; readonly etag: string; readonly "version-id": string };
        readonly reason: string;
    };
}

interface Store {
    versions(bucket: string, key: string): StoredVersion[];
    bytes(v: StoredVersion): Buffer;
    events(): ObjectCreated[];
}

export interface FakeS3 {
    readonly dir: string;
    /** The variables a run passes the fakes (`RunOptions.fakes`) so its writes are labelled `writer`. */
    env(writer: string): Record<string, string>;
    versions(bucket: string, key: string): StoredVersion[];
    /**
     * The version named, else the current one (as of write `asOf` when given); an error naming bucket, key and
     * version when there is none.
     */
    version(bucket: string, key: string, versionId?: string, asOf?: number): StoredVersion;
    bytes(v: StoredVersion): Buffer;
    events(): ObjectCreated[];
}

let root: string | undefined;

/** A fresh, empty S3 holding the given buckets (all versioning-enabled). Removed when the test process ends. */
export function fakeS3(buckets: readonly { name: string; owner: string; region: string }[]): FakeS3 {
    if (!root) {
        const made = fs.mkdtempSync(path.join(os.tmpdir(), "fake-s3-"));
        process.on("exit", () => fs.rmSync(made, { recursive: true, force: true }));
        root = made;
    }
    const dir = fs.mkdtempSync(path.join(root, "s3-"));
    fs.writeFileSync(
        path.join(dir, "buckets.json"),
        JSON.stringify(Object.fromEntries(buckets.map((b) => [b.name, { owner: b.owner, region: b.region }]))),
    );
    const store = open(dir);
    return {
        dir,
        env: (writer) => ({ AWS_FAKE_S3_DIR: dir, AWS_FAKE_S3_WRITER: writer }),
        versions: (bucket, key) => store.versions(bucket, key),
        version: (bucket, key, versionId, asOf) => {
            const all = store.versions(bucket, key);
            const v =
                versionId !== undefined
                    ? all.find((x) => x.versionId === versionId)
                    : all.filter((x) => asOf === undefined || x.seq <= asOf).at(-1);
            const which = versionId ?? (asOf === undefined ? "current" : `(as of write ${asOf}) current`);
            if (!v) throw new Error(`the fake S3 holds no ${which} version of ${bucket}/${key}`);
            return v;
        },
        bytes: (v) => store.bytes(v),
        events: () => store.events(),
    };
}

/**
 * Whether an event matches an EventBridge pattern of exact values: every field the pattern names must be in the
 * event, a list matches a value equal to one of its elements, an object matches field by field, and fields the
 * pattern does not name are ignored (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
 * Other pattern forms (prefix, numeric, exists, ...) are refused, not guessed at.
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
    if (Array.isArray(pattern)) {
        if (pattern.some((p) => typeof p === "object" && p !== null))
            throw new Error(`pattern ${JSON.stringify(pattern)} uses a content filter the fake does not evaluate`);
        return pattern.includes(event as never);
    }
    if (typeof pattern !== "object" || pattern === null)
        throw new Error(`pattern ${JSON.stringify(pattern)}: EventBridge patterns hold lists and objects only`);
    if (typeof event !== "object" || event === null) return false;
    return Object.entries(pattern).every(
        ([k, p]) => k in event && matchesPattern(p, (event as Record<string, unknown>)[k]),
    );
}

/** What an S3 source action hands the pipeline: its output artifact's files and its output variables. */
export interface SourceOutput {
    readonly action: ActionModel;
    readonly ref: S3Ref;
    readonly bytes: Buffer;
    /** The zip's files, as a CodeBuild action that takes the artifact unpacks them. */
    readonly files: Record<string, string>;
    /** `namespace.Variable`: BucketName, ObjectKey, ETag and VersionId. */
    readonly variables: Record<string, string>;
}

/**
 * Plays an S3 source action (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html):
 * the output artifact is the object version, and the output variables are BucketName, ObjectKey, ETag and
 * VersionId of that version ("Output variables" on that page). The action that started the run outputs the version
 * the start names (`start.versionId`); another source action outputs its object's latest version
 * (StartPipelineExecution processes the latest revision of each source:
 * https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StartPipelineExecution.html). AWS does not say
 * how soon after the event the run reads that latest version, so `start.asOf` takes the earliest moment, the write
 * that sent the event: an object written after it may not be seen, and a chain that relies on it fails here.
 */
export function playS3Source(
    s3: FakeS3,
    action: ActionModel,
    start: { readonly versionId?: string; readonly asOf?: number } = {},
): SourceOutput {
    if (action.provider !== "S3" || action.category !== "Source")
        throw new Error(`action ${action.name} is not an S3 source action`);
    const bucket = String(action.configuration.S3Bucket);
    const key = String(action.configuration.S3ObjectKey);
    const v = s3.version(bucket, key, start.versionId, start.asOf);
    const bytes = s3.bytes(v);
    const ns = action.namespace;
    if (!ns) throw new Error(`S3 source action ${action.name} has no namespace, so no action can read its variables`);
    return {
        action,
        ref: { bucket, key, versionId: v.versionId, writer: v.writer },
        bytes,
        files: unzip(bytes),
        variables: {
            [`${ns}.BucketName`]: bucket,
            [`${ns}.ObjectKey`]: key,
            // AWS does not say whether the variable keeps the quotes S3 puts around an ETag; nothing here reads it.
            [`${ns}.ETag`]: v.etag.replace(/"/g, ""),
            [`${ns}.VersionId`]: v.versionId,
        },
    };
}

/** The files of a zip archive (text files: what the chain's sources hold). */
function unzip(bytes: Buffer): Record<string, string> {
    const dir = fs.mkdtempSync(path.join(root ?? os.tmpdir(), "unzip-"));
    try {
        fs.writeFileSync(path.join(dir, "a.zip"), bytes);
        execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
        const walk = (rel: string): [string, string][] =>
            fs.readdirSync(path.join(dir, "out", rel), { withFileTypes: true }).flatMap((e) => {
                const p = rel ? `${rel}/${e.name}` : e.name;
                return e.isDirectory()
                    ? walk(p)
                    : [[p, fs.readFileSync(path.join(dir, "out", p), "utf8")] as [string, string]];
            });
        return Object.fromEntries(walk(""));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
