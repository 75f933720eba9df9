// Reload: heap retained after 1,000 reloads (after GC). A base plugin (a class service holding a
// 1 MiB buffer, a factory, a value, a guard, two routes, all four hooks) and a plugin depending on
// it are reloaded 1,000 times through kernel.reload('base'), which also reloads the dependent.
// ESM and CommonJS plugins each run in a child process of their own (at once) (this file, forked with
// --expose-gc and MODU_BENCH_RELOAD set), so that one format's leftovers never count against the
// other. Retained = heap after GC at the end − heap after GC once warmed up.
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createKernel, type Kernel, type NeutralRequest } from '../kernel/index.js';
import { silentLogger, writePlugin } from '../test/helpers/fixtures.js';

const FORMATS = ['esm', 'cjs'] as const;
type Format = (typeof FORMATS)[number];
const WARM_UP = 50;
const RELOADS = 1_000;
const EVERY = 100;
const TOKEN = 'Bearer reload-bench';

/** The base plugin's definition, written once for `import` and once for `require`. */
function baseBody(): string {
  return `class Cache {
  constructor() { this.bytes = new Uint8Array(1048576).fill(7); }
  size() { return this.bytes.length; }
}
const hooks = (globalThis.moduReloadBench ??= { load: 0, start: 0, stop: 0, unload: 0 });
const plugin = definePlugin({
  services: {
    Cache: { class: Cache },
    Greeter: { factory: ({ use }) => ({ greet: (who) => 'hello ' + who + ' ' + use('base/Cache').size() }) },
    Settings: { value: { greeting: 'hello' } },
  },
  guards: { token: { canActivate: (ctx) => ctx.headers.authorization === ${JSON.stringify(TOKEN)} } },
  routes: [
    { method: 'GET', path: '/hello', guards: ['token'], handler: (ctx) => ({ text: ctx.use('base/Greeter').greet('bench') }) },
    { method: 'GET', path: '/size/:unit', handler: (ctx) => ({ size: ctx.use('base/Cache').size(), unit: ctx.params.unit }) },
  ],
  onLoad: () => { hooks.load++; },
  onStart: () => { hooks.start++; },
  onStop: () => { hooks.stop++; },
  onUnload: () => { hooks.unload++; },
});
`;
}

function dependentBody(): string {
  return `const plugin = definePlugin({
  services: { Echo: { factory: ({ use }) => ({ say: () => use('base/Greeter').greet('dependent') }) } },
  routes: [{ method: 'GET', path: '/echo', guards: ['base/token'], handler: (ctx) => ({ text: ctx.use('dependent/Echo').say() }) }],
});
`;
}

function entry(format: Format, body: string): Record<string, string> {
  return format === 'esm'
    ? { 'index.js': `import { definePlugin } from 'modu';\n${body}export default plugin;\n` }
    : { 'index.cjs': `'use strict';\nconst { definePlugin } = require('modu');\n${body}module.exports = plugin;\n` };
}

async function writePlugins(root: string, format: Format): Promise<void> {
  const main = format === 'esm' ? 'index.js' : 'index.cjs';
  const manifest = (name: string, extra: string[]) =>
    [`name: ${name}`, 'version: 1.0.0', `main: ${main}`, 'kernel: ^1.0.0', ...extra, ''].join('\n');
  await writePlugin(root, 'base', {
    'plugin.yaml': manifest('base', ['exports:', '  services: [Greeter]', '  guards: [token]']),
    ...entry(format, baseBody()),
  });
  await writePlugin(root, 'dependent', {
    'plugin.yaml': manifest('dependent', ['dependencies:', '  base: ^1.0.0']),
    ...entry(format, dependentBody()),
  });
}

function request(path: string): NeutralRequest {
  return {
    method: 'GET',
    path,
    query: {},
    headers: { authorization: TOKEN },
    remoteAddress: '127.0.0.1',
    body: Readable.from([]),
    signal: new AbortController().signal,
  };
}

/** Asks every route once; throws unless each answers 200. */
async function probe(kernel: Kernel): Promise<void> {
  for (const path of ['/base/hello', '/base/size/bytes', '/dependent/echo']) {
    const response = await kernel.http(request(path));
    if (response?.status !== 200)
      throw new Error(`${path} answered ${response?.status ?? 'nothing'} after a reload: ${String(response?.body)}`);
  }
}

