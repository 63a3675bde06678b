// Runs secretlint's recommended rules in a worker thread, so config validation can call them synchronously
// (synckit blocks the caller until this async function answers). Plain ESM: secretlint is ESM-only.
import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import { runAsWorker } from "synckit";

const config = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] };

/** One finding per value: the index of the value and the id of the rule that matched it. */
runAsWorker(async (values) => {
    const findings = [];
    for (const [index, value] of values.entries()) {
        const result = await lintSource({
            source: { filePath: "/config.env", content: value, ext: ".env", contentType: "text" },
            options: { config, locale: "en", maskSecrets: true },
        });
        for (const message of result.messages) findings.push({ index, ruleId: message.ruleId });
    }
    return findings;
});
