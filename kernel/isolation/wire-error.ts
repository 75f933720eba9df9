import { type ErrorCode, ModuError } from '../errors/modu-error.js';

/** An error as it crosses the process boundary: plain data, structured-cloneable. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

function cloneable(details: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  try {
    return structuredClone(details);
  } catch {
    return {};
  }
}

/** The wire form of any thrown value: a ModuError keeps its code, anything else is `MODU_ISOLATION_REMOTE_ERROR`. */
export function toWireError(error: unknown): WireError {
  if (ModuError.is(error))
    return { code: error.code as ErrorCode, message: error.message, details: cloneable(error.details) };
  const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
  return { code: 'MODU_ISOLATION_REMOTE_ERROR', message, details: {} };
}

/** The ModuError for an error that crossed the boundary. */
export function fromWireError(wire: WireError): ModuError {
  return new ModuError(wire.code, wire.message, { details: wire.details });
}
