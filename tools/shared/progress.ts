/**
 * Progress on stderr, so stdout stays the report (or JSON): phases with counts. On a terminal one
 * line is redrawn in place; otherwise (CI logs, pipes) a line is written when a phase starts and
 * ends, and every few seconds in between.
 */
export interface Progress {
    phase(name: string, detail?: string): void;
    count(n: number, unit: string): void;
    done(summary: string): void;
    /** A whole line about other work (e.g. a stack analysed while the next one evaluates). */
    note(text: string): void;
}

export interface ProgressStream {
    isTTY?: boolean;
    write(text: string): unknown;
}

const PERIOD_MS = 2000;

export function progressOn(stream: ProgressStream, now: () => number = Date.now): Progress {
    let phase = "";
    let started = 0;
    let lastLine = 0;
    const elapsed = () => `${((now() - started) / 1000).toFixed(1)} s`;
    const line = (text: string, final: boolean) => {
        if (stream.isTTY) stream.write(`\r\x1b[2K${text}${final ? "\n" : ""}`);
        else stream.write(`${text}\n`);
    };
    return {
        phase(name, detail) {
            phase = name;
            started = lastLine = now();
            line(`${name}${detail ? `: ${detail}` : ""} …`, false);
        },
        count(n, unit) {
            if (!stream.isTTY && now() - lastLine < PERIOD_MS) return;
            lastLine = now();
            line(`${phase}: ${n} ${unit} (${elapsed()})`, false);
        },
        done(summary) {
            line(`${phase}: ${summary} (${elapsed()})`, true);
        },
        note(text) {
            line(text, true);
        },
    };
}

const nothing = () => undefined;
export const silentProgress: Progress = { phase: nothing, count: nothing, done: nothing, note: nothing };
