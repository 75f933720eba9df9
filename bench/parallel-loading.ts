import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type GeneratedPlugin, removeGenerated, seeded, writePlugins } from './generate-plugins.js';
import { median } from './median.js';
import { nodeVersions } from './node-versions.js';

const run_ = promisify(execFile);
const child = fileURLToPath(new URL('./parallel-loading-child.js', import.meta.url));
const levels = 10;
const width = 10;
const waitMs = 20;
const rounds = 5;

/** 100 plugins in 10 levels; each depends on two plugins of the level below, and its onLoad waits `wait` ms. */
function layeredPlugins(wait: number): GeneratedPlugin[] {
  const random = seeded(7);
  const plugins: GeneratedPlugin[] = [];
  for (let level = 0; level < levels; level++) {
    for (let i = 0; i < width; i++) {
      const below = level === 0 ? [] : [0, 1].map(() => `l${level - 1}-${Math.floor(random() * width)}`);
      plugins.push({
        name: `l${level}-${i}`,
        dependencies: [...new Set(below)],
        definition: `{ services: { Value: { value: ${i} } }, onLoad: () => new Promise((resolve) => setTimeout(resolve, ${wait})) }`,
      });
    }
  }
  return plugins;
}

/** One boot in a fresh process: its total, and when each plugin began loading and finished. */
interface Boot {
  readonly ms: number;
  readonly loading: Record<string, number>;
  readonly loaded: Record<string, number>;
}

async function boot(node: string, dir: string): Promise<Boot> {
  const { stdout } = await run_(node, [child, dir], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Boot;
}

/**
 * How long each plugin with dependencies waited, once its last dependency had loaded, before it began loading: the
 * scheduler's own delay (zero when a plugin starts loading the moment it can).
 */
function readyDelays(plugins: readonly GeneratedPlugin[], { loading, loaded }: Boot): number[] {
  return plugins
    .filter((p) => p.dependencies.length > 0)
    .map((p) => (loading[p.name] as number) - Math.max(...p.dependencies.map((d) => loaded[d] as number)));
}

/**
 * The loads' span (first began to last finished) over the longest chain of loads as they ran (each plugin's
 * `loading` to `loaded`, late timers of a loaded machine included): 1.0 when every plugin loads the moment its
 * dependencies have, whatever the machine's load; sequential loading would be about 10.
 */
function spanOverChain(plugins: readonly GeneratedPlugin[], { loading, loaded }: Boot): number {
  const finish = new Map<string, number>();
  for (const { name, dependencies } of plugins) {
    const before = Math.max(0, ...dependencies.map((d) => finish.get(d) as number));
    finish.set(name, before + (loaded[name] as number) - (loading[name] as number));
  }
  const span = Math.max(...Object.values(loaded)) - Math.min(...Object.values(loading));
  return span / Math.max(...finish.values());
}

/**
 * Parallel loading, on this Node and on Node 24 and 26: 100 plugins in 10 dependency levels whose onLoad waits
 * 20 ms, each boot in a fresh process. The figure is the loads' span over their longest chain as they ran
 * (spanOverChain): it measures the scheduling alone, since a loaded machine stretches the chain and the span alike.
 * Beside it, the scheduler's delay (a plugin's load beginning after its last dependency's), and the total boot over
 * the 10 x 20 ms critical path, which also counts discovery, scans and imports and so grows with the machine's load.
 * (What the waits add against the same plugins without waits, interleaved, swung from -1.1 to 1.9 on a shared 2-core
 * machine: too noisy to print.)
 */
export async function run(): Promise<void> {
  const plugins = layeredPlugins(waitMs);
  const dir = await writePlugins('parallel', plugins);
  const bound = levels * waitMs;
  for (const { label, path } of nodeVersions()) {
    await boot(path, dir);
    const boots: Boot[] = [];
    for (let i = 0; i < rounds; i++) boots.push(await boot(path, dir));
    const total = median(boots.map((b) => b.ms));
    const chain = median(boots.map((b) => spanOverChain(plugins, b)));
    const delays = boots.flatMap((b) => readyDelays(plugins, b)).sort((a, b) => a - b);
    const p95 = delays[Math.floor(delays.length * 0.95)] as number;
    console.log(
      `${label.padEnd(24)} parallel loading: loads' span / their longest chain as run = ${chain.toFixed(2)} (goal <= 1.2; sequential ~${width}); medians of ${rounds}`,
    );
    console.log(
      `${''.padEnd(24)} scheduler delay after the last dependency loaded: median ${median(delays).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; boot ${total.toFixed(0)} ms, total / critical path (${bound} ms) ${(total / bound).toFixed(2)} (counts discovery, scans and imports)`,
    );
  }
  await removeGenerated();
}
