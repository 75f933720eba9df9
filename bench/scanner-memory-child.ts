// Scans one plugin folder in a fresh process and prints, as JSON, how far the scan grew the process's memory:
// resident set size (worker threads included) and this thread's heap, sampled every 5 ms against the level after a
// warm-up scan of a small plugin.
import { scanPlugin } from '../kernel/index.js';

const [root, small, parallel] = process.argv.slice(2) as [string, string, string];
const parallelFromBytes = parallel === 'threads' ? 0 : Number.POSITIVE_INFINITY;
// Time budgets out of the way: a scan cut short by a loaded machine would hold less in memory than a whole one.
const limits = { pluginTimeMs: 3_600_000, fileTimeMs: 3_600_000 };
await scanPlugin(small, { parallelFromBytes });
globalThis.gc?.();
const before = process.memoryUsage();
let peakRss = before.rss;
let peakHeap = before.heapUsed;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  peakRss = Math.max(peakRss, now.rss);
  peakHeap = Math.max(peakHeap, now.heapUsed);
}, 5);
const started = performance.now();
const report = await scanPlugin(root, { parallelFromBytes, limits });
const ms = performance.now() - started;
clearInterval(sampler);
const after = process.memoryUsage();
peakRss = Math.max(peakRss, after.rss);
peakHeap = Math.max(peakHeap, after.heapUsed);
console.log(
  JSON.stringify({
    ms,
    bytes: report.bytes,
    files: report.files,
    rules: [...new Set(report.findings.map((f) => f.rule))],
    rssGrowth: peakRss - before.rss,
    heapGrowth: peakHeap - before.heapUsed,
  }),
);
