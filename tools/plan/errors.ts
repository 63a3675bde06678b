/**
 * An error the user can fix (bad flag, missing file, invalid config): printed as one clean
 * message, never with a stack, and the plan exits with EXIT.usage or EXIT.config.
 */
export class PlanError extends Error {
    constructor(
        message: string,
        readonly exitCode: number = EXIT.usage,
    ) {
        super(message);
        this.name = "PlanError";
    }
}

export const EXIT = {
    ok: 0,
    /** A mandatory policy violation. */
    policy: 1,
    usage: 2,
    /** The program rejected its configuration. */
    config: 3,
    /** The program crashed for a reason other than its configuration. */
    crash: 4,
} as const;
