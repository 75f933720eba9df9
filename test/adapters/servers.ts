// Real servers on 127.0.0.1:0 for each adapter, each with one framework route `GET /host/ping` → `pong`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Koa from 'koa';
import { expressHandler } from '../../adapters/express/index.js';
import { koaMiddleware } from '../../adapters/koa/index.js';
import type { NeutralHandler } from '../../kernel/index.js';

/** A running server: its base URL and how to stop it. */
export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a real server on 127.0.0.1:0 serving `handler`, then a framework route `GET /host/ping` → `pong`. */
export type Serve = (handler: NeutralHandler) => Promise<Served>;

async function listening(server: Server): Promise<Served> {
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const serveExpress: Serve = (handler) => {
  const app = express();
  app.use(expressHandler(handler));
  app.get('/host/ping', (_req, res) => void res.send('pong'));
  return listening(app.listen(0, '127.0.0.1'));
};

export const serveKoa: Serve = (handler) => {
  const app = new Koa();
  app.use(koaMiddleware(handler));
  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/host/ping') ctx.body = 'pong';
    else await next();
  });
  return listening(createServer(app.callback()).listen(0, '127.0.0.1'));
};

/** Both adapters, by name. */
export const adapters: ReadonlyArray<readonly [string, Serve]> = [
  ['express', serveExpress],
  ['koa', serveKoa],
];
