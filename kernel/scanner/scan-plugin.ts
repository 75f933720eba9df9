import { createHash, type Hash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { readText } from '../files/read-text.js';
import { listPluginFiles, type PluginEntry, type PluginListing } from './list-plugin-files.js';
import { fileFinding, PluginScan } from './plugin-scan.js';
import { ScanIndex } from './scan-index.js';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scan-limits.js';
import { scanThreadCount } from './scan-threads.js';
import type { ScanFinding, ScanReport } from './scan-types.js';

/** Bumped whenever a rule changes, so that cached reports of an older scanner are not reused. */
export const SCANNER_VERSION = 3;

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
const JS = /\.(js|mjs|cjs)$/;
const TS = /\.(ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(ts|mts|cts)$/;

/** A plugin folder listed and checked against the limits: which files to read, and what the listing found. */
interface Listed {
  readonly root: string;
  readonly toRead: readonly PluginEntry[];
  readonly findings: readonly ScanFinding[];
  /** sha256 over the scanner version, the limits and the listing; {@link contentHashOf} adds the contents. */
  readonly hash: Hash;
  readonly bytes: number;
  /** When the listing began: a file whose identity is remembered must have settled before then. */
  readonly listedAt: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The plugin's content hash: the listing, and each file to scan by the sha256 of its text, in order. */
function contentHashOf(listed: Listed, shas: readonly string[]): string {
  const hash = listed.hash.copy();
  listed.toRead.forEach((entry, i) => {
    hash.update(`${entry.path}\0${shas[i]}\0`);
  });
  return hash.digest('hex');
}

function entryFinding(entry: PluginEntry): ScanFinding | undefined {
  if (entry.kind === 'symlink')
    return fileFinding('symlink', entry.path, 'is a symbolic link; plugins must not contain links');
  if (entry.kind === 'special') return fileFinding('special-file', entry.path, 'is not a regular file');
  if (entry.path.endsWith('.node')) return fileFinding('native-addon', entry.path, 'is a native addon', 'native');
  if (TS.test(entry.path) && !DECLARATION.test(entry.path)) {
    return fileFinding(
      'typescript-source',
      entry.path,
      'is TypeScript: build the plugin to JavaScript and ship the .js output',
    );
  }
  return undefined;
}

async function listCode(root: string, limits: ScanLimits, given: PluginListing | undefined): Promise<Listed> {
  const listing = given?.maxEntries === limits.maxEntries ? given : await listPluginFiles(root, limits.maxEntries);
  const hash = createHash('sha256').update(`modu-scan:${SCANNER_VERSION}:${JSON.stringify(limits)}\n`);
  const findings: ScanFinding[] = [];
  if (listing.truncated)
    findings.push(fileFinding('plugin-too-large', '.', `has more than ${limits.maxEntries} entries`));
  const toRead: PluginEntry[] = [];
  let bytes = 0;
  for (const entry of listing.entries) {
    hash.update(`${entry.path}\0${entry.kind}\0${entry.size}\0`);
    const finding = entryFinding(entry);
    if (finding) findings.push(finding);
    if (entry.kind !== 'file' || !JS.test(entry.path)) continue;
    if (entry.size > limits.maxFileBytes) {
      findings.push(
        fileFinding('file-too-large', entry.path, `is ${entry.size} bytes, over the ${limits.maxFileBytes}-byte limit`),
      );
    } else if (bytes + entry.size > limits.maxPluginBytes) {
      findings.push(
        fileFinding('plugin-too-large', entry.path, `takes the plugin over its ${limits.maxPluginBytes}-byte limit`),
      );
    } else {
      bytes += entry.size;
      toRead.push(entry);
    }
  }
  return { root, toRead, findings, hash, bytes, listedAt: listing.listedAt };
}

/** Reads the listed files in order, a few at a time, into the scan when given one; returns them. */
async function readCode(listed: Listed, scan: PluginScan | undefined): Promise<Array<[path: string, text: string]>> {
  const code: Array<[string, string]> = [];
  for (let i = 0; i < listed.toRead.length; i += 16) {
    const batch = listed.toRead.slice(i, i + 16);
    const texts = await Promise.all(batch.map((entry) => readText(join(listed.root, entry.path))));
    batch.forEach((entry, j) => {
      const text = texts[j] ?? '';
      code.push([entry.path, text]);
      scan?.add(entry.path, text);
    });
  }
  return code;
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

/**
 * Scans every file of a plugin folder (async I/O, links never followed) and returns its report: findings with
 * file:line:column and the capabilities the code needs. With `cacheDir`, a report is reused for the same content
 * hash across restarts, and files unchanged since they were last read are not read again; a corrupt cache is
 * ignored and rewritten.
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
  const parallelFrom = options.parallelFromBytes ?? DEFAULT_PARALLEL_BYTES;
  const onThreads = listed.toRead.length > 1 && listed.bytes >= parallelFrom && scanThreadCount() > 1;
  // On threads with no cache to consult first, each file is scanned while the next ones are read.
  const early = onThreads && index === undefined ? new PluginScan(limits, onThreads) : undefined;
  const code = await readCode(listed, early);
  const shas = code.map(([, text]) => sha256(text));
  const contentHash = contentHashOf(listed, shas);
  if (index !== undefined) {
    listed.toRead.forEach((entry, i) => {
      index.remember(join(listed.root, entry.path), entry, shas[i] as string, listed.listedAt);
    });
    const cached = index.report(contentHash);
    // Written before the scan resolves, as a new report is; a folder we cannot write to must not fail the scan.
    if (cached) {
      await index.save().catch(() => undefined);
      return { ...cached, fromCache: true };
    }
  }
  let scan = early;
  if (scan === undefined) {
    scan = new PluginScan(limits, onThreads);
    for (const [path, text] of code) scan.add(path, text);
  }
  const findings = [...listed.findings, ...(await scan.findings())];
  const capabilities = new Set<string>();
  for (const finding of findings) if (finding.capability !== undefined) capabilities.add(finding.capability);
  const report: ScanReport = {
    contentHash,
    files: code.length,
    bytes: listed.bytes,
    findings,
    capabilities: [...capabilities].sort(),
  };
  await index?.store(report).catch(() => undefined);
  return report;
}
