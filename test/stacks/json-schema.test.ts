import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { DEPLOY_SCHEMAS } from "../../stacks/deploy-kinds";
import { configJsonSchema, SCHEMA_FILE } from "../../tools/emit-schema";

describe("docs/config-schema.json", () => {
    it("matches the zod schema (run `npm run schema` after changing stacks/)", () => {
        assert.deepEqual(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")), JSON.parse(JSON.stringify(configJsonSchema())));
    });

    it("lists every deploy kind", () => {
        const text = readFileSync(SCHEMA_FILE, "utf8");
        for (const kind of Object.keys(DEPLOY_SCHEMAS)) assert.ok(text.includes(`"const": "${kind}"`), kind);
    });
});
