import { epochNow, type FileTask, scanFileTask } from './scan-file-task.js';
import type { ScanLimits } from './scan-limits.js';
import { SCAN_RULES, type ScanRule } from './scan-rules.js';
import { scanOnThread } from './scan-threads.js';
import type { ScanFinding } from './scan-types.js';

type FileResult = ScanFinding[] | undefined;

/** A finding about a whole file (or `.` for the plugin), at line 1, column 1. */
export function fileFinding(rule: ScanRule, file: string, message: string, capability?: string): ScanFinding {
  const base = { rule, severity: SCAN_RULES[rule].severity, file, line: 1, column: 1, message };
  return capability === undefined ? base : { ...base, capability };
}

/** Scans file after file, yielding to the event loop between files so a host keeps serving. */
async function scanInThread(tasks: readonly FileTask[]): Promise<FileResult[]> {
  const results: FileResult[] = [];
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
 * The scan of one plugin's files under its time budget, which starts with the scan. On worker threads each file
 * is scanned from the moment it is added, while later files are still being read; in this thread, file after
 * file once all are added. Findings come in the order files were added either way.
 */
export class PluginScan {
  private readonly tasks: FileTask[] = [];
  private readonly running: Promise<FileResult>[] = [];
  private readonly deadline: number;

  constructor(
    private readonly limits: ScanLimits,
    private readonly onThreads: boolean,
  ) {
    this.deadline = epochNow() + limits.pluginTimeMs;
  }

  add(path: string, text: string): void {
    const task = { path, text, fileTimeMs: this.limits.fileTimeMs, deadline: this.deadline };
    this.tasks.push(task);
    if (!this.onThreads) return;
    const running = scanOnThread(task);
    // Awaited in findings(); until then a failure must not surface as an unhandled rejection.
    running.catch(() => undefined);
    this.running.push(running);
  }

  /** Every file's findings; past the plugin budget, a `scan-timeout` for the first file it left unscanned. */
  async findings(): Promise<ScanFinding[]> {
    const results = this.onThreads ? await Promise.all(this.running) : await scanInThread(this.tasks);
    const findings: ScanFinding[] = [];
    for (const [i, task] of this.tasks.entries()) {
      const found = results[i];
      if (found === undefined) {
        const message = `the plugin's ${this.limits.pluginTimeMs} ms scan budget ran out here`;
        findings.push(fileFinding('scan-timeout', task.path, message));
        break;
      }
      findings.push(...found);
    }
    return findings;
  }
}
