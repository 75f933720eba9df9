import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { StagedPlugin } from './stage-plugin.js';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Renames every staged plugin into place. An installed version is moved aside first and restored
 * if its replacement cannot be renamed in, then removed once all are in place.
 */
export async function swapIntoPlace(staged: readonly StagedPlugin[]): Promise<void> {
  const aside: string[] = [];
  for (const { target, temp } of staged) {
    const old = join(dirname(target), `.modu-old-${basename(target)}-${randomBytes(6).toString('hex')}`);
    let moved = true;
    await rename(target, old).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
      moved = false;
    });
    try {
      await rename(temp, target);
    } catch (error) {
      if (moved) await rename(old, target);
      throw error;
    }
    if (moved) aside.push(old);
  }
  await Promise.all(aside.map((old) => rm(old, { recursive: true, force: true })));
}

/** Removes staged temp folders after a failure. */
export async function discardStaged(staged: readonly StagedPlugin[]): Promise<void> {
  await Promise.all(staged.map(({ temp }) => rm(temp, { recursive: true, force: true })));
}
