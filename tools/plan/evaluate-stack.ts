import { withStackRoot } from "./analyzer-resources";
import { EXIT, PlanError } from "./errors";
import { runProgram } from "./run-program";
import type { StackConfig } from "./stack-config";
import type { PlannedResource } from "./types";

export interface Evaluated {
    resources: PlannedResource[];
    /** Wall time of the program evaluation (child process included), for the summary. */
    evaluationMs: number;
    /** Peak resident memory of the evaluation process. */
    peakRssMb: number;
}

/**
 * Runs the program for the stack. A config error becomes a PlanError with the program's own
 * message; a crash is re-run with stack capture on (see run-program.ts) so the error carries a
 * TypeScript stack, then reported as a crash.
 */
export function evaluateStack(dir: string, config: StackConfig, preview: boolean): Evaluated {
    const started = Date.now();
    const result = runProgram({ dir, config, preview });
    const evaluationMs = Date.now() - started;
    if (result.ok) {
        return {
            resources: withStackRoot(config.project, config.stack, result.resources),
            evaluationMs,
            peakRssMb: result.peakRssMb,
        };
    }
    if (result.error.kind === "config") {
        throw new PlanError(`configuration error in stack ${config.stack}: ${result.error.message}`, EXIT.config);
    }
    const rerun = runProgram({ dir, config, preview, fullStacks: true });
    const failure = rerun.ok ? result.error : rerun.error;
    const stack =
        failure.stack && failure.stack.includes("\n") ? failure.stack : `${failure.message}\n    (no stack captured)`;
    throw new PlanError(`the program crashed while planning stack ${config.stack}:\n${stack}`, EXIT.crash);
}
