import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { FileResult, FileTask } from './scan-file-task.js';

/** Most worker threads the pool starts, whatever the cores: each costs a start and its own compiled scanner. */
const MAX_THREADS = 4;
/** How long an idle worker waits for the next scan before it exits, in milliseconds. */
const IDLE_MS = 10_000;

let pool: Piscina<FileTask, FileResult | undefined> | undefined;

function threadPool(): Piscina<FileTask, FileResult | undefined> {
  pool ??= new Piscina({
    filename: new URL('./scan-file-task.js', import.meta.url).href,
    name: 'scanFileTask',
    minThreads: 0,
    maxThreads: scanThreadCount(),
    idleTimeout: IDLE_MS,
    // A few tasks queued at each worker: it starts the next file without waiting on this thread to hand it over.
    concurrentTasksPerWorker: 4,
  });
  return pool;
}

/** How many worker threads a parallel scan may use on this machine; with fewer than 2, scans stay in-thread. */
export function scanThreadCount(): number {
  return Math.min(MAX_THREADS, availableParallelism());
}

/**
 * Runs a file task on a pool of worker threads shared by every scan of the process, started on first use.
 * Piscina unrefs its workers and ends each after {@link IDLE_MS} idle, so the pool never keeps a process alive.
 */
export function scanOnThread(task: FileTask): Promise<FileResult | undefined> {
  return threadPool().run(task);
}
