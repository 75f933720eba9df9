import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { ModuError } from '../../kernel/index.js';
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from './archive-limits.js';
import { checkEntryPath, unsafeEntry } from './check-entry-path.js';
import { EntryIndex } from './entry-index.js';

/** One file of a checked archive, held in memory. */
export interface ArchiveFile {
  /** Relative path with `/` separators. */
  readonly path: string;
  readonly executable: boolean;
  readonly data: Buffer;
}

/** A whole archive that passed every check: its folders and files. */
export interface CheckedArchive {
  readonly directories: readonly string[];
  readonly files: readonly ArchiveFile[];
  readonly unpackedBytes: number;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const RATIO_FLOOR = 1024 * 1024;

function invalid(what: string, reason: string, cause?: unknown): ModuError {
  return new ModuError('MODU_REGISTRY_ARCHIVE_INVALID', `${what} ${reason}.`, { details: { what, reason }, cause });
}

function tooLarge(what: string, limit: string, value: number, max: number): ModuError {
  return new ModuError('MODU_REGISTRY_ARCHIVE_TOO_LARGE', `${what} is over the ${limit} limit (${value} > ${max}).`, {
    details: { what, limit, value, max },
  });
}

function gunzip(bytes: Uint8Array, what: string, limits: ArchiveLimits): Buffer {
  if (bytes.length > limits.maxArchiveBytes)
    throw tooLarge(what, 'maxArchiveBytes', bytes.length, limits.maxArchiveBytes);
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 0x08) {
    throw invalid(what, 'is not gzip-compressed');
  }
  // Headers can add up to ~1.5 KiB per entry on top of the file bytes.
  const maxTar = limits.maxUnpackedBytes + 1536 * (limits.maxEntries + 2);
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: maxTar });
  } catch (cause) {
    if (cause instanceof RangeError || (cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(what, 'maxUnpackedBytes', maxTar + 1, maxTar);
    }
    throw invalid(what, `is damaged or truncated (${(cause as Error).message})`, cause);
  }
  const ratio = tar.length / bytes.length;
  if (tar.length > RATIO_FLOOR && ratio > limits.maxCompressionRatio) {
    throw tooLarge(what, 'maxCompressionRatio', Math.round(ratio), limits.maxCompressionRatio);
  }
  // The tar parser would silently gunzip a second layer, past every limit above: demand a plain ustar header.
  if (tar.length < 512 || tar.subarray(257, 262).toString('latin1') !== 'ustar') {
    throw invalid(what, 'does not hold a ustar tar archive');
  }
  return tar;
}

/** Collects checked entries; the first problem wins and every later entry is drained unread. */
class EntryCollector {
  readonly files: ArchiveFile[] = [];
  readonly directories: string[] = [];
  private readonly index = new EntryIndex();
  unpacked = 0;
  failure: unknown;

  constructor(
    private readonly what: string,
    private readonly limits: ArchiveLimits,
  ) {}

  fail(error: unknown): void {
    this.failure ??= error;
  }

  onEntry(entry: ReadEntry): void {
    if (this.failure !== undefined) {
      entry.resume();
      return;
    }
    try {
      const path = this.check(entry);
      if (entry.type === 'Directory') {
        this.directories.push(path);
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        this.files.push({ path, executable: ((entry.mode ?? 0) & 0o111) !== 0, data: Buffer.concat(chunks) });
      });
    } catch (error) {
      this.fail(error);
      entry.resume();
    }
  }

  private check(entry: ReadEntry): string {
    const { limits } = this;
    const path = checkEntryPath(entry.path, limits.maxDepth);
    if (entry.type !== 'Directory' && !FILE_TYPES.has(entry.type)) {
      throw unsafeEntry(entry.path, `is a ${entry.type}, not a plain file or folder`);
    }
    if (((entry.mode ?? 0) & 0o7000) !== 0) throw unsafeEntry(entry.path, 'has a setuid, setgid or sticky mode');
    this.index.add(path, entry.type === 'Directory');
    if (this.index.count > limits.maxEntries)
      throw tooLarge(this.what, 'maxEntries', this.index.count, limits.maxEntries);
    this.unpacked += entry.size ?? 0;
    if (this.unpacked > limits.maxUnpackedBytes) {
      throw tooLarge(this.what, 'maxUnpackedBytes', this.unpacked, limits.maxUnpackedBytes);
    }
    return path;
  }
}

/**
 * Reads a `.tgz` whole into memory and checks every entry before anything touches the disk;
 * any problem rejects the whole archive (node-tar alone would skip bad entries and report success).
 *
 * @throws ModuError `MODU_REGISTRY_ARCHIVE_INVALID`, `MODU_REGISTRY_ARCHIVE_UNSAFE`, `MODU_REGISTRY_ARCHIVE_TOO_LARGE`
 * @example const { files } = await readArchive(bytes);
 */
export function readArchive(
  bytes: Uint8Array,
  what = 'archive',
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<CheckedArchive> {
  const tar = gunzip(bytes, what, limits);
  return new Promise((resolve, reject) => {
    const collector = new EntryCollector(what, limits);
    const parser = new Parser({
      strict: true,
      onwarn: (_code, message) => collector.fail(invalid(what, `is damaged: ${String(message)}`)),
    });
    parser.on('entry', (entry: ReadEntry) => collector.onEntry(entry));
    parser.on('ignoredEntry', (entry: ReadEntry) =>
      collector.fail(unsafeEntry(entry.path, 'is an entry tar could not read')),
    );
    parser.on('error', (error: Error) => collector.fail(invalid(what, `is damaged: ${error.message}`, error)));
    parser.on('end', () => {
      const { files, directories, unpacked } = collector;
      if (files.length === 0) collector.fail(invalid(what, 'holds no files'));
      if (collector.failure !== undefined) reject(collector.failure);
      else resolve({ directories, files, unpackedBytes: unpacked });
    });
    parser.end(tar);
  });
}
