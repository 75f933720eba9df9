import { ModuError } from '../errors/modu-error.js';
import type { ErrorReport } from './plugin-snapshot.js';

/** A JSON-safe view of an error and its cause chain (no stacks), for reports and endpoints. */
export function errorReport(error: unknown, depth = 0): ErrorReport {
  const cause =
    error instanceof Error && error.cause !== undefined && depth < 5 ? errorReport(error.cause, depth + 1) : undefined;
  if (ModuError.is(error)) {
    return {
      code: error.code,
      message: error.message,
      ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(cause === undefined ? {} : { cause }),
    };
  }
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  return { code, message, ...(cause === undefined ? {} : { cause }) };
}
