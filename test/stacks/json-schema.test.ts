import { strict as assert } from "assert";
import { readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import YAML from "yaml";
import { DEPLOY_SCHEMAS } from "../../stacks/deploy-kinds";
import {
    configJsonSchema,
    configReferenceMarkdown,
    HELP,
    main,
    REFERENCE_FILE,
    SCHEMA_FILE,
} from "../../tools/emit-schema";

type Json = Record<string, unknown>;

/** Every field (`properties` entry) of the schema, with its path, at any depth. */
function fields(schema: unknown, at = ""): { path: string; field: Json }[] {
    if (Array.isArray(schema)) return schema.flatMap((s, i) => fields(s, `${at}[${i}]`));
    if (!schema || typeof schema !== "object") return [];
    const node = schema as Json;
    const own = Object.entries((node.properties ?? {}) as Record<string, Json>).map(([key, field]) => ({
        path: `${at}.${key}`,
        field,
    }));
    const deeper = Object.entries(node).flatMap(([key, value]) =>
        key === "properties"
            ? Object.entries(value as Json).flatMap(([k, v]) => fields(v, `${at}.${k}`))
            : fields(value, `${at}/${key}`),
    );
    return [...own, ...deeper];
}

const validator = () =>
    new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(configJsonSchema());
const ROOT = path.join(__dirname, "..", "..");

describe("docs/config-schema.json and docs/config-reference.md", () => {
    it("are current (run `npm run schema` after changing stacks/)", () => {
        assert.deepEqual(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")), JSON.parse(JSON.stringify(configJsonSchema())));
        assert.equal(readFileSync(REFERENCE_FILE, "utf8"), configReferenceMarkdown());
    });

    it("are written by `npm run schema`, whose --help prints what it does and writes nothing", () => {
        const before = [statSync(SCHEMA_FILE).mtimeMs, statSync(REFERENCE_FILE).mtimeMs];
        const out: string[] = [];
        const err: string[] = [];
        assert.equal(
            main(
                ["--help"],
                (s) => out.push(s),
                (s) => err.push(s),
            ),
            0,
        );
        assert.deepEqual(out, [HELP]);
        assert.equal(
            main(
                ["--force"],
                (s) => out.push(s),
                (s) => err.push(s),
            ),
            2,
        );
        assert.deepEqual(err, [
            "schema: unknown argument `--force`; it takes none (--help: what it does). Nothing was written.",
        ]);
        assert.deepEqual([statSync(SCHEMA_FILE).mtimeMs, statSync(REFERENCE_FILE).mtimeMs], before);
    });

    it("describe every field (give each zod field a `.describe()`)", () => {
        const undescribed = fields(configJsonSchema())
            .filter(({ field }) => typeof field.description !== "string" || field.description.trim() === "")
            .map(({ path: p }) => p);
        assert.deepEqual(undescribed, []);
    });

    it("list every deploy kind, in the schema and in the reference", () => {
        const text = readFileSync(SCHEMA_FILE, "utf8");
        for (const kind of Object.keys(DEPLOY_SCHEMAS)) {
            assert.ok(text.includes(`"const": "${kind}"`), kind);
            assert.ok(configReferenceMarkdown().includes(`\`deploy.kind\` | \`"${kind}"\``), kind);
        }
    });

    it("accept a project file's defaults and a stack file's overrides, as editors see them", () => {
        const validate = validator();
        const project = {
            name: "p",
            runtime: "nodejs",
            config: {
                "cicd:serviceDefaults": {
                    value: {
                        web: { source: { kind: "codestar", repository: "acme/web" }, deploy: { kind: "lambda" } },
                    },
                },
            },
        };
        const stack = {
            config: {
                "aws:region": "eu-west-1",
                "cicd:environment": {
                    name: "dev",
                    tier: "development",
                    accountId: "111111111111",
                    region: "eu-west-1",
                },
                "cicd:services": { web: { deploy: { functionName: "dev-web", alarms: ["a"] } }, old: null },
            },
        };
        assert.ok(validate(project), JSON.stringify(validate.errors));
        assert.ok(validate(stack), JSON.stringify(validate.errors));
    });

    it("flag a misspelt key and a bad service name where editors show them", () => {
        const validate = validator();
        assert.equal(validate({ config: { "cicd:services": { web: { deplyo: {} } } } }), false);
        assert.ok(validate.errors?.some((e) => e.instancePath === "/config/cicd:services/web"));
        assert.equal(validate({ config: { "cicd:services": { Web_1: {} } } }), false);
        assert.equal(validate({ config: { "cicd:environment": { tier: "live" } } }), false);
    });

    it("accept the project file and the stack files in the repository, whatever they hold", () => {
        const validate = validator();
        const files = ["Pulumi.yaml", ...readdirStacks()];
        for (const file of files) {
            const doc = YAML.parse(readFileSync(path.join(ROOT, file), "utf8")) as unknown;
            assert.ok(validate(doc), `${file}: ${JSON.stringify(validate.errors)}`);
            assert.match(
                readFileSync(path.join(ROOT, file), "utf8"),
                /^# yaml-language-server: \$schema=\.\/docs\/config-schema\.json\n/,
            );
        }
    });
});

function readdirStacks(): string[] {
    return readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
}
