import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressHandler } from '../../adapters/express/index.js';
import { adapterContract } from './adapter-contract.js';

adapterContract('express', async (handler) => {
  const app = express();
  app.use(expressHandler(handler));
  app.get('/host/ping', (_req, res) => void res.send('pong'));
  const server = app.listen(0, '127.0.0.1');
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
