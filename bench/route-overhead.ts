// Route overhead: requests/s through Modu (one guard + one permission check, JSON reply) ÷ the same
// handler with the same check inline on bare Express, bare Koa and bare node:http. Each server runs
// in its own child process (this file, forked with MODU_BENCH_SERVER set); autocannon drives them
// over loopback in alternating rounds so machine noise hits every column alike.
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import Koa from 'koa';
import { expressHandler } from '../adapters/express/index.js';
import { koaMiddleware } from '../adapters/koa/index.js';
import { createKernel, missingPermissions, type NeutralHandler, type Principal } from '../kernel/index.js';
import { silentLogger } from '../test/helpers/fixtures.js';
import { median } from './median.js';

const KINDS = ['modu-express', 'express', 'modu-koa', 'koa', 'node'] as const;
type Kind = (typeof KINDS)[number];
const PATH = '/bench/item';
const REQUIRED = ['bench:read'];
const TOKEN = 'Bearer bench-token';
const PRINCIPAL: Principal = { id: 'bench', permissions: ['bench:*'] };
const BODY = { ok: true, id: 1, name: 'item' };

/** The inline equivalent of Modu's guard + permission check, for the bare servers. */
function inlineCheck(authorization: string | undefined): number {
  if (authorization !== TOKEN) return 401;
  return missingPermissions(PRINCIPAL.permissions, REQUIRED).length === 0 ? 200 : 403;
}

const benchPlugin = `import { definePlugin } from 'modu';
const principal = ${JSON.stringify(PRINCIPAL)};
export default definePlugin({
  guards: {
    authenticated: {
      canActivate(ctx) {
        if (ctx.headers.authorization !== ${JSON.stringify(TOKEN)}) return false;
        ctx.principal = principal;
        return true;
      },
    },
  },
  routes: [{ method: 'GET', path: '/item', guards: ['authenticated'], permissions: ${JSON.stringify(REQUIRED)}, handler: () => (${JSON.stringify(BODY)}) }],
});
`;

/** A real kernel over a real plugins folder holding the one bench plugin: the host a user runs. */
async function moduHandler(): Promise<NeutralHandler> {
  const dir = await mkdtemp(join(tmpdir(), 'modu-bench-'));
  await mkdir(join(dir, 'bench'));
  await writeFile(join(dir, 'bench', 'plugin.yaml'), 'name: bench\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n');
  await writeFile(join(dir, 'bench', 'index.js'), benchPlugin);
  const kernel = createKernel({ pluginDirs: [dir], logger: silentLogger, cacheDir: join(dir, '.cache') });
  const report = await kernel.start();
  if (!report.ok) throw new Error(`bench plugin did not start: ${JSON.stringify(report.plugins)}`);
  return kernel.http;
}

async function server(kind: Kind): Promise<Server> {
  if (kind === 'modu-express' || kind === 'express') {
    const app = express();
    // res.json() would also hash every body for an ETag, work Modu's writer does not do: keep the columns comparable.
    app.set('etag', false);
    if (kind === 'modu-express') app.use(expressHandler(await moduHandler()));
    else {
      app.get(PATH, (req, res) => {
        const status = inlineCheck(req.headers.authorization);
        if (status === 200) res.json(BODY);
        else res.status(status).json({ status });
      });
    }
    return createServer(app);
  }
  if (kind === 'modu-koa' || kind === 'koa') {
    const app = new Koa();
    if (kind === 'modu-koa') app.use(koaMiddleware(await moduHandler()));
    else {
      app.use(async (ctx, next) => {
        if (ctx.method !== 'GET' || ctx.path !== PATH) return next();
        const status = inlineCheck(ctx.get('authorization') || undefined);
        ctx.status = status;
        ctx.body = status === 200 ? BODY : { status };
      });
    }
    return createServer(app.callback());
  }
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const status = req.method === 'GET' && req.url === PATH ? inlineCheck(req.headers.authorization) : 404;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(status === 200 ? BODY : { status }));
  });
}

async function serveChild(kind: Kind): Promise<void> {
  const listening = (await server(kind)).listen(0, '127.0.0.1');
  await new Promise((resolve) => listening.once('listening', resolve));
  // The parent asks for the server's CPU time around each run: CPU per request is what other load on the machine disturbs least.
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
  });
  process.send?.({ port: (listening.address() as AddressInfo).port });
}

