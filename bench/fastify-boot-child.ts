// Boots Fastify 5 over one folder of plugin files in a fresh process, as bench/boot-child.ts boots the kernel:
// @fastify/autoload registers every file, fastify-plugin's `dependencies` order them, and each decorates the
// instance and adds one route. Prints as JSON on stdout the time from Fastify() to ready() (wall and CPU), and how many plugins
// registered both their decorator and their route. Run by bench/fastify-boot.ts.
import autoload from '@fastify/autoload';
import Fastify from 'fastify';

const [dir, countText] = process.argv.slice(2) as [string, string];
const count = Number(countText);
const began = performance.now();
const cpuBefore = process.cpuUsage();
// No plugin timeout (default 10 s), as the kernel sets none on a whole boot: a loaded machine must not fail a run.
const app = Fastify({ logger: false, pluginTimeout: 0 });
await app.register(autoload, { dir });
await app.ready();
const ms = performance.now() - began;
const cpu = process.cpuUsage(cpuBefore);
let started = 0;
for (let i = 0; i < count; i++) {
  if (app.hasDecorator(`p${i}`) && app.hasRoute({ method: 'GET', url: `/p${i}` })) started++;
}
console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, started }));
await app.close();
