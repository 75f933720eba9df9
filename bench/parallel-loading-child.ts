// Boots a kernel over one folder in a fresh process and prints as JSON on stdout the time from createKernel() to all
// started, and when each plugin began loading and finished, from the `state` events. Run by bench/parallel-loading.ts.
import { createKernel } from '../kernel/index.js';
import { silentLogger } from '../test/helpers/fixtures.js';

const [dir] = process.argv.slice(2);
const kernel = createKernel({ pluginDirs: [dir as string], logger: silentLogger, concurrency: 16 });
const loading: Record<string, number> = {};
const loaded: Record<string, number> = {};
const began = performance.now();
kernel.on('state', ({ plugin: name, to }) => {
  if (to === 'loading') loading[name] = performance.now() - began;
  if (to === 'loaded') loaded[name] = performance.now() - began;
});
const report = await kernel.start();
const ms = performance.now() - began;
await kernel.stop();
if (!report.ok) throw new Error('not every plugin started');
console.log(JSON.stringify({ ms, loading, loaded }));
