import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomDag, removeGenerated, writePlugins } from './generate-plugins.js';
import { median } from './median.js';
import { nodeVersions } from './node-versions.js';

const run_ = promisify(execFile);
const kernelChild = new URL('./boot-child.js', import.meta.url).pathname;
const floorChild = new URL('./boot-floor-child.js', import.meta.url).pathname;

interface BootRun {
  readonly ms: number;
  readonly started: number;
  /** How long stop() took after the boot (kernel runs only). */
  readonly stopMs?: number;
}

/** The Node binary the boots of the current section run on. */
let node = process.execPath;

async function inFreshProcess(child: string, dir: string): Promise<BootRun> {
  const { stdout } = await run_(node, [child, dir], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as BootRun;
}

/** Three boots of `dir` after one that warms the file-system and scan caches, each in a fresh process. */
async function threeBoots(child: string, dir: string, size: number): Promise<BootRun[]> {
  await inFreshProcess(child, dir);
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await inFreshProcess(child, dir));
  const started = Math.min(...runs.map((r) => r.started));
  if (started !== size) throw new Error(`only ${started} of ${size} plugins started`);
  return runs;
}

const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;

/**
 * Boot time, discovery to all started, in a fresh process per run (cold module cache, as a restarted host), for
 * 100 / 1,000 / 10,000 plugins in a random DAG with about three dependencies each; the median of three runs after one
 * that warms the file-system cache. Growth: 10,000 over 1,000. At 1,000 plugins, also:
 * - the floor (bench/boot-floor-child.ts: folder listing, YAML, gated import, one child container per plugin and
 *   nothing else), interleaved with the kernel's boots, and the kernel's boot as a ratio of it;
 * - the same plugins written as CommonJS, which Node 20 loads without a round trip to the module hooks' thread;
 * - stop(), every plugin stopped and unloaded, for both formats.
 * On this Node, then on Node 24 and 26 where installed (MODU_NODE_CACHE), over the same generated folders.
 */
export async function run(): Promise<void> {
  const dirs = new Map<number, string>();
  for (const size of [100, 1_000, 10_000]) dirs.set(size, await writePlugins(`boot-${size}`, randomDag(size, 3)));
  const cjsDir = await writePlugins('boot-1000-cjs', randomDag(1_000, 3), 'cjs');
  for (const { label, path } of nodeVersions()) {
    node = path;
    console.log(`${label}:`);
    await onThisNode(dirs, cjsDir);
  }
  await removeGenerated();
}

async function onThisNode(dirs: ReadonlyMap<number, string>, cjsDir: string): Promise<void> {
  const results = new Map<number, number>();
  for (const size of [100, 1_000, 10_000]) {
    const dir = dirs.get(size) as string;
    const runs = await threeBoots(kernelChild, dir, size);
    const boot = median(runs.map((r) => r.ms));
    results.set(size, boot);
    console.log(
      `boot ${String(size).padStart(6)} plugins: ${ms(boot)} median of 3 (${(boot / size).toFixed(3)} ms/plugin)`,
    );
    if (size === 1_000) await thousandInDetail(dir, cjsDir, runs);
  }
  const growth = (results.get(10_000) as number) / (results.get(1_000) as number);
  console.log(`boot growth 10,000 / 1,000: ${growth.toFixed(2)}x (linear is 10x; goal <= 12x)`);
}

async function thousandInDetail(esmDir: string, cjsDir: string, esmRuns: readonly BootRun[]): Promise<void> {
  await inFreshProcess(floorChild, esmDir);
  const kernel: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 3; i++) {
    kernel.push((await inFreshProcess(kernelChild, esmDir)).ms);
    floor.push((await inFreshProcess(floorChild, esmDir)).ms);
  }
  const [k, f] = [median(kernel), median(floor)];
  console.log(
    `boot   1000 plugins against the floor, interleaved: kernel ${ms(k)}, floor ${ms(f)}, kernel / floor ${(k / f).toFixed(2)}x`,
  );
  const cjsRuns = await threeBoots(kernelChild, cjsDir, 1_000);
  const stopOf = (runs: readonly BootRun[]) => median(runs.map((r) => r.stopMs ?? Number.NaN));
  console.log(
    `boot   1000 CommonJS plugins: ${ms(median(cjsRuns.map((r) => r.ms)))} (ES modules ${ms(median(esmRuns.map((r) => r.ms))).trim()})`,
  );
  console.log(`stop   1000 plugins: ES modules ${ms(stopOf(esmRuns))}, CommonJS ${ms(stopOf(cjsRuns))} (medians of 3)`);
}
