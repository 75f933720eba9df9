import { retargetMessage } from './method-retargets.js';
import type { SourceType } from './parse-source.js';
import { epochNow, type FileResult, scanFileTask } from './scan-file-task.js';
import type { ScanLimits } from './scan-limits.js';
import { SCAN_RULES, type ScanRule } from './scan-rules.js';
import { scanOnThread, scanThreadCount } from './scan-threads.js';
import type { ScanFinding } from './scan-types.js';

/** A finding about a whole file (or `.` for the plugin), at line 1, column 1. */
export function fileFinding(rule: ScanRule, file: string, message: string, capability?: string): ScanFinding {
  const base = { rule, severity: SCAN_RULES[rule].severity, file, line: 1, column: 1, message };
  return capability === undefined ? base : { ...base, capability };
}

/**
 * Sites in one file that may call, with another receiver, an instance method of another file that uses
 * `this.constructor` (each file already reports the pairs within itself).
 */
function crossFileRetargets(paths: readonly string[], results: ReadonlyArray<FileResult | undefined>): ScanFinding[] {
  const owners = new Map<string, string>();
  results.forEach((result, i) => {
    for (const method of result?.retargets.methods ?? []) if (!owners.has(method)) owners.set(method, paths[i] ?? '');
  });
  if (owners.size === 0) return [];
  const findings: ScanFinding[] = [];
  results.forEach((result, i) => {
    const path = paths[i] ?? '';
    for (const [name, line, column] of result?.retargets.sites ?? []) {
      const matches = name === '*' ? [...owners] : [...owners].filter(([method]) => method === name || method === '*');
      const other = matches.find(([, owner]) => owner !== path);
      if (other === undefined) continue;
      const message = retargetMessage(other[0] === '*' ? name : other[0], `in ${other[1]}`);
      findings.push({ ...fileFinding('function-constructor', path, message, 'dynamic-code'), line, column });
    }
  });
  return findings;
}

/** What a whole plugin scan found: the findings in file order, and the goal each file parsed under. */
export interface ScanOutcome {
  readonly findings: ScanFinding[];
  /** By file, in the order added; undefined for a file that did not parse or was left unscanned. */
  readonly goals: ReadonlyArray<'module' | 'script' | undefined>;
}

/**
 * The scan of one plugin's files under its time budget, which starts with the scan. Files are scanned as they are
 * added, so that a caller holds only a few files' text at once: in this thread at once (yielding to the event loop
 * every 20 ms so a host keeps serving), on worker threads with a few files in flight. Findings come in the order
 * files were added either way.
 */
export class PluginScan {
  private readonly paths: string[] = [];
  private readonly results: Array<FileResult | undefined | Promise<FileResult | undefined>> = [];
  /** Files handed to worker threads and not yet done: `add` waits while there are too many. */
  private readonly window: Promise<unknown>[] = [];
  private readonly deadline: number;
  private stopped = false;
  private lastYield = performance.now();

  constructor(
    private readonly limits: ScanLimits,
    private readonly onThreads: boolean,
  ) {
    this.deadline = epochNow() + limits.pluginTimeMs;
  }

  /** Scans one file (or hands it to a thread); resolves once its text may be dropped by the caller. */
  async add(path: string, text: string, goal: SourceType): Promise<void> {
    const task = { path, text, goal, fileTimeMs: this.limits.fileTimeMs, deadline: this.deadline };
    this.paths.push(path);
    if (this.onThreads) {
      const running = scanOnThread(task);
      // Awaited in finish(); until then a failure must not surface as an unhandled rejection.
      running.catch(() => undefined);
      this.results.push(running);
      this.window.push(running);
      if (this.window.length >= 2 * scanThreadCount()) await this.window.shift()?.catch(() => undefined);
      return;
    }
    const found = this.stopped ? undefined : scanFileTask(task);
    this.stopped = found === undefined;
    this.results.push(found);
    if (performance.now() - this.lastYield > 20) {
      await new Promise((resolveYield) => setImmediate(resolveYield));
      this.lastYield = performance.now();
    }
  }

  /** Every file's findings and goal; past the plugin budget, a `scan-timeout` for the first file left unscanned. */
  async finish(): Promise<ScanOutcome> {
    const results = await Promise.all(this.results);
    const findings: ScanFinding[] = [];
    const goals: Array<'module' | 'script' | undefined> = [];
    for (const [i, path] of this.paths.entries()) {
      const found = results[i];
      if (found === undefined) {
        const message = `the plugin's ${this.limits.pluginTimeMs} ms scan budget ran out here`;
        findings.push(fileFinding('scan-timeout', path, message));
        break;
      }
      findings.push(...found.findings);
      goals.push(found.goal);
    }
    findings.push(...crossFileRetargets(this.paths, results));
    return { findings, goals };
  }
}
