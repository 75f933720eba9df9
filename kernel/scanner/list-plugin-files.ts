import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ModuError } from '../errors/modu-error.js';
import type { FileIdentity } from './scan-index.js';

/** One entry of a plugin folder, never followed through a link; the identity is all zeros for non-files. */
export interface PluginEntry extends FileIdentity {
  /** Path relative to the plugin root, with forward slashes. */
  readonly path: string;
  readonly kind: 'file' | 'symlink' | 'special';
}

const NO_IDENTITY: FileIdentity = { size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0 };

/** The folder listing of a plugin and whether it stopped at the entry limit. */
export interface PluginListing {
  readonly entries: readonly PluginEntry[];
  readonly truncated: boolean;
}

function kindOf(entry: Dirent): PluginEntry['kind'] | 'directory' {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'directory';
  return entry.isFile() ? 'file' : 'special';
}

/**
 * Lists every file under a plugin root with async I/O, sorted, without following links. Nothing is skipped:
 * `node_modules` holds bundled dependencies that run with the plugin's rights and so must ask for the same
 * capabilities, and a dot-folder is as importable as any other.
 */
export async function listPluginFiles(root: string, maxEntries: number): Promise<PluginListing> {
  const entries: PluginEntry[] = [];
  const pending = [''];
  let seen = 0;
  while (pending.length > 0) {
    const dir = pending.pop() ?? '';
    const children = await readdir(join(root, dir), { withFileTypes: true }).catch((error: unknown) => {
      if (dir !== '') throw error;
      throw new ModuError('MODU_FILE_MISSING', `${root} is not a readable plugin folder`, {
        cause: error,
        details: { file: root },
      });
    });
    const kept = children.slice(0, Math.max(0, maxEntries - seen));
    seen += kept.length;
    // A folder's files are looked at together: one round trip to the file system, not one per file.
    const listed = await Promise.all(
      kept.map(async (child) => {
        const path = dir === '' ? child.name : `${dir}/${child.name}`;
        const kind = kindOf(child);
        if (kind !== 'file') return { path, kind, ...NO_IDENTITY };
        const { size, mtimeMs, ctimeMs, ino } = await lstat(join(root, path));
        return { path, kind, size, mtimeMs, ctimeMs, ino };
      }),
    );
    for (const entry of listed) {
      if (entry.kind === 'directory') pending.push(entry.path);
      else entries.push({ ...entry, kind: entry.kind });
    }
    if (kept.length < children.length) return { entries: sortEntries(entries), truncated: true };
  }
  return { entries: sortEntries(entries), truncated: false };
}

function sortEntries(entries: PluginEntry[]): PluginEntry[] {
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
