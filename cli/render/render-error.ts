import { ModuError } from '../../kernel/index.js';

/** One line naming what failed (with its code), then the fix on a `hint:` line. */
export function renderError(error: unknown): string {
  if (ModuError.is(error)) {
    const [first, ...rest] = error.message.split('\n');
    const body = rest.length > 0 ? `\n${rest.map((line) => `  ${line}`).join('\n')}` : '';
    return `error ${error.code}: ${first}${body}\n${error.hint === undefined ? '' : `hint: ${error.hint}\n`}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `error: ${message}\nhint: this is a bug in modu; please report it with the command you ran.\n`;
}
