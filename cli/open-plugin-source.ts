import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MANIFEST_FILE } from '../kernel/index.js';
import { extractArchive, readArchive } from '../registry/index.js';
import type { CliIO } from './cli-io.js';

/** True when `source` names a gzip-compressed tar rather than a folder. */
export function isArchivePath(source: string): boolean {
  return /\.(tgz|tar\.gz)$/i.test(source);
}

/** The plugin root inside an extracted archive: the folder itself, or its single top folder (`package/`). */
async function pluginRoot(folder: string): Promise<string> {
  const names = await readdir(folder);
  if (names.includes(MANIFEST_FILE) || names.length !== 1) return folder;
  const only = join(folder, names[0] ?? '');
  return (await stat(only)).isDirectory() ? only : folder;
}

/**
 * Runs `use` on the plugin folder `source` names: the folder itself, or a `.tgz` checked whole by the
 * registry's reader and extracted into a temp folder that is removed afterwards. A hostile archive writes
 * nothing and is rejected with the registry's codes. `use` also gets how to name the archive's plugin.yaml
 * (`users-1.0.0.tgz/plugin.yaml`) instead of its temp path.
 *
 * @throws ModuError `MODU_REGISTRY_ARCHIVE_INVALID`, `MODU_REGISTRY_ARCHIVE_UNSAFE`, `MODU_REGISTRY_ARCHIVE_TOO_LARGE`
 * @example const report = await openPluginSource(io, 'users-1.0.0.tgz', (root) => scanPlugin(root));
 */
export async function openPluginSource<T>(
  io: CliIO,
  source: string,
  use: (root: string, manifestFile: string | undefined) => Promise<T>,
): Promise<T> {
  const path = resolve(io.cwd, source);
  if (!isArchivePath(path)) return use(path, undefined);
  const archive = await readArchive(await readFile(path), source);
  const work = await mkdtemp(join(tmpdir(), 'modu-cli-'));
  try {
    const folder = join(work, 'plugin');
    await extractArchive(archive, folder);
    return await use(await pluginRoot(folder), `${source}/${MANIFEST_FILE}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
