// The isolation tier: route overhead of one plugin isolated vs in process on Express and on Koa (each server in its
// own process, autocannon over loopback, alternating rounds), a service call across the boundary (p50/p99 and
// calls/s against the same call in process), and one isolated plugin's start time and idle RSS against baselines
// measured in the same run.
import { fork, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import express from 'express';
import Koa from 'koa';
import { expressHandler } from '../adapters/express/index.js';
import { koaMiddleware } from '../adapters/koa/index.js';
import { createKernel, type Kernel, type KernelOptions } from '../kernel/index.js';
import { silentLogger } from '../test/helpers/fixtures.js';
import { median } from './median.js';
import { type CpuMicros, cpuMicros } from './process-cpu.js';

const KINDS = ['express-in', 'express-iso', 'koa-in', 'koa-iso'] as const;
type Kind = (typeof KINDS)[number];
const TOKEN = 'Bearer bench-token';

const benchPlugin = `import { definePlugin } from 'modu';
const principal = { id: 'bench', permissions: ['bench:*'] };
export default definePlugin({
  services: { Echo: { value: { ping: (x) => x } } },
  guards: {
    authenticated: {
      canActivate(ctx) {
        if (ctx.headers.authorization !== ${JSON.stringify(TOKEN)}) return false;
        ctx.principal = principal;
        return true;
      },
    },
  },
  routes: [{ method: 'GET', path: '/item', guards: ['authenticated'], permissions: ['bench:read'], handler: () => ({ ok: true, id: 1, name: 'item' }) }],
});
`;

// Runs in the host: calls bench/Echo n times, one at a time (latencies) or with 64 in flight (throughput).
const callerPlugin = `import { definePlugin } from 'modu';
export default definePlugin({
  routes: [
    { method: 'GET', path: '/seq/:n', handler: async (ctx) => {
      const echo = ctx.use('bench/Echo');
      const times = [];
      for (let i = 0; i < Number(ctx.params.n); i++) {
        const t = performance.now();
        await echo.ping({ i, name: 'call' });
        times.push(performance.now() - t);
      }
      return times;
    } },
    { method: 'GET', path: '/par/:n', handler: async (ctx) => {
      const echo = ctx.use('bench/Echo');
      const total = Number(ctx.params.n);
      let next = 0;
      const t = performance.now();
      const lane = async () => { while (next < total) { next++; await echo.ping({ i: next, name: 'call' }); } };
      await Promise.all(Array.from({ length: 64 }, lane));
      return performance.now() - t;
    } },
  ],
});
`;

async function pluginsDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'modu-bench-iso-'));
  const plugin = async (name: string, code: string, extra = '') => {
    await mkdir(join(dir, name));
    await writeFile(
      join(dir, name, 'plugin.yaml'),
      `name: ${name}\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n${extra}`,
    );
    await writeFile(join(dir, name, 'index.js'), code);
  };
  await plugin('bench', benchPlugin, 'exports: { services: [Echo] }\n');
  await plugin('caller', callerPlugin, 'dependencies: { bench: ^1.0.0 }\n');
  return dir;
}

async function kernelOver(dir: string, isolated: boolean, extra: Partial<KernelOptions> = {}): Promise<Kernel> {
  const plugins = isolated ? { bench: { isolation: 'process' as const } } : {};
  const kernel = createKernel({
    pluginDirs: [dir],
    logger: silentLogger,
    cacheDir: join(dir, '.cache'),
    plugins,
    ...extra,
  });
  const report = await kernel.start();
  if (!report.ok) throw new Error(`bench plugins did not start: ${JSON.stringify(report.plugins)}`);
  return kernel;
}

async function serveChild(kind: Kind): Promise<void> {
  const kernel = await kernelOver(await pluginsDir(), kind.endsWith('-iso'));
  let server: Server;
  if (kind.startsWith('express')) {
    const app = express();
    app.set('etag', false);
    app.use(expressHandler(kernel.http));
    server = createServer(app);
  } else {
    const app = new Koa();
    app.use(koaMiddleware(kernel.http));
    server = createServer(app.callback());
  }
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const pluginPid = kernel.snapshot().find((p) => p.name === 'bench')?.isolation?.pid;
  // Asked before and after each run: CPU time spent, by this server and by the plugin's process.
  process.on('message', () => process.send?.({ cpu: cpuMicros(pluginPid) }));
  process.send?.({ port: (server.address() as AddressInfo).port });
}

interface ServerChild {
  readonly port: number;
  cpu(): Promise<CpuMicros>;
  stop(): void;
}

function startChild(kind: Kind): Promise<ServerChild> {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, MODU_BENCH_ISOLATION: kind } });
  const cpu = () =>
    new Promise<CpuMicros>((resolve) => {
      child.once('message', (message) => resolve((message as { cpu: CpuMicros }).cpu));
      child.send('cpu');
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited with code ${code}`)));
    child.once('message', (message) =>
      resolve({ port: (message as { port: number }).port, cpu, stop: () => child.kill() }),
    );
  });
}

/** One run against a server: its requests per second, and the CPU time per request of the server and the plugin's process. */
interface RunFigures {
  readonly rps: number;
  readonly hostUs: number;
  readonly pluginUs: number;
}

async function measure(child: ServerChild, seconds: number): Promise<RunFigures> {
  const { default: autocannon } = await import('autocannon');
  const before = await child.cpu();
  const result = await autocannon({
    url: `http://127.0.0.1:${child.port}/bench/item`,
    headers: { authorization: TOKEN },
    connections: 32,
    duration: seconds,
  });
  const after = await child.cpu();
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  const n = result.requests.total;
  return {
    rps: result.requests.average,
    hostUs: (after.host - before.host) / n,
    pluginUs: (after.plugin - before.plugin) / n,
  };
}

