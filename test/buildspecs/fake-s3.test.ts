import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FAKES } from "../support/codebuild-runner";
import { fakeS3, matchesPattern } from "../support/fake-s3";

/** The `aws` fake's stateful S3 ($AWS_FAKE_S3_DIR) behaves as versioned S3 does, with the CLI's error messages. */
const OWNER = "111111111111";
const BUCKET = "cicd-releases-staging-111111111111-eu-west-1";
const OTHER = "cicd-releases-prod-222222222222-eu-west-1";

function session() {
    const s3 = fakeS3([
        { name: BUCKET, owner: OWNER, region: "eu-west-1" },
        { name: OTHER, owner: "222222222222", region: "eu-west-1" },
    ]);
    const dir = fs.mkdtempSync(path.join(s3.dir, "cwd-"));
    const log = path.join(dir, "calls.jsonl");
    fs.writeFileSync(log, "");
    const run = (writer: string, ...args: string[]) => {
        const r = spawnSync(path.join(FAKES, "aws"), ["s3api", ...args], {
            env: { PATH: `${FAKES}:/usr/bin:/bin`, AWS_FAKE_LOG: log, ...s3.env(writer) },
            cwd: dir,
            encoding: "utf8",
        });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
    };
    const file = (name: string, content: string) => {
        fs.writeFileSync(path.join(dir, name), content);
        return name;
    };
    const put = (key: string, body: string, ...more: string[]) =>
        JSON.parse(
            run(
                "w",
                "put-object",
                "--bucket",
                BUCKET,
                "--key",
                key,
                "--expected-bucket-owner",
                OWNER,
                "--body",
                file("body", body),
                ...more,
            ).stdout,
        ) as { VersionId: string; ETag: string };
    const head = (key: string, ...more: string[]) =>
        run("r", "head-object", "--bucket", BUCKET, "--key", key, "--expected-bucket-owner", OWNER, ...more);
    return { s3, dir, run, put, head };
}

