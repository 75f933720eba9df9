import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { ModuError } from '../../kernel/index.js';

/** How long a lock may go without a heartbeat before another process takes it over (a crashed holder). */
export const LOCK_STALE_MS = 5000;

/**
 * Runs `fn` while holding the cross-process lock of `dir` (a `.lock` folder inside it, proper-lockfile).
 * A lock left by a killed process is taken over once stale; waiting is bounded.
 *
 * @throws ModuError `MODU_REGISTRY_LOCK_TIMEOUT`, `MODU_REGISTRY_LOCK_LOST`
 * @example await withLock(pluginDir, () => updateState());
 */
export async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      realpath: false,
      lockfilePath: join(dir, '.lock'),
      stale: LOCK_STALE_MS,
      update: LOCK_STALE_MS / 4,
      retries: { retries: 400, factor: 1.2, minTimeout: 2, maxTimeout: 60, randomize: true },
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (cause) {
    throw new ModuError('MODU_REGISTRY_LOCK_TIMEOUT', `${dir} is locked by another writer.`, {
      details: { dir },
      cause,
    });
  }
  let result: T;
  try {
    result = await fn();
  } finally {
    await release().catch(() => undefined);
  }
  if (compromised !== undefined) {
    throw new ModuError('MODU_REGISTRY_LOCK_LOST', `The lock on ${dir} was lost during a write.`, {
      details: { dir },
      cause: compromised,
    });
  }
  return result;
}
