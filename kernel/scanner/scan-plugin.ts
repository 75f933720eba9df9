import { join, resolve } from 'node:path';
import type { PluginListing } from './list-plugin-files.js';
import { PluginScan } from './plugin-scan.js';
import { approvedFiles, hashAll, packageTypes, readAll, scanFiles } from './scan-files.js';
import { ScanIndex } from './scan-index.js';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scan-limits.js';
import { contentHashOf, type Listed, listCode } from './scan-listing.js';
import { scanThreadCount } from './scan-threads.js';
import type { ScanReport } from './scan-types.js';

/** Bumped whenever a rule changes, so that cached reports of an older scanner are not reused. */
export const SCANNER_VERSION = 6;

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
  const listed = await listCode(resolve(root), limits, options.listing, SCANNER_VERSION);
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
