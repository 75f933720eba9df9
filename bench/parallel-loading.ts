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
 * Parallel loading, on this Node and on Node 24 and 26: 100 plugins in 10 dependency levels whose onLoad waits
 * 20 ms, booted in fresh processes interleaved with the same plugins whose onLoad waits 0 ms. The waits cost
 * (the difference of the medians) over the critical path of 10 x 20 ms is the figure: the same boot's discovery,
 * imports and containers cancel out, and so does a shared machine's load, which slows both alike; sequential loading
 * would add 100 x 20 ms (10.0). The scheduler's delay (a plugin's load beginning after its last dependency's) is
 * shown beside it. The total over the critical path, which counts that fixed work, is printed for reference only.
 */
export async function run(): Promise<void> {
  const waiting = layeredPlugins(waitMs);
  const dir = await writePlugins('parallel', waiting);
  const baseline = await writePlugins('parallel-no-wait', layeredPlugins(0));
  const bound = levels * waitMs;
  for (const { label, path } of nodeVersions()) {
    await boot(path, dir);
    await boot(path, baseline);
    const withWaits: Boot[] = [];
    const without: Boot[] = [];
    for (let i = 0; i < rounds; i++) {
      withWaits.push(await boot(path, dir));
      without.push(await boot(path, baseline));
    }
    const [w, o] = [median(withWaits.map((b) => b.ms)), median(without.map((b) => b.ms))];
    const delays = withWaits.flatMap((b) => readyDelays(waiting, b)).sort((a, b) => a - b);
    const p95 = delays[Math.floor(delays.length * 0.95)] as number;
    console.log(
      `${label.padEnd(24)} parallel loading: waits cost ${(w - o).toFixed(0)} ms (boot ${w.toFixed(0)} ms with 20 ms waits, ${o.toFixed(0)} ms without; medians of ${rounds}); cost / critical path (${bound} ms) = ${((w - o) / bound).toFixed(2)} (goal <= 1.2; sequential would be ${width}.0)`,
    );
    console.log(
      `${''.padEnd(24)} scheduler delay after the last dependency loaded: median ${median(delays).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; total / critical path ${(w / bound).toFixed(2)} (counts discovery and imports)`,
    );
  }
  await removeGenerated();
}
