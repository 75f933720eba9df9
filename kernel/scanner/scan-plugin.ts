import { createHash, type Hash } from 'node:crypto';
import { readFile } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { readText } from '../files/read-text.js';
import { IGNORE_FILE, IgnoreList } from './ignore-list.js';
import { listPluginFiles, type PluginEntry, type PluginListing } from './list-plugin-files.js';
import { goalOf, outerPackageType, type PackageType, packageTypeOf } from './package-scope.js';
import { fileFinding, PluginScan } from './plugin-scan.js';
import { ScanIndex } from './scan-index.js';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scan-limits.js';
import { scanThreadCount } from './scan-threads.js';
import type { ApprovedFile, ApprovedGoal, ScanFinding, ScanReport } from './scan-types.js';

/** Bumped whenever a rule changes, so that cached reports of an older scanner are not reused. */
export const SCANNER_VERSION = 5;

/** How to scan a plugin folder. */
export interface ScanPluginOptions {
  /** Folder of the scan cache (see {@link ScanIndex}); without it nothing is cached. */
  readonly cacheDir?: string;
  readonly limits?: Partial<ScanLimits>;
  /**
   * JavaScript bytes from which a plugin's files are scanned on worker threads, in parallel (default 1 MiB):
   * smaller plugins stay in this thread, where they cost no thread start. `Infinity` never uses threads.
   */
  readonly parallelFromBytes?: number;
  /**
   * The plugin folder as already listed (discovery lists each folder once, for the manifest and this scan);
   * without it, or when it was listed under another entry limit than this scan's, the folder is listed here.
   */
  readonly listing?: PluginListing;
}

const DEFAULT_PARALLEL_BYTES = 1024 * 1024;
/** Plugins up to this many bytes are read into memory once; larger ones are streamed, a file at a time. */
const IN_MEMORY_BYTES = 1024 * 1024;
const CODE = /\.(js|mjs|cjs)$/;
const BINARY = /\.(node|wasm)$/;

/** How the scan reads a file: JavaScript to scan, JSON data, or a binary to hash. Other files are not read. */
type Role = 'code' | 'json' | 'binary';

interface ToRead extends PluginEntry {
  readonly role: Role;
}

