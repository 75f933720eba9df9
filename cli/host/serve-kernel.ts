import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Koa from 'koa';
import { expressHandler } from '../../adapters/express/index.js';
import { koaMiddleware } from '../../adapters/koa/index.js';
import { composeHandlers, type NeutralHandler, notFoundHandler } from '../../kernel/index.js';

/** The frameworks a host can serve on. */
export type AdapterName = 'express' | 'koa';

/** A listening server and how to close it. */
export interface Listening {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting connections; resolves once the open ones have ended or `graceMs` passed. */
  close(graceMs: number): Promise<void>;
}

function application(adapter: AdapterName, handler: NeutralHandler) {
  // Unmatched paths get a problem+json 404 rather than the framework's HTML page.
  const all = composeHandlers(handler, notFoundHandler);
  if (adapter === 'koa') {
    const app = new Koa();
    // The adapter answers every handler failure itself; what still reaches Koa's own error log is a
    // client that went away mid-response, which is no error of the host's.
    app.silent = true;
    return app.use(koaMiddleware(all)).callback();
  }
  const app = express();
  app.disable('x-powered-by');
  app.use(expressHandler(all));
  return app;
}

/** Serves a neutral handler (a kernel's `http`, a registry's API) on Express or Koa at `host:port` (0 picks a free port). */
export async function listen(
  adapter: AdapterName,
  handler: NeutralHandler,
  host: string,
  port: number,
): Promise<Listening> {
  const server = createServer(application(adapter, handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shown}:${address.port}`,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