interface Heap {
  readonly heapUsed: number;
  readonly arrayBuffers: number;
  /** Includes the module gate's hooks thread and native memory: indicative only. */
  readonly rss: number;
}

/** Heap in use after full collections (a few, with turns of the event loop for finalizers between). */
async function settledHeap(): Promise<Heap> {
  const gc = globalThis.gc as () => void;
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, arrayBuffers, rss };
}

/** What a child reports: heap after warm-up, at every checkpoint, and the time it took. */
interface Measured {
  readonly format: Format;
  readonly before: Heap;
  readonly checkpoints: readonly Heap[];
  readonly seconds: number;
}

async function measureFormat(format: Format): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), `modu-bench-reload-${format}-`));
  try {
    await writePlugins(join(dir, 'plugins'), format);
    const kernel = createKernel({
      pluginDirs: [join(dir, 'plugins')],
      logger: silentLogger,
      cacheDir: join(dir, 'cache'),
    });
    const report = await kernel.start();
    if (!report.ok) throw new Error(`bench plugins did not start: ${JSON.stringify(report.plugins)}`);
    const reload = async () => {
      const states = (await kernel.reload('base')).map((s) => s.state);
      if (states.length !== 2 || states.some((s) => s !== 'started')) throw new Error(`reload left ${states}`);
    };
    for (let i = 0; i < WARM_UP; i++) await reload();
    await probe(kernel);
    const before = await settledHeap();
    const checkpoints: Heap[] = [];
    const began = performance.now();
    for (let i = 1; i <= RELOADS; i++) {
      await reload();
      if (i % EVERY !== 0) continue;
      await probe(kernel);
      checkpoints.push(await settledHeap());
    }
    const seconds = (performance.now() - began) / 1000;
    await kernel.stop();
    return { format, before, checkpoints, seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function measureInChild(format: Format): Promise<Measured> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: [...process.execArgv, '--expose-gc'],
    env: { ...process.env, MODU_BENCH_RELOAD: format },
  });
  return new Promise((resolve, reject) => {
    let measured: Measured | undefined;
    child.once('message', (message) => {
      measured = message as Measured;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (measured !== undefined) resolve(measured);
      else reject(new Error(`reload bench child (${format}) exited with ${code} before reporting`));
    });
  });
}

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MiB`;
const signed = (bytes: number) => (bytes >= 0 ? `+${mib(bytes)}` : `−${mib(-bytes)}`);

function report(m: Measured): void {
  const after = m.checkpoints.at(-1) as Heap;
  const retained = after.heapUsed - m.before.heapUsed;
  const buffers = after.arrayBuffers - m.before.arrayBuffers;
  console.log(`  ${m.format.toUpperCase()} (${RELOADS} reloads of base + dependent in ${m.seconds.toFixed(1)} s)`);
  console.log(`    heapUsed after GC: ${mib(m.before.heapUsed)} → ${mib(after.heapUsed)}`);
  console.log(
    `    retained: ${signed(retained)} total, ${(retained / RELOADS / 1024).toFixed(2)} KiB per reload; ratio after/before ${(after.heapUsed / m.before.heapUsed).toFixed(3)}`,
  );
  console.log(`    array buffers (1 MiB per base load): ${signed(buffers)}; rss ${signed(after.rss - m.before.rss)}`);
  const curve = m.checkpoints.map((heap) => signed(heap.heapUsed - m.before.heapUsed).padStart(10));
  console.log(`    heap retained every ${EVERY} reloads:${curve.join('')}`);
}

/** Runs the reload benchmark (ESM, then CommonJS, each in its own child; < 90 s) and prints retained heap. */
export async function run(): Promise<void> {
  console.log(
    `reload: heap retained after ${RELOADS} reloads (after GC, warm-up ${WARM_UP}; every ${EVERY} all routes answered 200)`,
  );
  // Side by side: each child measures only its own heap, and the machine has two cores.
  for (const measured of await Promise.all(FORMATS.map(measureInChild))) report(measured);
  console.log(
    '  Node never frees ES module records: a reload of unchanged code keeps its module (the generation is the code hash), changed code pins a new one; CommonJS is freed.',
  );
}

const childFormat = process.env.MODU_BENCH_RELOAD as Format | undefined;
if (childFormat !== undefined && FORMATS.includes(childFormat)) {
  const measured = await measureFormat(childFormat);
  process.send?.(measured, () => process.exit(0));
}
