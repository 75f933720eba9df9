import type { SourceType } from './parse-source.js';
import { type FileRetargets, scanSourceGoal } from './scan-source.js';
import type { ScanFinding } from './scan-types.js';

const MIB = 1024 * 1024;

/** One file of a plugin scan, as run in this thread or handed to a worker thread. */
export interface FileTask {
  /** Path relative to the plugin root, with forward slashes. */
  readonly path: string;
  readonly text: string;
  /** The goal Node will use for it. */
  readonly goal: SourceType;
  /** The per-file budget (`ScanLimits.fileTimeMs`), per MiB of source. */
  readonly fileTimeMs: number;
  /** When the plugin's budget runs out, in milliseconds since the epoch: the same instant on every thread. */
  readonly deadline: number;
}

/** What scanning one file found, and the goal it parsed under (undefined when it does not parse). */
export interface FileResult {
  readonly findings: ScanFinding[];
  readonly goal: 'module' | 'script' | undefined;
  readonly retargets: FileRetargets;
}

/** Now, in milliseconds since the epoch at sub-millisecond precision; comparable across threads. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Scans one file under what is left of the plugin's budget, or returns undefined when nothing is left as it
 * starts. Parsing is linear but not interruptible, so a file's budget grows with its size.
 */
export function scanFileTask(task: FileTask): FileResult | undefined {
  const left = task.deadline - epochNow();
  if (left <= 0) return undefined;
  const budget = task.fileTimeMs * Math.max(1, task.text.length / MIB);
  return scanSourceGoal(task.text, { file: task.path, sourceType: task.goal, timeBudgetMs: Math.min(left, budget) });
}
