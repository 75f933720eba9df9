import type { CliIO } from '../cli-io.js';

/** Writes `value` as pretty JSON when `json` is set, else the text that `text` renders. */
export function writeOutput<T>(io: CliIO, json: boolean | undefined, value: T, text: (value: T) => string): void {
  io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text(value));
}
