import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { koaMiddleware } from '../../adapters/koa/index.js';
import { adapterContract } from './adapter-contract.js';

adapterContract('koa', async (handler) => {
  const app = new Koa();
  app.use(koaMiddleware(handler));
  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/host/ping') ctx.body = 'pong';
    else await next();
  });
  const server = createServer(app.callback()).listen(0, '127.0.0.1');
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
});
