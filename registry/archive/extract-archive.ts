import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CheckedArchive } from './read-archive.js';

/**
 * Writes a checked archive into a fresh temp folder beside `target` and returns that folder; the
 * caller renames it into place once everything else is verified. Paths were checked by
 * {@link readArchive} and the folder is new and link-free, so no write can leave it.
 */
export async function extractToTemp(archive: CheckedArchive, target: string): Promise<string> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const temp = join(parent, `.modu-tmp-${basename(target)}-${randomBytes(6).toString('hex')}`);
  await mkdir(temp);
  try {
    for (const dir of archive.directories) await mkdir(join(temp, ...dir.split('/')), { recursive: true });
    for (const file of archive.files) {
      const path = join(temp, ...file.path.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.data, { flag: 'wx', mode: file.executable ? 0o755 : 0o644 });
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return temp;
}

/**
 * Extracts a checked archive to `target`, which must not exist: temp folder first, then one rename.
 *
 * @example await extractArchive(await readArchive(bytes), '/plugins/users');
 */
export async function extractArchive(archive: CheckedArchive, target: string): Promise<void> {
  const temp = await extractToTemp(archive, target);
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
