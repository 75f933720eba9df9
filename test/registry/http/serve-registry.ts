import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Koa from 'koa';
import { expressHandler } from '../../../adapters/express/index.js';
import { koaMiddleware } from '../../../adapters/koa/index.js';
import type { NeutralHandler } from '../../../kernel/index.js';

/** A real server on 127.0.0.1 with a free port, mounting `handler` through an adapter. */
export async function serveHandler(
  adapter: 'express' | 'koa',
  handler: NeutralHandler,
): Promise<{ url: string; close(): Promise<void> }> {
  const listener =
    adapter === 'express' ? express().use(expressHandler(handler)) : new Koa().use(koaMiddleware(handler)).callback();
  const { createServer } = await import('node:http');
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
