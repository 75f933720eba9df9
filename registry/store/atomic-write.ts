import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A file written and flushed beside its target, not yet visible under the target's name. */
export interface StagedFile {
  /** Makes it visible: `exclusive` links it (false when the target exists), otherwise renames over the target. */
  commit(options?: { readonly exclusive?: boolean }): Promise<boolean>;
  /** Flushes the folder entry of a committed file (durability across power loss; call it outside locks). */
  sync(): Promise<void>;
  /** Removes the temp file; safe after commit. */
  discard(): Promise<void>;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` to a fresh temp file beside `target` (`wx`, then fsync). Crash-safe publishing rests
 * on this: the target name only ever points at complete, flushed bytes.
 */
export async function stageFile(target: string, data: Uint8Array, durable = true): Promise<StagedFile> {
  const dir = dirname(target);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.tmp-${basename(target)}-${process.pid}-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
  const discard = () => rm(temp, { force: true });
  return {
    async commit(options = {}) {
      if (options.exclusive) {
        try {
          await link(temp, target);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
          throw error;
        } finally {
          await discard();
        }
      } else {
        await rename(temp, target);
      }
      return true;
    },
    sync: () => (durable ? fsyncDir(dir) : Promise.resolve()),
    discard,
  };
}

/** Atomically replaces (or creates) `target` with `data`. */
export async function writeFileAtomically(target: string, data: Uint8Array, durable = true): Promise<void> {
  const staged = await stageFile(target, data, durable);
  try {
    await staged.commit();
    await staged.sync();
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

/** Creates `target` with `data` only if it does not exist yet; false when it did. Never leaves a partial file. */
export async function createFileExclusive(target: string, data: Uint8Array, durable = true): Promise<boolean> {
  const staged = await stageFile(target, data, durable);
  const created = await staged.commit({ exclusive: true });
  if (created) await staged.sync();
  return created;
}
