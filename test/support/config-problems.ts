import { strict as assert } from "assert";
import { ConfigError } from "../../stacks/config-error";

/**
 * The problems a config error lists (one line each, without the header), when `run` validates or plans config;
 * none when it succeeds. Anything but a ConfigError fails the test.
 */
export function configProblems(run: () => unknown): string[] {
    try {
        run();
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        return err.message
            .split("\n")
            .slice(1)
            .map((line) => line.replace(/^ {2}- /, ""));
    }
    return [];
}
