// Boots a kernel over one folder in a fresh process, as a restarted host does, and prints the time
// from createKernel() to all started as JSON on stdout. Run by bench/boot.ts.
import { createKernel } from '../kernel/index.js';
import { silentLogger } from '../test/helpers/fixtures.js';

const [dir] = process.argv.slice(2);
const kernel = createKernel({ pluginDirs: [dir as string], logger: silentLogger, concurrency: 16 });
const began = performance.now();
const report = await kernel.start();
const ms = performance.now() - began;
await kernel.stop();
console.log(JSON.stringify({ ms, started: report.plugins.filter((p) => p.state === 'started').length }));
