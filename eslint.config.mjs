// One style for the program, the tools and the pack: typescript-eslint's recommended rules, run in `npm test`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["**/node_modules/**", ".plan/**", "**/dist/**", "**/bin/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        // Tests walk untyped JSON (engine messages, mock inputs, stack exports).
        files: ["test/**", "policy-pack/test/**", "bench/**"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
);
