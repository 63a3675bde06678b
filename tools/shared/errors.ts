/**
 * An error the user can fix (bad flag, missing file, invalid config, a policy pack that cannot run):
 * printed as one message without a stack, with its exit code.
 */
export class ToolError extends Error {
    constructor(
        message: string,
        readonly exitCode: number = EXIT.usage,
    ) {
        super(message);
        this.name = "ToolError";
    }
}

/** Exit codes shared by `npm run plan` and `npm run audit`. */
export const EXIT = {
    ok: 0,
    /** A mandatory policy violation. */
    policy: 1,
    usage: 2,
    /** The program rejected its configuration. */
    config: 3,
    /** The program crashed for a reason other than its configuration. */
    crash: 4,
    /** The policy pack could not run: the gate fails closed (pass `--no-policy` to plan without it). */
    packUnavailable: 5,
} as const;
