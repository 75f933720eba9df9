// Boots a kernel over one folder in a fresh process, as a restarted host does, and prints as JSON on stdout the
// time from createKernel() to all started (and the CPU time of all its threads), and the time stop() then takes. Run by bench/boot.ts.
import { createKernel } from '../kernel/index.js';
import { silentLogger } from '../test/helpers/fixtures.js';

const [dir] = process.argv.slice(2);
const kernel = createKernel({ pluginDirs: [dir as string], logger: silentLogger, concurrency: 16 });
const began = performance.now();
const cpuBefore = process.cpuUsage();
const report = await kernel.start();
const ms = performance.now() - began;
const cpu = process.cpuUsage(cpuBefore);
const stopping = performance.now();
await kernel.stop();
const stopMs = performance.now() - stopping;
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(JSON.stringify({ ms, cpuMs, stopMs, started: report.plugins.filter((p) => p.state === 'started').length }));
