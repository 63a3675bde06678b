import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { listStacks, loadStackConfig, SECRET_PLACEHOLDER } from "../../tools/plan/stack-config";
import { FIXTURE } from "./helpers";

describe("stack config for PULUMI_CONFIG", () => {
    it("merges project defaults with the stack file and JSON-encodes structured values", () => {
        const config = loadStackConfig(FIXTURE, "dev");
        const env = JSON.parse(config.env.PULUMI_CONFIG);
        assert.strictEqual(env["cicd:prefix"], "fx");
        assert.strictEqual(env["aws:region"], "eu-west-1");
        assert.deepStrictEqual(JSON.parse(env["cicd:services"]), [{ name: "web", deploy: { kind: "ecs" } }]);
    });

    it("replaces secure values by a placeholder and lists them as secret keys", () => {
        const config = loadStackConfig(FIXTURE, "dev");
        assert.strictEqual(JSON.parse(config.env.PULUMI_CONFIG)["cicd:githubToken"], SECRET_PLACEHOLDER);
        assert.deepStrictEqual(JSON.parse(config.env.PULUMI_CONFIG_SECRET_KEYS), ["cicd:githubToken"]);
    });

    it("takes the account for ARNs from an account key, the region from aws:region", () => {
        const config = loadStackConfig(FIXTURE, "staging");
        assert.deepStrictEqual([config.account, config.region], ["444455556666", "eu-west-1"]);
    });

    it("gives the stack the tags the Pulumi CLI sets from Pulumi.yaml", () => {
        assert.deepStrictEqual(loadStackConfig(FIXTURE, "dev").tags, {
            "pulumi:project": "plan-fixture",
            "pulumi:runtime": "nodejs",
            "pulumi:description": "Tiny throwaway program the offline-plan tests run against (not the product)",
        });
    });

    it("namespaces bare keys with the project and reads stack files from --config-dir", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cfg-"));
        fs.writeFileSync(path.join(dir, "Pulumi.bench-dev.yaml"), "config:\n  color: blue\n");
        const config = loadStackConfig(FIXTURE, "bench-dev", dir);
        assert.strictEqual(config.values["plan-fixture:color"], "blue");
        assert.strictEqual(config.stack, "bench-dev");
    });

    it("lists the stacks of a program dir", () => {
        assert.deepStrictEqual(listStacks(FIXTURE), ["apply-crash", "bad", "crash", "dev", "staging"]);
    });
});
