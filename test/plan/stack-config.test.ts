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

    it("namespaces bare keys with the project and honours --stack-file", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-cfg-")), "bench.yaml");
        fs.writeFileSync(file, "config:\n  color: blue\n");
        const config = loadStackConfig(FIXTURE, "bench-dev", file);
        assert.strictEqual(config.values["plan-fixture:color"], "blue");
        assert.strictEqual(config.stack, "bench-dev");
    });

    it("lists the stacks of a program dir", () => {
        assert.deepStrictEqual(listStacks(FIXTURE), ["bad", "crash", "dev"]);
    });
});
