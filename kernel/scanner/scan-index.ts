import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { readText } from '../files/read-text.js';
import type { ScanReport } from './scan-types.js';

/**
 * What tells a file's content apart without reading it. Any write to a file sets its ctime to the current
 * time, and no system call sets it back, so equal size, mtime, ctime and inode mean the same content.
 */
export interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

type FileRecord = readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number, sha256: string];

interface IndexData {
  readonly scanner: number;
  readonly files: Record<string, FileRecord>;
  readonly reports: Record<string, ScanReport>;
  /** Values derived from file contents (a validated manifest, say), by a key naming the contents and the derivation. */
  readonly derived?: Record<string, unknown>;
}

/**
 * The index file under `cacheDir` for the plugin at `root`: one per folder of plugins, so that a boot reads
 * the index of the plugins it loads, not of every plugin this cache has seen.
 */
export function scanIndexFile(cacheDir: string, root: string): string {
  const parent = dirname(root);
  let folder = folderNames.get(parent);
  if (folder === undefined) {
    folder = createHash('sha256').update(parent).digest('hex').slice(0, 16);
    folderNames.set(parent, folder);
  }
  return join(cacheDir, `index-${folder}.json`);
}

/** The hashed name of each folder of plugins seen: a boot asks once per plugin, for a handful of folders. */
const folderNames = new Map<string, string>();

const MAX_FILES = 50_000;
const MAX_REPORTS = 20_000;
const MAX_DERIVED = 20_000;
/**
 * A file written less than this long before it was read may be written again within the same timestamp tick
 * (file times are kept at the kernel's coarse clock), so its identity is not remembered.
 */
const SETTLED_MS = 2_000;

function isIndexData(value: unknown, scanner: number): value is IndexData {
  if (typeof value !== 'object' || value === null) return false;
  const data = value as Record<string, unknown>;
  return (
    data.scanner === scanner &&
    typeof data.files === 'object' &&
    data.files !== null &&
    typeof data.reports === 'object' &&
    data.reports !== null &&
    (data.derived === undefined || (typeof data.derived === 'object' && data.derived !== null))
  );
}

/** Adds `key` last, dropping the oldest entries beyond `max`. */
function putNewest<T>(map: Map<string, T>, key: string, value: T, max: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}

/**
 * The scan cache of one folder of plugins, read once per process: for each file read, its identity and the
 * sha256 of its text (so an unchanged file is not read again), for each plugin content hash its report, and values
 * derived from file contents (discovery keeps validated manifests here). A boot of unchanged plugins then costs a
 * listing of each plugin folder and one read of the index. Writes are atomic and coalesced;
 * two processes writing at once may drop each other's newest entries, which only costs a scan later.
 * The folder must be writable by the host alone: whoever can write it can forge reports.
 */
export class ScanIndex {
  readonly #file: string;
  readonly #scanner: number;
  readonly #files: Map<string, FileRecord>;
  readonly #reports: Map<string, ScanReport>;
  readonly #derived: Map<string, unknown>;
  #writing: Promise<void> | undefined;
  #dirty = false;

  private constructor(file: string, scanner: number, data: IndexData | undefined) {
    this.#file = file;
    this.#scanner = scanner;
    this.#files = new Map(Object.entries(data?.files ?? {}));
    this.#reports = new Map(Object.entries(data?.reports ?? {}));
    this.#derived = new Map(Object.entries(data?.derived ?? {}));
  }

  /**
   * The index under `cacheDir` that holds the plugin at `root`, for scanner version `scanner`; missing, corrupt
   * or older ones start empty.
   */
  static open(cacheDir: string, root: string, scanner: number): Promise<ScanIndex> {
    const file = scanIndexFile(cacheDir, root);
    const key = `${scanner}\0${file}`;
    let index = opened.get(key);
    if (index === undefined) {
      index = readText(file)
        .then((text) => JSON.parse(text) as unknown)
        .catch(() => undefined)
        .then((value) => new ScanIndex(file, scanner, isIndexData(value, scanner) ? value : undefined));
      opened.set(key, index);
    }
    return index;
  }

  /** The sha256 of the file at `path` when its identity is the one remembered, else undefined. */
  shaOf(path: string, identity: FileIdentity): string | undefined {
    const known = this.#files.get(path);
    if (known === undefined) return undefined;
    const [size, mtimeMs, ctimeMs, ino, sha] = known;
    const same =
      size === identity.size && mtimeMs === identity.mtimeMs && ctimeMs === identity.ctimeMs && ino === identity.ino;
    return same ? sha : undefined;
  }

  /**
   * Remembers the sha256 of a file whose identity was taken at `listedAt`, before it was read; not when it had
   * changed shortly before (a later write in the same timestamp tick would leave its identity unchanged).
   */
  remember(path: string, identity: FileIdentity, sha: string, listedAt: number): void {
    if (listedAt - Math.max(identity.mtimeMs, identity.ctimeMs) < SETTLED_MS) return;
    const record: FileRecord = [identity.size, identity.mtimeMs, identity.ctimeMs, identity.ino, sha];
    putNewest(this.#files, path, record, MAX_FILES);
    this.#dirty = true;
  }

  report(contentHash: string): ScanReport | undefined {
    const report = this.#reports.get(contentHash);
    return report?.contentHash === contentHash ? report : undefined;
  }

  /** Adds a report and writes the index; resolves once a write that includes it is done. */
  store(report: ScanReport): Promise<void> {
    const { fromCache: _ignored, ...stored } = report;
    putNewest(this.#reports, report.contentHash, stored, MAX_REPORTS);
    this.#dirty = true;
    return this.save();
  }

  /** A value stored by {@link storeDerived}; the key must name the contents it came from (their sha256) and how. */
  derived(key: string): unknown {
    return this.#derived.get(key);
  }

  /** Keeps a value derived from file contents; it is written with the next {@link save}. */
  storeDerived(key: string, value: unknown): void {
    putNewest(this.#derived, key, value, MAX_DERIVED);
    this.#dirty = true;
  }

  /** Writes what changed since the last write (nothing when nothing did); resolves once it is on disk. */
  save(): Promise<void> {
    if (!this.#dirty) return this.#writing ?? Promise.resolve();
    this.#writing ??= this.#write();
    return this.#writing;
  }

  async #write(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        const data: IndexData = {
          scanner: this.#scanner,
          files: Object.fromEntries(this.#files),
          reports: Object.fromEntries(this.#reports),
          derived: Object.fromEntries(this.#derived),
        };
        await mkdir(dirname(this.#file), { recursive: true });
        await writeFileAtomic(this.#file, `${JSON.stringify(data)}\n`);
      }
    } finally {
      this.#writing = undefined;
    }
  }
}

const opened = new Map<string, Promise<ScanIndex>>();