interface Child {
  readonly port: number;
  cpuMicros(): Promise<number>;
  stop(): void;
}

function startChild(kind: Kind): Promise<Child> {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, MODU_BENCH_SERVER: kind } });
  const cpuMicros = () =>
    new Promise<number>((resolve) => {
      child.once('message', (message) => resolve((message as { cpuMicros: number }).cpuMicros));
      child.send('cpu');
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message) =>
      resolve({ port: (message as { port: number }).port, cpuMicros, stop: () => child.kill() }),
    );
  });
}

/** One run: requests/s seen by the client, and the server's CPU microseconds per request. */
async function measure(child: Child, seconds: number): Promise<{ rps: number; cpu: number }> {
  // Imported here, so that the forked servers do not load the load generator.
  const { default: autocannon } = await import('autocannon');
  const before = await child.cpuMicros();
  const result = await autocannon({
    url: `http://127.0.0.1:${child.port}${PATH}`,
    headers: { authorization: TOKEN },
    connections: 32,
    duration: seconds,
  });
  const cpu = (await child.cpuMicros()) - before;
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`bench server answered ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return { rps: result.requests.average, cpu: cpu / result.requests.total };
}

const fmt = (n: number) => n.toFixed(0).padStart(8);

/** Runs the route-overhead benchmark (< 60 s) and prints requests/s and the ratios. */
export async function run(): Promise<void> {
  const rounds = 6;
  const seconds = 1;
  const children = await Promise.all(KINDS.map(startChild));
  const rps = new Map<Kind, number[]>(KINDS.map((kind) => [kind, []]));
  const cpu = new Map<Kind, number[]>(KINDS.map((kind) => [kind, []]));
  try {
    for (const child of children) await measure(child, 0.5); // warm-up
    for (let round = 0; round < rounds; round++) {
      // Alternate the order each round; each Modu column runs right next to its bare framework.
      const order = round % 2 === 0 ? KINDS.map((_, i) => i) : KINDS.map((_, i) => KINDS.length - 1 - i);
      for (const i of order) {
        const result = await measure(children[i] as Child, seconds);
        rps.get(KINDS[i] as Kind)?.push(result.rps);
        cpu.get(KINDS[i] as Kind)?.push(result.cpu);
      }
    }
  } finally {
    for (const child of children) child.stop();
  }
  report(rounds, seconds, rps, cpu);
}

function report(rounds: number, seconds: number, rps: Map<Kind, number[]>, cpu: Map<Kind, number[]>): void {
  // Ratios are medians of per-round ratios (pairs measured back to back), which resists load spikes.
  const ratio = (table: Map<Kind, number[]>, a: Kind, b: Kind, invert: boolean) => {
    const as = table.get(a) ?? [];
    const bs = table.get(b) ?? [];
    return median(as.map((value, i) => (invert ? (bs[i] ?? Number.NaN) / value : value / (bs[i] ?? Number.NaN))));
  };
  console.log(`route overhead (${rounds} alternating rounds × ${seconds} s, 32 connections, loopback)`);
  console.log('  column         req/s (median)   server CPU µs/request (median)');
  for (const kind of KINDS) {
    console.log(
      `  ${kind.padEnd(13)} ${fmt(median(rps.get(kind) ?? []))}        ${median(cpu.get(kind) ?? []).toFixed(1)}`,
    );
  }
  console.log('  ratio                       req/s    CPU-efficiency (bare CPU/request ÷ Modu CPU/request)');
  for (const [a, b, goal] of [
    ['modu-express', 'express', '  goal ≥ 0.95'],
    ['modu-koa', 'koa', '  goal ≥ 0.95'],
    ['modu-express', 'node', ''],
    ['modu-koa', 'node', ''],
  ] as const) {
    const label = `${a} ÷ ${b === 'node' ? 'node:http' : b}`.padEnd(26);
    console.log(`  ${label} ${ratio(rps, a, b, false).toFixed(3)}    ${ratio(cpu, a, b, true).toFixed(3)}${goal}`);
  }
}

const serverKind = process.env.MODU_BENCH_SERVER as Kind | undefined;
if (serverKind !== undefined) await serveChild(serverKind);
