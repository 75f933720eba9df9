import ssri from 'ssri';
import { ModuError } from '../../kernel/index.js';

/** The SRI sha512 string of `data`. @example computeIntegrity(bytes) // 'sha512-…' */
export function computeIntegrity(data: Uint8Array): string {
  return ssri
    .fromData(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { algorithms: ['sha512'] })
    .toString();
}

/**
 * Checks `data` against an SRI string; `what` names the archive in the error.
 *
 * @throws ModuError `MODU_REGISTRY_INTEGRITY_MISMATCH`
 */
export function checkIntegrity(data: Uint8Array, integrity: string, what: string): void {
  const ok = ssri.checkData(Buffer.from(data.buffer, data.byteOffset, data.byteLength), integrity);
  if (ok === false) {
    throw new ModuError(
      'MODU_REGISTRY_INTEGRITY_MISMATCH',
      `${what} does not match its recorded integrity ${integrity.slice(0, 24)}…; do not install it.`,
      { details: { what, expected: integrity, actual: computeIntegrity(data) } },
    );
  }
}
