import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomDag, removeGenerated, writePlugins } from './generate-plugins.js';

const run_ = promisify(execFile);
const child = new URL('./boot-child.js', import.meta.url).pathname;

async function bootInFreshProcess(dir: string): Promise<{ ms: number; started: number }> {
  const { stdout } = await run_(process.execPath, [child, dir], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { ms: number; started: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Boot time, discovery to all started, in a fresh process per run (cold module cache, as a restarted
 * host), for 100 / 1,000 / 10,000 plugins in a random DAG with about three dependencies each; the
 * median of three runs after one that warms the file-system cache. Growth: 10,000 over 1,000.
 */
export async function run(): Promise<void> {
  const results = new Map<number, number>();
  for (const size of [100, 1_000, 10_000]) {
    const dir = await writePlugins(`boot-${size}`, randomDag(size, 3));
    await bootInFreshProcess(dir);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await bootInFreshProcess(dir));
    const started = Math.min(...runs.map((r) => r.started));
    if (started !== size) throw new Error(`only ${started} of ${size} plugins started`);
    const ms = median(runs.map((r) => r.ms));
    results.set(size, ms);
    console.log(
      `boot ${String(size).padStart(6)} plugins: ${ms.toFixed(0).padStart(6)} ms median of 3 (${(ms / size).toFixed(3)} ms/plugin)`,
    );
  }
  const growth = (results.get(10_000) as number) / (results.get(1_000) as number);
  console.log(`boot growth 10,000 / 1,000: ${growth.toFixed(2)}x (linear is 10x; goal <= 12x)`);
  await removeGenerated();
}
