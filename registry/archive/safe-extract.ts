import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive-limits.js';
import { extractArchive } from './extract-archive.js';
import { type CheckedArchive, readArchive } from './read-archive.js';

/**
 * Checks a whole `.tgz` and only then extracts it to `target` (which must not exist) through a temp
 * folder and one rename. A rejected archive writes nothing anywhere.
 *
 * @throws ModuError `MODU_REGISTRY_ARCHIVE_INVALID`, `MODU_REGISTRY_ARCHIVE_UNSAFE`, `MODU_REGISTRY_ARCHIVE_TOO_LARGE`
 * @example await safeExtract(await readFile('users-1.0.0.tgz'), 'plugins/users');
 */
export async function safeExtract(
  bytes: Uint8Array,
  target: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<CheckedArchive> {
  const archive = await readArchive(bytes, target, limits);
  await extractArchive(archive, target);
  return archive;
}
