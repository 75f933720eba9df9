import { type Dirent, lstat, readdir, type Stats } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ModuError } from '../errors/modu-error.js';
import type { FileIdentity } from './scan-index.js';

/** One entry of a plugin folder, never followed through a link; the identity is all zeros for non-files. */
export interface PluginEntry extends FileIdentity {
  /** Path relative to the plugin root, with forward slashes. */
  readonly path: string;
  readonly kind: 'file' | 'symlink' | 'special';
}

const NO_IDENTITY: FileIdentity = { size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0 };

/** The folder listing of a plugin, whether it stopped at the entry limit, and when it began. */
export interface PluginListing {
  readonly entries: readonly PluginEntry[];
  readonly truncated: boolean;
  /** The entry limit it was listed under. */
  readonly maxEntries: number;
  /** When the listing began, in milliseconds since the epoch: a file changed shortly before may change again unseen. */
  readonly listedAt: number;
}

function kindOf(entry: Dirent): PluginEntry['kind'] | 'directory' {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'directory';
  return entry.isFile() ? 'file' : 'special';
}

/**
 * The entries of one folder, with their types. The callback API: on Node 20 each fs.promises call costs about twice
 * as much main-thread time, which adds up over the thousands of folders a boot lists.
 */
export const readEntries: (dir: string) => Promise<Dirent[]> = promisify(
  (dir: string, done: (error: Error | null, entries: Dirent[]) => void) => readdir(dir, { withFileTypes: true }, done),
);

/** The lstat of every path, all requested at once, in one promise rather than one per file. */
function lstatAll(paths: readonly string[]): Promise<Stats[]> {
  return new Promise((resolve, reject) => {
    const stats: Stats[] = new Array(paths.length);
    let pending = paths.length;
    if (pending === 0) resolve(stats);
    paths.forEach((path, i) => {
      lstat(path, (error, stat) => {
        if (error) return reject(error);
        stats[i] = stat;
        if (--pending === 0) resolve(stats);
      });
    });
  });
}

/**
 * Lists every file under a plugin root with async I/O, sorted, without following links. Nothing is skipped:
 * `node_modules` holds bundled dependencies that run with the plugin's rights and so must ask for the same
 * capabilities, and a dot-folder is as importable as any other. `rootEntries` are the root's own entries when the
 * caller has already read them (see {@link readEntries}).
 */
export async function listPluginFiles(
  root: string,
  maxEntries: number,
  rootEntries?: readonly Dirent[],
): Promise<PluginListing> {
  const listedAt = Date.now();
  const entries: PluginEntry[] = [];
  const pending = [''];
  let seen = 0;
  while (pending.length > 0) {
    const dir = pending.pop() ?? '';
    const read = dir === '' && rootEntries !== undefined ? Promise.resolve(rootEntries) : readEntries(join(root, dir));
    const children = await read.catch((error: unknown) => {
      if (dir !== '') throw error;
      throw new ModuError('MODU_FILE_MISSING', `${root} is not a readable plugin folder.`, {
        cause: error,
        details: { file: root },
      });
    });
    const kept = children.slice(0, Math.max(0, maxEntries - seen));
    seen += kept.length;
    const files: string[] = [];
    for (const child of kept) {
      const path = dir === '' ? child.name : `${dir}/${child.name}`;
      const kind = kindOf(child);
      if (kind === 'directory') pending.push(path);
      else if (kind === 'file') files.push(path);
      else entries.push({ path, kind, ...NO_IDENTITY });
    }
    // A folder's files are looked at together: one round trip to the file system, not one per file.
    const stats = await lstatAll(files.map((path) => join(root, path)));
    files.forEach((path, i) => {
      const { size, mtimeMs, ctimeMs, ino } = stats[i] as Stats;
      entries.push({ path, kind: 'file', size, mtimeMs, ctimeMs, ino });
    });
    if (kept.length < children.length) return { entries: sortEntries(entries), truncated: true, maxEntries, listedAt };
  }
  return { entries: sortEntries(entries), truncated: false, maxEntries, listedAt };
}

function sortEntries(entries: PluginEntry[]): PluginEntry[] {
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
