import { type FSWatcher, watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Watches plugin folders and calls `onChange` with a plugin folder, once its files have been quiet for a while. */
export interface PluginWatcher {
  close(): void;
}

/** Options of {@link watchPluginFolders}. */
export interface WatchOptions {
  /** Milliseconds without a change before a folder is reported (default 150). */
  readonly debounceMs?: number;
  readonly onChange: (folder: string) => void;
}

/** The plugin folder (first level under a plugins folder) a changed path belongs to, or undefined. */
function pluginFolderOf(pluginDir: string, changed: string): string | undefined {
  const first = relative(pluginDir, join(pluginDir, changed)).split(sep)[0];
  if (first === undefined || first === '' || first.startsWith('.') || first === 'node_modules') return undefined;
  return join(pluginDir, first);
}

/**
 * Before Node 24, a recursive `fs.watch` on Linux stops reporting a file once it has been replaced by a rename (an
 * editor's atomic save, `sed -i`): every later edit of that file went unseen. A watcher per folder sees them all.
 */
const recursiveWatchLosesReplacedFiles =
  process.platform === 'linux' && Number.parseInt(process.versions.node, 10) < 24;

/**
 * Watches every folder of `pluginDirs` with one recursive `fs.watch` each where the platform has a reliable one, else
 * one watcher on the folder itself and one per folder of each plugin (new plugin folders get theirs when they appear).
 * Changes are debounced per plugin folder: an editor's save of several files reports the folder once.
 */
export async function watchPluginFolders(pluginDirs: readonly string[], options: WatchOptions): Promise<PluginWatcher> {
  const debounceMs = options.debounceMs ?? 150;
  const timers = new Map<string, NodeJS.Timeout>();
  const watchers: FSWatcher[] = [];
  const report = (folder: string) => {
    clearTimeout(timers.get(folder));
    timers.set(
      folder,
      setTimeout(() => {
        timers.delete(folder);
        options.onChange(folder);
      }, debounceMs),
    );
  };
  for (const dir of pluginDirs) {
    try {
      if (recursiveWatchLosesReplacedFiles) throw new Error('watch folder by folder');
      watchers.push(watch(dir, { recursive: true }, (_event, file) => relay(dir, file)));
    } catch {
      await watchEachFolder(dir, watchers, relay);
    }
  }
  function relay(dir: string, file: string | Buffer | null): void {
    const folder = file === null ? undefined : pluginFolderOf(dir, String(file));
    if (folder !== undefined) report(folder);
  }
  return {
    close() {
      for (const watcher of watchers) watcher.close();
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}

/** Where recursive watching is missing: the plugins folder and each plugin folder, one watcher each. */
async function watchEachFolder(
  dir: string,
  watchers: FSWatcher[],
  relay: (dir: string, file: string | null) => void,
): Promise<void> {
  const watched = new Set<string>();
  const add = (name: string) => {
    if (watched.has(name)) return;
    watched.add(name);
    try {
      watchers.push(watch(join(dir, name), (_event, file) => relay(dir, join(name, String(file ?? '')))));
    } catch {
      watched.delete(name); // gone already, or not a folder
      return;
    }
    // The plugin's own subfolders (its code may live in lib/ or dist/), as they are when the plugin folder appears.
    readdir(join(dir, name), { recursive: true, withFileTypes: true })
      .then((entries) => {
        for (const entry of entries) {
          const path = relative(dir, join(entry.parentPath, entry.name));
          if (entry.isDirectory() && !path.split(sep).some((part) => part === 'node_modules' || part.startsWith('.')))
            add(path);
        }
      })
      .catch(() => undefined);
  };
  watchers.push(
    watch(dir, (_event, file) => {
      if (file !== null) add(String(file));
      relay(dir, file === null ? null : String(file));
    }),
  );
  for (const entry of await readdir(dir, { withFileTypes: true })) if (entry.isDirectory()) add(entry.name);
}
