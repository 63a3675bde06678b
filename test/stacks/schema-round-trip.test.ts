import { strict as assert } from "assert";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import YAML from "yaml";
import { configFromStackValues } from "../../stacks/platform-config";
import { configJsonSchema } from "../../tools/emit-schema";
import { listStacks, loadStackConfig } from "../../tools/plan/stack-config";
import { CONNECTION, rawEnvironment } from "../fixtures/config";

/**
 * The editors' schema (docs/config-schema.json) and the program's merge read the same two files: whatever layering
 * the merge accepts, the schema must accept too. Each example is written as YAML files, checked with the schema, then
 * loaded the way `npm run plan` loads a stack and validated by the program.
 */

const ROOT = path.join(__dirname, "..", "..");
const validator = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(configJsonSchema());

type Files = { project: Record<string, unknown>; stack: Record<string, unknown> };

/** Both files through the schema, then through the program: each answers ok or the first problem. */
function roundTrip(files: Files, stack: string): { schema: string; program: string } {
    const dir = mkdtempSync(path.join(tmpdir(), "round-trip-"));
    try {
        const project = { name: "p", runtime: "nodejs", config: { "cicd:serviceDefaults": { value: files.project } } };
        const stackFile = { config: files.stack };
        writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify(project));
        writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), YAML.stringify(stackFile));
        const schemaOk = [project, stackFile].every((doc) => validator(doc));
        let program = "ok";
        try {
            configFromStackValues(loadStackConfig(dir, stack).values, stack);
        } catch (err) {
            program = String((err as Error).message).split("\n")[1] ?? String(err);
        }
        return { schema: schemaOk ? "ok" : JSON.stringify(validator.errors?.[0]), program };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** A service as the README adds one: shared settings, with a unit suite, in Pulumi.yaml. */
const web = {
    source: { kind: "codestar", repository: "acme/web" },
    build: { commands: { build: ["npm run build"] }, environment: { DEBUG: "1", NODE_ENV: "production" } },
    tests: { unit: { commands: ["npm test"] } },
    deploy: { kind: "lambda", functionName: "web", alarms: ["web-errors"] },
};
const staging = rawEnvironment({
    name: "staging",
    tier: "staging",
    accountId: "222222222222",
    release: { from: { environment: "dev", accountId: "111111111111", region: "eu-west-1" } },
});

describe("docs/config-schema.json accepts every layering the merge accepts", () => {
    it("removes keys with null at any depth in a stack file: a suite, a variable, a whole section", () => {
        const files = {
            project: { web, old: web },
            stack: {
                "aws:region": "eu-west-1",
                "cicd:environment": staging,
                "cicd:services": {
                    web: { tests: { unit: null, smoke: { commands: ["curl -fsS https://staging.example.com/"] } } },
                    old: null,
                },
            },
        };
        assert.deepEqual(roundTrip(files, "staging"), { schema: "ok", program: "ok" });
        const dev = {
            project: { web: { ...web, triggers: { branches: { includes: ["release/*"] } } } },
            stack: {
                "cicd:environment": rawEnvironment(),
                "cicd:services": {
                    web: {
                        source: { connectionArn: CONNECTION },
                        build: { environment: { DEBUG: null } },
                        triggers: null,
                    },
                },
            },
        };
        assert.deepEqual(roundTrip(dev, "dev"), { schema: "ok", program: "ok" });
    });

    it("and both refuse a null where nothing merges it away (in Pulumi.yaml)", () => {
        const files = {
            project: { web: { ...web, tests: { unit: null } } },
            stack: {
                "cicd:environment": rawEnvironment(),
                "cicd:services": { web: { source: { connectionArn: CONNECTION } } },
            },
        };
        const result = roundTrip(files, "dev");
        assert.notEqual(result.schema, "ok");
        assert.equal(
            result.program,
            "  - `cicd:serviceDefaults.web.tests.unit` in Pulumi.yaml must be an object, not null.",
        );
    });

    it("agrees on every stack in the repository, whatever it holds", () => {
        for (const stack of listStacks(ROOT)) {
            const { values } = loadStackConfig(ROOT, stack);
            assert.doesNotThrow(() => configFromStackValues(values, stack), stack);
        }
    });
});
