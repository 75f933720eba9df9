/** Where a command writes and what it may read from its surroundings; tests pass their own. */
export interface CliIO {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The exit codes of `modu`: part of its contract. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;
