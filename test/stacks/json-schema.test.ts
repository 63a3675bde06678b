import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { configJsonSchema, SCHEMA_FILE } from "../../tools/emit-schema";

describe("docs/config-schema.json", () => {
    it("matches the zod schema (run `npm run schema` after changing stacks/)", () => {
        assert.deepEqual(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")), JSON.parse(JSON.stringify(configJsonSchema())));
    });

    it("lists every deploy kind", () => {
        const text = readFileSync(SCHEMA_FILE, "utf8");
        for (const kind of ["ecs-rolling", "ecs-blue-green", "lambda-canary", "s3-site"])
            assert.ok(text.includes(`"const": "${kind}"`), kind);
    });
});