describe("the aws fake's versioned S3", () => {
    it("keeps every version a put makes, each with its own id and metadata, and sends an event per version", () => {
        const { s3, put, head } = session();
        const first = put("a/release.zip", "one", "--metadata", '{"release-id":"r1"}');
        const second = put("a/release.zip", "two", "--metadata", '{"release-id":"r2"}', "--content-type", "x/y");
        assert.notEqual(first.VersionId, second.VersionId);
        const meta = (v?: string) =>
            JSON.parse(head("a/release.zip", ...(v ? ["--version-id", v] : []), "--query", "Metadata").stdout);
        assert.deepEqual(meta(first.VersionId), { "release-id": "r1" });
        assert.deepEqual(meta(second.VersionId), { "release-id": "r2" });
        assert.deepEqual(meta(), { "release-id": "r2" });
        assert.equal(JSON.parse(head("a/release.zip").stdout).ContentType, "x/y");
        assert.equal(
            JSON.parse(head("a/release.zip", "--version-id", first.VersionId).stdout).ContentType,
            "binary/octet-stream",
        );
        assert.deepEqual(
            s3.events().map((e) => [e["detail-type"], e.account, e.detail.object["version-id"], e.detail.reason]),
            [
                ["Object Created", OWNER, first.VersionId, "PutObject"],
                ["Object Created", OWNER, second.VersionId, "PutObject"],
            ],
        );
        assert.deepEqual(
            s3.versions(BUCKET, "a/release.zip").map((v) => v.writer),
            ["w", "w"],
        );
    });

    it("reads a version by id, and answers a missing key, version or bucket with S3's error (exit 254)", () => {
        const { dir, run, put, head } = session();
        const first = put("k.json", "one");
        put("k.json", "two");
        const get = (...more: string[]) =>
            run("r", "get-object", "--bucket", BUCKET, "--key", "k.json", "--expected-bucket-owner", OWNER, ...more);
        assert.equal(get("--version-id", first.VersionId, "out").status, 0);
        assert.equal(fs.readFileSync(path.join(dir, "out"), "utf8"), "one");
        assert.equal(get("out").status, 0);
        assert.equal(fs.readFileSync(path.join(dir, "out"), "utf8"), "two");
        assert.deepEqual(get("--version-id", "nope", "out"), {
            status: 254,
            stdout: "",
            stderr: "An error occurred (NoSuchVersion) when calling the GetObject operation: The specified version does not exist.",
        });
        const missing = run("r", "get-object", "--bucket", BUCKET, "--key", "other.json", "out");
        assert.equal(
            missing.stderr,
            "An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.",
        );
        assert.equal(
            head("k.json", "--version-id", "nope").stderr,
            "An error occurred (404) when calling the HeadObject operation: Not Found",
        );
        assert.equal(
            run("r", "head-object", "--bucket", "no-such-bucket", "--key", "k.json").stderr,
            "An error occurred (NoSuchBucket) when calling the HeadObject operation: The specified bucket does not exist",
        );
        assert.equal(
            run("r", "head-object", "--bucket", BUCKET, "--key", "k.json", "--expected-bucket-owner", "222222222222")
                .stderr,
            "An error occurred (AccessDenied) when calling the HeadObject operation: Access Denied",
        );
        assert.deepEqual(head("k.json", "--query", "Metadata.x"), {
            status: 252,
            stdout: "",
            stderr: "aws (fake): --query takes only a top-level field here, not Metadata.x",
        });
    });

    it("copies the version a copy source names; COPY keeps the source's metadata, REPLACE stores only the request's", () => {
        const { s3, run, put } = session();
        const first = put("src.zip", "one", "--metadata", '{"release-id":"r1"}', "--content-type", "application/zip");
        put("src.zip", "two", "--metadata", '{"release-id":"r2"}');
        const copy = (key: string, ...more: string[]) =>
            run(
                "copier",
                "copy-object",
                "--copy-source",
                `${BUCKET}/src.zip?versionId=${first.VersionId}`,
                "--bucket",
                OTHER,
                "--key",
                key,
                "--expected-bucket-owner",
                "222222222222",
                "--expected-source-bucket-owner",
                OWNER,
                ...more,
            );
        const kept = JSON.parse(copy("kept.zip", "--metadata", '{"ignored":"yes"}').stdout);
        assert.equal(kept.CopySourceVersionId, first.VersionId);
        const keptVersion = s3.version(OTHER, "kept.zip");
        assert.equal(kept.VersionId, keptVersion.versionId);
        assert.deepEqual(
            [s3.bytes(keptVersion).toString(), keptVersion.metadata, keptVersion.contentType, keptVersion.writer],
            ["one", { "release-id": "r1" }, "application/zip", "copier"],
        );
        assert.equal(copy("new.zip", "--metadata-directive", "REPLACE", "--metadata", '{"b":"2"}').status, 0);
        const replaced = s3.version(OTHER, "new.zip");
        assert.deepEqual(
            [s3.bytes(replaced).toString(), replaced.metadata, replaced.contentType],
            ["one", { b: "2" }, "binary/octet-stream"],
        );
        assert.equal(
            copy("x.zip", "--expected-source-bucket-owner", "222222222222").stderr,
            "An error occurred (AccessDenied) when calling the CopyObject operation: Access Denied",
        );
        const self = run(
            "c",
            "copy-object",
            "--copy-source",
            `${BUCKET}/src.zip`,
            "--bucket",
            BUCKET,
            "--key",
            "src.zip",
        );
        assert.equal(
            self.stderr,
            "An error occurred (InvalidRequest) when calling the CopyObject operation: This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        );
        // A copy's event names the new version in the target bucket, as a put's does.
        assert.deepEqual(
            s3
                .events()
                .filter((e) => e.detail.bucket.name === OTHER)
                .map((e) => [e.detail.object.key, e.detail.reason]),
            [
                ["kept.zip", "CopyObject"],
                ["new.zip", "CopyObject"],
            ],
        );
    });

    it("matches EventBridge patterns of exact values and refuses content filters", () => {
        const event = { source: "aws.s3", detail: { bucket: { name: "b" }, object: { key: "k", size: 1 } } };
        assert.ok(matchesPattern({ source: ["aws.s3"], detail: { object: { key: ["k", "j"] } } }, event));
        assert.ok(!matchesPattern({ detail: { object: { key: ["j"] } } }, event));
        assert.ok(!matchesPattern({ detail: { missing: ["k"] } }, event));
        assert.throws(
            () => matchesPattern({ detail: { object: { key: [{ prefix: "k" }] } } }, event),
            /^Error: pattern \[\{"prefix":"k"\}\] uses a content filter the fake does not evaluate$/,
        );
    });
});
