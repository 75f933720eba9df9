import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { readText } from '../files/read-text.js';
import { listPluginFiles, type PluginEntry } from './list-plugin-files.js';
import { readCachedReport, writeCachedReport } from './scan-cache.js';
import { epochNow, type FileTask, scanFileTask } from './scan-file-task.js';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scan-limits.js';
import { SCAN_RULES, type ScanRule } from './scan-rules.js';
import { scanOnThreads, scanThreadCount } from './scan-threads.js';
import type { ScanFinding, ScanReport } from './scan-types.js';

/** Bumped whenever a rule changes, so that cached reports of an older scanner are not reused. */
export const SCANNER_VERSION = 3;

/** How to scan a plugin folder. */
export interface ScanPluginOptions {
  /** Folder of cached reports (`<contentHash>.json`); without it nothing is cached. */
  readonly cacheDir?: string;
  readonly limits?: Partial<ScanLimits>;
  /**
   * JavaScript bytes from which a plugin's files are scanned on worker threads, in parallel (default 1 MiB):
   * smaller plugins stay in this thread, where they cost no thread start. `Infinity` never uses threads.
   */
  readonly parallelFromBytes?: number;
}

const MIB = 1024 * 1024;
const DEFAULT_PARALLEL_BYTES = MIB;
const JS = /\.(js|mjs|cjs)$/;
const TS = /\.(ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(ts|mts|cts)$/;

interface Prepared {
  readonly code: Array<{ readonly path: string; readonly text: string }>;
  readonly findings: ScanFinding[];
  readonly hash: string;
  readonly bytes: number;
}

function fileFinding(rule: ScanRule, file: string, message: string, capability?: string): ScanFinding {
  const base = { rule, severity: SCAN_RULES[rule].severity, file, line: 1, column: 1, message };
  return capability === undefined ? base : { ...base, capability };
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

async function prepare(root: string, limits: ScanLimits): Promise<Prepared> {
  const listing = await listPluginFiles(root, limits.maxEntries);
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
  const code: Prepared['code'][number][] = [];
  for (let i = 0; i < toRead.length; i += 16) {
    const batch = toRead.slice(i, i + 16);
    const texts = await Promise.all(batch.map((entry) => readText(join(root, entry.path))));
    batch.forEach((entry, j) => {
      const text = texts[j] ?? '';
      hash.update(`${entry.path}\0`).update(text);
      code.push({ path: entry.path, text });
    });
  }
  return { code, findings, hash: hash.digest('hex'), bytes };
}

/** Scans file after file under the plugin budget, yielding to the event loop between files so a host keeps serving. */
async function scanInThread(tasks: readonly FileTask[]): Promise<Array<ScanFinding[] | undefined>> {
  const results: Array<ScanFinding[] | undefined> = [];
  let lastYield = performance.now();
  for (const task of tasks) {
    const found = scanFileTask(task);
    results.push(found);
    if (found === undefined) break;
    if (performance.now() - lastYield > 20) {
      await new Promise((resolveYield) => setImmediate(resolveYield));
      lastYield = performance.now();
    }
  }
  return results;
}

/**
 * Scans every file, on worker threads when the plugin has at least `parallelFromBytes` of JavaScript and the
 * machine more than one core. Findings come in file order either way; past the plugin budget, the first file
 * that found it spent gets a `scan-timeout` finding and no later file is reported.
 */
async function scanAll(prepared: Prepared, limits: ScanLimits, parallelFromBytes: number): Promise<ScanFinding[]> {
  const deadline = epochNow() + limits.pluginTimeMs;
  const tasks = prepared.code.map(({ path, text }) => ({ path, text, fileTimeMs: limits.fileTimeMs, deadline }));
  const parallel = tasks.length > 1 && prepared.bytes >= parallelFromBytes && scanThreadCount() > 1;
  const results = parallel ? await scanOnThreads(tasks) : await scanInThread(tasks);
  const findings = [...prepared.findings];
  for (const [i, task] of tasks.entries()) {
    const found = results[i];
    if (found === undefined) {
      const message = `the plugin's ${limits.pluginTimeMs} ms scan budget ran out here`;
      findings.push(fileFinding('scan-timeout', task.path, message));
      break;
    }
    findings.push(...found);
  }
  return findings;
}

/**
 * Scans every file of a plugin folder (async I/O, links never followed) and returns its report: findings with
 * file:line:column and the capabilities the code needs. With `cacheDir`, a report is reused for the same content
 * hash across restarts; a corrupt cache file is ignored and rewritten.
 *
 * @throws ModuError `MODU_FILE_MISSING` when `root` is not a readable folder.
 *
 * @example
 * const report = await scanPlugin('plugins/users', { cacheDir: '.modu/scan-cache' });
 * report.capabilities // ['env', 'node:fs']
 */
export async function scanPlugin(root: string, options: ScanPluginOptions = {}): Promise<ScanReport> {
  const limits = { ...DEFAULT_SCAN_LIMITS, ...options.limits };
  const prepared = await prepare(resolve(root), limits);
  if (options.cacheDir !== undefined) {
    const cached = await readCachedReport(options.cacheDir, prepared.hash);
    if (cached) return { ...cached, fromCache: true };
  }
  const findings = await scanAll(prepared, limits, options.parallelFromBytes ?? DEFAULT_PARALLEL_BYTES);
  const capabilities = new Set<string>();
  for (const finding of findings) if (finding.capability !== undefined) capabilities.add(finding.capability);
  const report: ScanReport = {
    contentHash: prepared.hash,
    files: prepared.code.length,
    bytes: prepared.bytes,
    findings,
    capabilities: [...capabilities].sort(),
  };
  // The cache is an optimisation: a folder we cannot write to must not fail the scan.
  if (options.cacheDir !== undefined) await writeCachedReport(options.cacheDir, report).catch(() => undefined);
  return report;
}
