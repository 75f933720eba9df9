import { ModuError } from '../../kernel/index.js';
import '../errors.js';

/** The JSON shape of every error `modu --json` prints: the same on every command. */
export interface ErrorJson {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly hint: string | undefined;
    readonly details: Readonly<Record<string, unknown>>;
  };
}

/** Any thrown value as a ModuError: an unexpected one is `MODU_CLI_UNEXPECTED` (a bug) with it as the cause. */
function asModuError(error: unknown): ModuError {
  if (ModuError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ModuError('MODU_CLI_UNEXPECTED', message, { cause: error });
}

/** `{ error: { code, message, hint, details } }` for `--json`. */
export function errorJson(error: unknown): ErrorJson {
  const { code, message, hint, details } = asModuError(error);
  return { error: { code, message, hint, details } };
}

/** A commander usage error (exit 2) in the same JSON shape: `MODU_CLI_USAGE`, the message, commander's code. */
export function usageErrorJson(error: { readonly message: string; readonly code: string }): ErrorJson {
  const message = error.message.replace(/^error: /, '');
  return errorJson(new ModuError('MODU_CLI_USAGE', message, { details: { reason: error.code } }));
}

/** The stack and the chain of causes, for `--verbose`. */
function stacks(error: unknown): string {
  const lines: string[] = [];
  for (let at: unknown = error, depth = 0; at !== undefined && depth < 8; depth++) {
    lines.push(at instanceof Error ? (at.stack ?? String(at)) : String(at));
    at = at instanceof Error ? at.cause : undefined;
    if (at !== undefined) lines.push('caused by:');
  }
  return `${lines.join('\n')}\n`;
}

/** One line naming what failed (with its code), then the fix on a `hint:` line; with `verbose`, the stacks. */
export function renderError(error: unknown, verbose = false): string {
  const moduError = asModuError(error);
  const [first, ...rest] = moduError.message.split('\n');
  const body = rest.length > 0 ? `\n${rest.map((line) => `  ${line}`).join('\n')}` : '';
  const hint = moduError.hint === undefined ? '' : `hint: ${moduError.hint}\n`;
  return `error ${moduError.code}: ${first}${body}\n${hint}${verbose ? stacks(error) : ''}`;
}
