import { strict as assert } from "assert";
import { knownKeysAt, nearestKey } from "../../stacks/known-keys";
import { platformConfigSchema } from "../../stacks/platform-config";

describe("known keys at a config path", () => {
    const raw = {
        environment: { name: "dev" },
        services: [{ deploy: { kind: "lambda" }, source: { kind: "s3" }, checks: [{ kind: "lambda-check" }] }],
    };
    const at = (...path: PropertyKey[]) => knownKeysAt(platformConfigSchema, path, raw);

    it("walks objects, defaults, optionals and lists", () => {
        assert.deepEqual(at("environment", "approval"), ["required", "timeoutMinutes", "emails"]);
        assert.deepEqual(at("services", 0, "build", "commands"), ["install", "build", "postBuild"]);
        assert.deepEqual(at("services", 0, "checks", 0), ["kind", "name", "functionName", "userParameters", "when"]);
    });

    it("enters the option of a union that the input's kind picks, or every option when it cannot tell", () => {
        assert.deepEqual(at("services", 0, "deploy"), ["kind", "functionName", "alias", "strategy", "alarms"]);
        assert.deepEqual(at("services", 0, "source"), [
            "kind",
            "bucket",
            "objectKey",
            "eventBridgeEnabled",
            "kmsKeyArn",
        ]);
        const unknownKind = knownKeysAt(platformConfigSchema, ["services", 0, "source"], {
            services: [{ source: { kind: "svn" } }],
        });
        assert.ok(["connectionArn", "bucket", "repository"].every((key) => unknownKind.includes(key)));
    });

    it("knows no keys where the path leads to no object", () => {
        assert.deepEqual(at("environment", "name"), []);
        assert.deepEqual(at("nowhere", "at", "all"), []);
    });

    it("suggests only a key a few edits away", () => {
        assert.equal(nearestKey("deplyo", ["source", "deploy"]), "deploy");
        assert.equal(nearestKey("xyz", ["source", "deploy"]), undefined);
        assert.equal(nearestKey("a", []), undefined);
    });
});
