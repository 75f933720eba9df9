import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { HttpRegistryClient } from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';

describe('HttpRegistryClient', () => {
  describe('when a server streams an archive past the size limit', () => {
    it('stops reading and fails with MODU_REGISTRY_ARCHIVE_TOO_LARGE', async () => {
      let sent = 0;
      const endless = new Readable({
        read() {
          sent += 1;
          this.push(sent > 2048 ? null : Buffer.alloc(16 * 1024));
        },
      });
      // A bare node:http server: the hostile side needs no adapter, and an aborted pipe is expected here.
      const server = createServer((_req, res) => {
        endless.on('error', () => undefined);
        res.on('error', () => undefined);
        endless.pipe(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const error = await rejection(new HttpRegistryClient(`http://127.0.0.1:${port}`).download('store', '1.0.0'));
        expect(error.code).to.equal('MODU_REGISTRY_ARCHIVE_TOO_LARGE');
        expect(sent).to.be.below(2048);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('when the server is not there', () => {
    it('fails with MODU_REGISTRY_HTTP_FAILED', async () => {
      const error = await rejection(new HttpRegistryClient('http://127.0.0.1:9').list());
      expect(error.code).to.equal('MODU_REGISTRY_HTTP_FAILED');
    });
  });
});
