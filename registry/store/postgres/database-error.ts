import { ModuError } from '../../../kernel/index.js';

const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

function isUnavailable(error: { code?: unknown; message?: unknown }): boolean {
  const code = typeof error.code === 'string' ? error.code : '';
  // SQLSTATE class 08 (connection), 57P (shutdown), 3D000 (no such database), 28 (authentication).
  if (UNAVAILABLE_ERRNO.has(code) || /^(08|57P|28)/.test(code) || code === '3D000') return true;
  return (
    typeof error.message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect/.test(error.message)
  );
}

/**
 * Wraps a node-postgres error at the storage boundary: unreachable databases become
 * `MODU_REGISTRY_DB_UNAVAILABLE`, other failures `MODU_REGISTRY_DB_FAILED`; ModuErrors pass through.
 */
export function databaseError(error: unknown, location: string, what: string): unknown {
  if (ModuError.is(error) || typeof error !== 'object' || error === null) return error;
  const e = error as { code?: unknown; message?: unknown };
  const sqlState = typeof e.code === 'string' ? e.code : undefined;
  const reason = typeof e.message === 'string' ? e.message : String(error);
  if (isUnavailable(e)) {
    return new ModuError('MODU_REGISTRY_DB_UNAVAILABLE', `Cannot reach the registry database ${location}: ${reason}`, {
      details: { location, ...(sqlState === undefined ? {} : { sqlState }) },
      cause: error,
    });
  }
  return new ModuError('MODU_REGISTRY_DB_FAILED', `${what} failed on ${location}: ${reason}`, {
    details: { location, ...(sqlState === undefined ? {} : { sqlState }) },
    cause: error,
  });
}