/** A plugin folder listed and checked against the limits: which files to read, and what the listing found. */
interface Listed {
  readonly root: string;
  readonly toRead: readonly ToRead[];
  readonly findings: readonly ScanFinding[];
  /** sha256 over the scanner version, the limits and the listing; {@link contentHashOf} adds the contents. */
  readonly hash: Hash;
  readonly bytes: number;
  /** When the listing began: a file whose identity is remembered must have settled before then. */
  readonly listedAt: number;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const readBytes = promisify(readFile);

/** The plugin's content hash: the listing, and each file to read by the sha256 of its content, in order. */
function contentHashOf(listed: Listed, shas: readonly (string | undefined)[]): string {
  const hash = listed.hash.copy();
  listed.toRead.forEach((entry, i) => {
    hash.update(`${entry.path}\0${shas[i]}\0`);
  });
  return hash.digest('hex');
}

function roleOf(path: string): Role | undefined {
  if (CODE.test(path)) return 'code';
  if (path.endsWith('.json')) return 'json';
  return BINARY.test(path) ? 'binary' : undefined;
}

function entryFinding(entry: PluginEntry): ScanFinding | undefined {
  if (entry.kind === 'symlink')
    return fileFinding('symlink', entry.path, 'is a symbolic link; plugins must not contain links');
  if (entry.kind === 'special') return fileFinding('special-file', entry.path, 'is not a regular file');
  if (entry.path.endsWith('.node')) return fileFinding('native-addon', entry.path, 'is a native addon', 'native');
  if (entry.path.endsWith('.wasm')) {
    return fileFinding('webassembly', entry.path, 'is a WebAssembly module: loading it compiles code', 'dynamic-code');
  }
  return undefined;
}

/** The plugin's `.moduignore`, when it lists one. */
async function ignoreListOf(root: string, listing: PluginListing): Promise<IgnoreList | undefined> {
  if (!listing.entries.some((entry) => entry.path === IGNORE_FILE && entry.kind === 'file')) return undefined;
  const list = IgnoreList.parse(await readText(join(root, IGNORE_FILE)).catch(() => ''));
  return list.empty ? undefined : list;
}

async function listCode(root: string, limits: ScanLimits, given: PluginListing | undefined): Promise<Listed> {
  const listing = given?.maxEntries === limits.maxEntries ? given : await listPluginFiles(root, limits.maxEntries);
  const ignore = await ignoreListOf(root, listing);
  const outerType = await outerPackageType(root);
  const hash = createHash('sha256').update(`modu-scan:${SCANNER_VERSION}:${JSON.stringify(limits)}:${outerType}\n`);
  const findings: ScanFinding[] = [];
  if (listing.truncated)
    findings.push(fileFinding('plugin-too-large', '.', `has more than ${limits.maxEntries} entries`));
  const toRead: ToRead[] = [];
  let bytes = 0;
  for (const entry of listing.entries) {
    if (ignore?.ignoresEntry(entry.path)) continue;
    hash.update(`${entry.path}\0${entry.kind}\0${entry.size}\0`);
    const finding = entryFinding(entry);
    if (finding) findings.push(finding);
    const role = entry.kind === 'file' ? roleOf(entry.path) : undefined;
    if (role === undefined) continue;
    if (role === 'code' && entry.size > limits.maxFileBytes) {
      findings.push(
        fileFinding('file-too-large', entry.path, `is ${entry.size} bytes, over the ${limits.maxFileBytes}-byte limit`),
      );
    } else {
      bytes += entry.size;
      toRead.push({ ...entry, role });
    }
  }
  if (bytes <= limits.maxPluginBytes) return { root, toRead, findings, hash, bytes, listedAt: listing.listedAt };
  // Rejected before anything is read: the limit bounds the scan's time and memory, so nothing past it is looked at.
  const message = `holds ${bytes} bytes of JavaScript, JSON and binaries, over the ${limits.maxPluginBytes}-byte limit`;
  findings.push(fileFinding('plugin-too-large', '.', message));
  return { root, toRead: [], findings, hash, bytes: 0, listedAt: listing.listedAt };
}

/** Reads a file as the module gate will compare it: UTF-8 text for code and JSON, bytes for a binary. */
function readEntry(listed: Listed, entry: ToRead): Promise<string | Buffer> {
  const path = join(listed.root, entry.path);
  return entry.role === 'binary' ? readBytes(path) : readText(path);
}

/** The cached report of a plugin none of whose files changed since they were last read, without reading them. */
function unchangedReport(listed: Listed, index: ScanIndex): ScanReport | undefined {
  const shas: string[] = [];
  for (const entry of listed.toRead) {
    const sha = index.shaOf(join(listed.root, entry.path), entry);
    if (sha === undefined) return undefined;
    shas.push(sha);
  }
  return index.report(contentHashOf(listed, shas));
}

/** The `type` of every package.json the plugin holds, by folder ('' for the root). */
function packageTypes(listed: Listed, contents: ReadonlyMap<number, string | Buffer>): Map<string, PackageType> {
  const types = new Map<string, PackageType>();
  listed.toRead.forEach((entry, i) => {
    if (entry.path !== 'package.json' && !entry.path.endsWith('/package.json')) return;
    const dir = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
    types.set(dir, packageTypeOf(String(contents.get(i) ?? '')));
  });
  return types;
}

/** Reads the files named, a few at a time, into a map by index; all of them when `which` is undefined. */
async function readAll(listed: Listed, which?: (entry: ToRead) => boolean): Promise<Map<number, string | Buffer>> {
  const contents = new Map<number, string | Buffer>();
  const wanted = listed.toRead.map((entry, i) => [entry, i] as const).filter(([entry]) => which?.(entry) ?? true);
  for (let at = 0; at < wanted.length; at += 16) {
    const batch = wanted.slice(at, at + 16);
    const read = await Promise.all(batch.map(([entry]) => readEntry(listed, entry)));
    for (const [j, [, i]] of batch.entries()) contents.set(i, read[j] ?? '');
  }
  return contents;
}

/** The sha256 of every file, reading those not in `contents` one at a time and dropping them. */
async function hashAll(listed: Listed, contents: ReadonlyMap<number, string | Buffer>): Promise<string[]> {
  const shas: string[] = [];
  for (const [i, entry] of listed.toRead.entries()) {
    shas.push(sha256(contents.get(i) ?? (await readEntry(listed, entry))));
  }
  return shas;
}

interface ScanRun {
  readonly shas: string[];
  readonly goals: ApprovedGoal[];
  readonly findings: ScanFinding[];
}

/**
 * Scans the code files in order, each read (unless in `contents`), hashed, scanned and dropped in turn: the text of
 * a few files at most is held at once, whatever the plugin's size. The sha256 and goal of each file are those of the
 * very text scanned.
 */
async function scanFiles(
  listed: Listed,
  contents: Map<number, string | Buffer>,
  types: ReadonlyMap<string, PackageType>,
  scan: PluginScan,
): Promise<ScanRun> {
  const outerType = await outerPackageType(listed.root);
  const shas: string[] = [];
  const requested: Array<ApprovedGoal | 'detect'> = [];
  const codeAt: number[] = [];
  for (const [i, entry] of listed.toRead.entries()) {
    const content = contents.get(i) ?? (await readEntry(listed, entry));
    contents.delete(i);
    shas.push(sha256(content));
    if (entry.role !== 'code') {
      requested.push(entry.role);
      continue;
    }
    const goal = goalOf(entry.path, types, outerType);
    requested.push(goal === 'module' || goal === 'script' ? goal : 'detect');
    codeAt.push(i);
    await scan.add(entry.path, String(content), goal);
  }
  const outcome = await scan.finish();
  // A file that parsed under no goal cannot run; it is approved as a script, the goal Node tries first.
  const goals = requested.map((goal) => (goal === 'detect' ? 'script' : goal));
  codeAt.forEach((i, k) => {
    const parsed = outcome.goals[k];
    if (parsed !== undefined) goals[i] = parsed;
  });
  return { shas, goals, findings: outcome.findings };
}

function approvedFiles(listed: Listed, run: ScanRun): Record<string, ApprovedFile> {
  const approved: Record<string, ApprovedFile> = {};
  listed.toRead.forEach((entry, i) => {
    approved[entry.path] = { sha256: run.shas[i] as string, goal: run.goals[i] as ApprovedGoal };
  });
  return approved;
}

/**
 * Scans a plugin folder (async I/O, links never followed) and returns its report: findings with file:line:column,
 * the capabilities the code needs, and the files approved to load. Every file Node could load as code is scanned
 * under the goal Node will use for it (`.js` by the nearest package.json `type`), JSON and binaries are hashed, and
 * every other file (`.ts` sources, text, data) is left unread and unapproved, so the module gate refuses to load it;
 * `.moduignore` leaves files out the same way. With `cacheDir`, a report is reused for the same content hash across
 * restarts, and files unchanged since they were last read are not read again; a corrupt cache is ignored and
 * rewritten. A plugin over the size limits is rejected before anything is read; a larger one is streamed a file at a
 * time, so the scan's memory is bounded by the largest file, not the plugin.
 *
 * @throws ModuError `MODU_FILE_MISSING` when `root` is not a readable folder.
 *
 * @example
 * const report = await scanPlugin('plugins/users', { cacheDir: '.modu/scan-cache' });
 * report.capabilities // ['env', 'node:fs']
 */
export async function scanPlugin(root: string, options: ScanPluginOptions = {}): Promise<ScanReport> {
  const limits = { ...DEFAULT_SCAN_LIMITS, ...options.limits };
  const listed = await listCode(resolve(root), limits, options.listing);
  const { cacheDir } = options;
  const index = cacheDir === undefined ? undefined : await ScanIndex.open(cacheDir, listed.root, SCANNER_VERSION);
  const unchanged = index === undefined ? undefined : unchangedReport(listed, index);
  if (unchanged !== undefined) return { ...unchanged, fromCache: true };
  const small = listed.bytes <= IN_MEMORY_BYTES;
  const contents = await readAll(listed, small ? undefined : (entry) => entry.role === 'json');
  if (index !== undefined) {
    const shas = await hashAll(listed, contents);
    listed.toRead.forEach((entry, i) => {
      index.remember(join(listed.root, entry.path), entry, shas[i] as string, listed.listedAt);
    });
    const cached = index.report(contentHashOf(listed, shas));
    // Written before the scan resolves, as a new report is; a folder we cannot write to must not fail the scan.
    if (cached) {
      await index.save().catch(() => undefined);
      return { ...cached, fromCache: true };
    }
  }
  const parallelFrom = options.parallelFromBytes ?? DEFAULT_PARALLEL_BYTES;
  const codeFiles = listed.toRead.filter((entry) => entry.role === 'code').length;
  const onThreads = codeFiles > 1 && listed.bytes >= parallelFrom && scanThreadCount() > 1;
  const run = await scanFiles(listed, contents, packageTypes(listed, contents), new PluginScan(limits, onThreads));
  // Reading decorator metadata back matters only where a file stored the Function constructor in it.
  const stored = run.findings.some((finding) => finding.rule === 'design-metadata');
  const kept = run.findings.filter((f) => f.rule !== 'design-metadata' && (stored || f.rule !== 'metadata-read'));
  const findings = [...listed.findings, ...kept];
  const capabilities = new Set<string>();
  for (const finding of findings) if (finding.capability !== undefined) capabilities.add(finding.capability);
  const report: ScanReport = {
    contentHash: contentHashOf(listed, run.shas),
    files: codeFiles,
    bytes: listed.bytes,
    findings,
    approved: approvedFiles(listed, run),
    capabilities: [...capabilities].sort(),
  };
  await index?.store(report).catch(() => undefined);
  return report;
}
