import { ModuError } from '../../kernel/index.js';

function collision(path: string, other: string, reason: string): ModuError {
  return new ModuError('MODU_REGISTRY_ARCHIVE_UNSAFE', `Archive entry ${path} ${reason} ${other}.`, {
    details: { entry: path, other, reason },
  });
}

/**
 * The names seen so far in one archive. Refuses duplicates, names equal to another once case-folded
 * and NFC-normalised (they collide on macOS and Windows), and a file used as a folder.
 */
export class EntryIndex {
  private readonly folded = new Map<string, { path: string; directory: boolean }>();
  count = 0;

  add(path: string, directory: boolean): void {
    this.count++;
    const key = path.normalize('NFC').toLowerCase();
    const seen = this.folded.get(key);
    if (seen !== undefined) {
      if (seen.directory && directory && seen.path === path) return;
      throw collision(path, seen.path, seen.path === path ? 'appears twice:' : 'collides (case or Unicode) with');
    }
    const parts = key.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const parent = this.folded.get(parts.slice(0, depth).join('/'));
      if (parent !== undefined && !parent.directory) throw collision(path, parent.path, 'sits under the file');
      if (parent === undefined)
        this.folded.set(parts.slice(0, depth).join('/'), { path: parts.slice(0, depth).join('/'), directory: true });
    }
    this.folded.set(key, { path, directory });
  }
}
