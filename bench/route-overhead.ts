// Route overhead: requests/s through Modu (one guard + one permission check, JSON reply) ÷ the same
// handler with the same check inline on bare Express, bare Koa and bare node:http. Each server runs
// in its own child process (this file, forked with MODU_BENCH_SERVER set); autocannon drives them
// over loopback in alternating rounds so machine noise hits every column alike.
import { fork } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import express from 'express';
import { Container } from 'inversify';
import Koa from 'koa';
import { expressHandler } from '../adapters/express/index.js';
import { koaMiddleware } from '../adapters/koa/index.js';
import {
  createPluginHttp,
  definePlugin,
  missingPermissions,
  type PluginManifest,
  type PluginRuntime,
  type Principal,
  type RequestContext,
} from '../kernel/index.js';

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

async function moduHandler() {
  const http = createPluginHttp();
  const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
  const container = new Container();
  const runtime: PluginRuntime = {
    name: 'bench',
    version: '1.0.0',
    root: '/bench',
    manifest: { name: 'bench', version: '1.0.0', main: 'index.js', kernel: '^1.0.0' } as PluginManifest,
    definition: definePlugin({
      guards: {
        authenticated: {
          canActivate(ctx: RequestContext) {
            if (ctx.headers.authorization !== TOKEN) return false;
            ctx.principal = PRINCIPAL;
            return true;
          },
        },
      },
      routes: [{ method: 'GET', path: '/item', guards: ['authenticated'], permissions: REQUIRED, handler: () => BODY }],
    }),
    container,
    context: {
      plugin: 'bench',
      version: '1.0.0',
      config: {},
      logger: silent,
      use: (token: unknown) => container.get(token as string),
      useAsync: (token: unknown) => container.getAsync(token as string),
    },
    dependencies: new Set(),
  };
  await http.mount(runtime);
  http.activate('bench');
  return http.handler;
}

async function server(kind: Kind): Promise<Server> {
  if (kind === 'modu-express' || kind === 'express') {
    const app = express();
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
  process.send?.({ port: (listening.address() as AddressInfo).port });
}

function startChild(kind: Kind): Promise<{ port: number; stop: () => void }> {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, MODU_BENCH_SERVER: kind } });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message) => resolve({ port: (message as { port: number }).port, stop: () => child.kill() }));
  });
}

async function measure(port: number, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${PATH}`,
    headers: { authorization: TOKEN },
    connections: 32,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bench server answered ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

const fmt = (n: number) => n.toFixed(0).padStart(8);
const ratio = (a: number, b: number) => (a / b).toFixed(3);

/** Runs the route-overhead benchmark (< 60 s) and prints requests/s and the ratios. */
export async function run(): Promise<void> {
  const rounds = 3;
  const seconds = 2.5;
  const children = await Promise.all(KINDS.map(startChild));
  const totals = new Map<Kind, number[]>(KINDS.map((kind) => [kind, []]));
  try {
    for (const child of children) await measure(child.port, 1); // warm-up
    for (let round = 0; round < rounds; round++) {
      // Alternate the order each round so drift hits every column alike.
      const order = round % 2 === 0 ? KINDS.map((_, i) => i) : KINDS.map((_, i) => KINDS.length - 1 - i);
      for (const i of order)
        totals.get(KINDS[i] as Kind)?.push(await measure((children[i] as { port: number }).port, seconds));
    }
  } finally {
    for (const child of children) child.stop();
  }
  const mean = (kind: Kind) => {
    const values = totals.get(kind) ?? [];
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  console.log(`route overhead (${rounds} alternating rounds × ${seconds} s, 32 connections, loopback), requests/s:`);
  for (const kind of KINDS)
    console.log(`  ${kind.padEnd(13)} ${fmt(mean(kind))}   rounds: ${(totals.get(kind) ?? []).map(fmt).join(' ')}`);
  console.log(`  modu-express ÷ express  = ${ratio(mean('modu-express'), mean('express'))}   (goal ≥ 0.95)`);
  console.log(`  modu-koa     ÷ koa      = ${ratio(mean('modu-koa'), mean('koa'))}   (goal ≥ 0.95)`);
  console.log(`  modu-express ÷ node:http = ${ratio(mean('modu-express'), mean('node'))}`);
  console.log(`  modu-koa     ÷ node:http = ${ratio(mean('modu-koa'), mean('node'))}`);
}

const serverKind = process.env.MODU_BENCH_SERVER as Kind | undefined;
if (serverKind !== undefined) await serveChild(serverKind);