async function routeOverhead(): Promise<void> {
  const rounds = 6;
  const children = await Promise.all(KINDS.map(startChild));
  const runs = new Map<Kind, RunFigures[]>(KINDS.map((kind) => [kind, []]));
  try {
    for (const child of children) await measure(child, 0.5);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [0, 1, 2, 3] : [3, 2, 1, 0];
      for (const i of order) runs.get(KINDS[i] as Kind)?.push(await measure(children[i] as ServerChild, 1));
    }
  } finally {
    for (const child of children) child.stop();
  }
  const of = (kind: Kind) => runs.get(kind) ?? [];
  const ratio = (a: Kind, b: Kind) => median(of(a).map((run, i) => run.rps / (of(b)[i]?.rps ?? Number.NaN)));
  console.log(`route overhead (${rounds} alternating rounds × 1 s, 32 connections, one guard + one permission)`);
  console.log('  server        req/s   CPU µs per request: server  plugin process');
  for (const kind of KINDS) {
    const figure = (pick: (run: RunFigures) => number) => median(of(kind).map(pick)).toFixed(0).padStart(7);
    const plugin = kind.endsWith('-iso') ? figure((run) => run.pluginUs) : '      -';
    console.log(
      `  ${kind.padEnd(12)} ${figure((run) => run.rps)}   ${' '.repeat(19)}${figure((run) => run.hostUs)}  ${plugin}`,
    );
  }
  console.log(
    `  isolated ÷ in process (req/s), Express  ${ratio('express-iso', 'express-in').toFixed(3)}   goal ≥ 0.8`,
  );
  console.log(`  isolated ÷ in process (req/s), Koa      ${ratio('koa-iso', 'koa-in').toFixed(3)}   goal ≥ 0.5`);
}

function neutral(path: string) {
  return {
    method: 'GET',
    path,
    query: {},
    headers: {},
    remoteAddress: '127.0.0.1',
    body: Readable.from([]),
    signal: new AbortController().signal,
  };
}

async function call(kernel: Kernel, path: string): Promise<unknown> {
  const response = await kernel.http(neutral(path));
  return JSON.parse(String(response?.body));
}

async function serviceCalls(dir: string): Promise<void> {
  console.log('service call from a host plugin (structured-cloned object argument and result)');
  for (const isolated of [false, true]) {
    const kernel = await kernelOver(dir, isolated);
    try {
      await call(kernel, '/caller/seq/2000');
      const times = (await call(kernel, '/caller/seq/5000')) as number[];
      const elapsed = (await call(kernel, '/caller/par/20000')) as number;
      const sorted = [...times].sort((a, b) => a - b);
      const at = (q: number) => (sorted[Math.floor(q * (sorted.length - 1))] as number) * 1000;
      const label = isolated ? 'isolated  ' : 'in process';
      console.log(
        `  ${label} p50 ${at(0.5).toFixed(1).padStart(7)} µs   p99 ${at(0.99).toFixed(1).padStart(7)} µs   ${(20000 / (elapsed / 1000)).toFixed(0).padStart(8)} calls/s (64 in flight)`,
      );
    } finally {
      await kernel.stop();
    }
  }
}

function rssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((text) => Number(/VmRSS:\s+(\d+)/.exec(text)?.[1]) / 1024);
}

async function startAndMemory(dir: string): Promise<void> {
  const starts: Record<'in' | 'iso', number[]> = { in: [], iso: [] };
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    for (const isolated of [false, true]) {
      const began = performance.now();
      const kernel = await kernelOver(dir, isolated);
      starts[isolated ? 'iso' : 'in'].push(performance.now() - began);
      const pid = kernel.snapshot().find((p) => p.name === 'bench')?.isolation?.pid;
      if (pid !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        rss = await rssMb(pid);
      }
      await kernel.stop();
    }
  }
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const bareRss = await rssMb(bare.pid as number);
  bare.kill();
  const inMs = median(starts.in);
  const isoMs = median(starts.iso);
  console.log('one isolated plugin (median of 3 boots of 2 plugins; the isolated one is `bench`)');
  console.log(
    `  boot, in process ${inMs.toFixed(0)} ms; isolated ${isoMs.toFixed(0)} ms: +${(isoMs - inMs).toFixed(0)} ms to start its process (${(isoMs / inMs).toFixed(2)}×)`,
  );
  console.log(
    `  idle RSS of its process ${rss.toFixed(1)} MB; an idle bare node process ${bareRss.toFixed(1)} MB (${(rss / bareRss).toFixed(2)}×)`,
  );
}

/** Runs the isolation benchmark (about a minute) and prints its figures. */
export async function run(): Promise<void> {
  const dir = await pluginsDir();
  await routeOverhead();
  await serviceCalls(dir);
  await startAndMemory(dir);
}

const serverKind = process.env.MODU_BENCH_ISOLATION as Kind | undefined;
if (serverKind !== undefined) await serveChild(serverKind);
