import { createReadStream } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { ModuError } from '../../kernel/index.js';
import { createFileExclusive, stageFile, writeFileAtomically } from './atomic-write.js';
import type { RegistryStorage, StagedWrite } from './registry-storage.js';
import { withLock } from './with-lock.js';

const SETTLED_MS = 2000;
const SAFE_KEY = /^[A-Za-z0-9@._-]+(\/[A-Za-z0-9@._-]+)*$/;

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The folder implementation of {@link RegistryStorage}: keys are paths under `root`. Keys are built
 * from checked names only; this class refuses anything else as a last line of defence.
 */
export class FolderStorage implements RegistryStorage {
  readonly location: string;
  private readonly durable: boolean;

  /** `durable: false` skips fsync: for bulk generation in benchmarks and tests only, never for a live registry. */
  constructor(root: string, options: { readonly durable?: boolean } = {}) {
    this.location = resolve(root);
    this.durable = options.durable ?? true;
  }

  private path(key: string): string {
    if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
      throw new ModuError('MODU_REGISTRY_KEY_INVALID', `Registry key ${JSON.stringify(key)} is not allowed.`, {
        details: { key },
      });
    }
    return join(this.location, ...key.split('/'));
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async readStream(key: string): Promise<Readable | undefined> {
    const file = this.path(key);
    const found = await stat(file).catch(() => undefined);
    return found?.isFile() ? createReadStream(file) : undefined;
  }

  async list(prefix: string): Promise<string[]> {
    try {
      const names = await readdir(prefix === '' ? this.location : this.path(prefix));
      return names.filter((name) => !name.startsWith('.tmp-') && name !== '.lock');
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async listToken(prefix: string): Promise<string | undefined> {
    const info = await stat(this.path(prefix), { bigint: true }).catch(() => undefined);
    // Folder times come from a coarse clock: two changes within one tick can share a time. A folder
    // untouched for 2 s gets a visibly newer time on its next change, so only then is the time a token.
    if (info === undefined || Date.now() - Number(info.mtimeMs) < SETTLED_MS) return undefined;
    return `${info.ino}:${info.mtimeNs}:${info.ctimeNs}`;
  }

  async stage(key: string, data: Uint8Array): Promise<StagedWrite> {
    return stageFile(this.path(key), data, this.durable);
  }

  async createExclusive(key: string, data: Uint8Array): Promise<boolean> {
    return createFileExclusive(this.path(key), data, this.durable);
  }

  async replace(key: string, data: Uint8Array): Promise<void> {
    await writeFileAtomically(this.path(key), data, this.durable);
  }

  async withLock<T>(scope: string, fn: () => Promise<T>): Promise<T> {
    return withLock(scope === '' ? this.location : this.path(scope), fn);
  }

  async append(key: string, line: string): Promise<void> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    // O_APPEND: each line lands whole at the end, even with several writers.
    await appendFile(file, line.endsWith('\n') ? line : `${line}\n`, { flag: 'a' });
  }
}
