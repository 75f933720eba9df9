import { gzipSync } from 'node:zlib';
import { Header, Pax } from 'tar';

/** One entry of a tar archive to write. Paths are written as given: tests use this to build hostile archives. */
export interface TarEntry {
  readonly path: string;
  readonly type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'FIFO';
  readonly mode?: number;
  readonly data?: Uint8Array;
  readonly linkpath?: string;
  /** Declared size, when a test wants it to differ from the data (a truncated archive). */
  readonly size?: number;
}

const BLOCK = 512;
// A fixed time keeps archives byte-identical across machines and runs.
const EPOCH = new Date('2000-01-01T00:00:00Z');

function headerBlocks(entry: TarEntry, size: number): Buffer[] {
  const fields = {
    path: entry.path,
    mode: entry.mode ?? (entry.type === 'Directory' ? 0o755 : 0o644),
    uid: 0,
    gid: 0,
    size,
    mtime: EPOCH,
    type: entry.type ?? 'File',
    uname: '',
    gname: '',
    ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }),
  } as const;
  const header = new Header(fields);
  const block = Buffer.alloc(BLOCK);
  header.encode(block, 0);
  if (!header.needPax) return [block];
  const pax = new Pax({ path: entry.path, ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }) });
  return [pax.encode(), block];
}

/** Writes entries, in the order given, as an uncompressed tar. */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? new Uint8Array());
    parts.push(...headerBlocks(entry, entry.size ?? data.length));
    if (data.length > 0) {
      parts.push(data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** Gzips bytes deterministically: no file name, mtime 0, and the OS byte set to "unknown". */
export function gzipPortable(data: Uint8Array): Buffer {
  const out = gzipSync(data, { level: 9 });
  out[9] = 0xff;
  return out;
}

/** Writes entries as a deterministic `.tgz`. */
export function writeTgz(entries: readonly TarEntry[]): Buffer {
  return gzipPortable(writeTar(entries));
}
