import { writeFileSync } from "fs";
import * as path from "path";
import { z } from "zod";
import { platformConfigSchema } from "../stacks/platform-config";

/** JSON Schema of the `cicd:` namespace (input side: defaults are optional), from the same zod definition. */
export function configJsonSchema(): Record<string, unknown> {
    return {
        ...z.toJSONSchema(platformConfigSchema, { io: "input", unrepresentable: "any" }),
        title: "cicd: stack configuration",
        description: "Keys under `cicd:` in Pulumi.<stack>.yaml: `cicd:environment` and `cicd:services`.",
    };
}

export const SCHEMA_FILE = path.join(__dirname, "..", "docs", "config-schema.json");

if (require.main === module) {
    writeFileSync(SCHEMA_FILE, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
