import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FAKES } from "../support/codebuild-runner";

/** The recording fakes reject what the real tools would, with the message each gives. */
const sessions: string[] = [];
function session() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fakes-"));
    sessions.push(dir);
    fs.mkdirSync(path.join(dir, "state"));
    fs.writeFileSync(path.join(dir, "calls.jsonl"), "");
    const env = {
        PATH: `${FAKES}:/usr/bin:/bin`,
        AWS_FAKE_LOG: path.join(dir, "calls.jsonl"),
        FAKE_STATE_DIR: path.join(dir, "state"),
    };
    const run = (tool: string, args: string[], input = "") => {
        const r = spawnSync(path.join(FAKES, tool), args, { env, cwd: dir, input, encoding: "utf8" });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
    };
    return { dir, run };
}

const REGISTRY = "111111111111.dkr.ecr.eu-west-1.amazonaws.com";

describe("the recording fakes", () => {
    after(() => sessions.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("docker pushes only an image it built, to a registry it logged in to", () => {
        const { run } = session();
        const uri = `${REGISTRY}/acme/web:abc`;
        assert.equal(
            run("docker", ["push", uri]).stderr,
            `docker (fake): An image does not exist locally with the tag: ${uri}`,
        );
        assert.equal(run("docker", ["build", "-t", uri, "."]).status, 0);
        assert.equal(
            run("docker", ["push", uri]).stderr,
            `docker (fake): no basic auth credentials (not logged in to ${REGISTRY})`,
        );
        assert.equal(
            run("docker", ["login", "--username", "AWS", "--password-stdin", REGISTRY]).stderr,
            "docker (fake): Error: Password Required",
        );
        assert.equal(run("docker", ["login", "--username", "AWS", "--password-stdin", REGISTRY], "token").status, 0);
        const push = run("docker", ["push", uri]);
        assert.equal(push.status, 0, push.stderr);
        assert.match(push.stdout, /^abc: digest: sha256:[0-9a-f]{64} size: \d+$/m);
    });

    it("docker rejects references outside the grammar and registries that are not ECR", () => {
        const { run } = session();
        assert.equal(
            run("docker", ["build", "-t", `${REGISTRY}/Acme/web:x`, "."]).stderr,
            `docker (fake): invalid reference format: "${REGISTRY}/Acme/web:x"`,
        );
        assert.equal(
            run("docker", ["login", "--username", "AWS", "--password-stdin", "registry.example.com"], "t").stderr,
            'docker (fake): "registry.example.com" is not an ECR registry',
        );
    });

    it("npm needs package.json, a lock file for ci, and the script it runs", () => {
        const { dir, run } = session();
        assert.match(run("npm", ["ci"]).stderr, /^npm \(fake\): enoent Could not read package\.json/);
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ scripts: { build: "tsc" } }));
        assert.equal(
            run("npm", ["ci"]).stderr,
            "npm (fake): The `npm ci` command can only install with an existing package-lock.json",
        );
        assert.equal(run("npm", ["test"]).stderr, 'npm (fake): Missing script: "test"');
        assert.equal(run("npm", ["run", "build"]).status, 0);
    });

    it("git fails outside a work tree, as in a CodePipeline source artifact", () => {
        const { run } = session();
        const r = run("git", ["rev-parse", "HEAD"]);
        assert.equal(r.status, 128);
        assert.equal(r.stderr, "git (fake): fatal: not a git repository (or any of the parent directories): .git");
    });

    it("aws rejects a body that is not a file, metadata that is not a map of strings, and a bad copy source", () => {
        const { run } = session();
        const put = [
            "s3api",
            "put-object",
            "--bucket",
            "my-bucket",
            "--key",
            "a/b.zip",
            "--expected-bucket-owner",
            "111111111111",
        ];
        assert.equal(
            run("aws", [...put, "--body", "missing.zip"]).stderr,
            'aws (fake): --body "missing.zip": no such file',
        );
        assert.equal(
            run("aws", [...put, "--body", "calls.jsonl", "--metadata", '{"a":"b"']).stderr,
            'aws (fake): --metadata is not valid JSON: {"a":"b"',
        );
        assert.equal(
            run("aws", [...put, "--body", "calls.jsonl", "--metadata", '{"a":1}']).stderr,
            "aws (fake): --metadata must map names to strings",
        );
        assert.equal(
            run("aws", [
                "s3api",
                "copy-object",
                "--copy-source",
                "my-bucket/dir/",
                "--bucket",
                "my-bucket",
                "--key",
                "k",
            ]).stderr,
            'aws (fake): --copy-source "my-bucket/dir/" is not <bucket>/<key>[?versionId=<id>]',
        );
        assert.equal(
            run("aws", ["ecr", "get-login-password", "--region", "EU"]).stderr,
            'aws (fake): --region "EU" is not a region',
        );
    });
});
