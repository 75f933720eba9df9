// Boots a kernel over one folder in a fresh process, as a restarted host does, and prints as JSON on stdout the
// time from createKernel() to all started, and the time stop() then takes. Run by bench/boot.ts.
import { createKernel } from '../kernel/index.js';
import { silentLogger } from '../test/helpers/fixtures.js';

const [dir] = process.argv.slice(2);
const kernel = createKernel({ pluginDirs: [dir as string], logger: silentLogger, concurrency: 16 });
const began = performance.now();
const report = await kernel.start();
const ms = performance.now() - began;
const stopping = performance.now();
await kernel.stop();
const stopMs = performance.now() - stopping;
console.log(JSON.stringify({ ms, stopMs, started: report.plugins.filter((p) => p.state === 'started').length }));
