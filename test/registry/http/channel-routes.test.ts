import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import {
  createRegistryHandler,
  type HostReport,
  HttpChannels,
  openLocalRegistry,
  packPlugin,
} from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type Scratch, scratch, writePlugin } from '../plugin-folder.js';
import { serveHandler } from './serve-registry.js';

const TOKEN = 'channel-token';

const report = (host: string): HostReport => {
  const at = new Date();
  return {
    host,
    channel: 'prod',
    revision: 1,
    health: 'healthy',
    at: at.toISOString(),
    expiresAt: new Date(at.getTime() + 60_000).toISOString(),
  };
};

describe('the channel routes of createRegistryHandler()', () => {
  let dir: Scratch;
  let server: { url: string; close(): Promise<void> };
  beforeEach(async () => {
    dir = await scratch();
    const local = await openLocalRegistry(dir.path('reg'));
    await local.publish(
      (await packPlugin(await writePlugin(dir.path('src'), { name: 'store', version: '1.0.0' }))).bytes,
    );
    server = await serveHandler('express', createRegistryHandler(local, { tokens: [{ id: 'ops', token: TOKEN }] }));
  });
  afterEach(async () => {
    await server.close();
    await dir.cleanup();
  });

  describe('when a client polls the head of a channel', () => {
    it('answers an ETag, then a bodiless 304 until a deploy changes it', async () => {
      const head = `${server.url}/channels/prod`;
      const first = await fetch(head);
      expect(await first.json()).to.deep.equal({ channel: 'prod', revision: null });
      const etag = first.headers.get('etag') ?? '';
      const same = await fetch(head, { headers: { 'if-none-match': etag } });
      expect([same.status, await same.text()]).to.deep.equal([304, '']);
      await new HttpChannels(server.url, TOKEN).deploy('prod', [{ name: 'store' }]);
      const changed = await fetch(head, { headers: { 'if-none-match': etag } });
      expect(await changed.json()).to.deep.equal({ channel: 'prod', revision: 1 });
      expect(await new HttpChannels(server.url).head('prod')).to.equal(1);
    });
  });

  describe('when a write comes without the token', () => {
    it('refuses deploys, heartbeats and leases with MODU_REGISTRY_UNAUTHORIZED', async () => {
      const anonymous = new HttpChannels(server.url);
      const lease = { channel: 'prod', host: 'a', revision: 1, maxUnavailable: 1, leaseMs: 1000 };
      for (const write of [
        anonymous.deploy('prod', [{ name: 'store' }]),
        anonymous.heartbeat(report('a')),
        anonymous.acquireLease(lease),
        anonymous.releaseLease({ channel: 'prod', host: 'a' }),
        anonymous.rollback('prod'),
      ]) {
        expect((await rejection(write)).code).to.equal('MODU_REGISTRY_UNAUTHORIZED');
      }
      expect(await anonymous.channels()).to.deep.equal([]);
    });
  });

  describe('when hosts take leases over HTTP', () => {
    it('grants at most maxUnavailable, halts on a failure, and shows it all in the status', async () => {
      const channels = new HttpChannels(server.url, TOKEN);
      await channels.deploy('prod', [{ name: 'store' }]);
      const ask = (host: string) =>
        channels.acquireLease({ channel: 'prod', host, revision: 1, maxUnavailable: 1, leaseMs: 60_000 });
      expect([await ask('a'), await ask('b')]).to.deep.equal(['granted', 'busy']);
      await channels.heartbeat({ ...report('a'), health: 'failed', error: 'boom' });
      await channels.releaseLease({ channel: 'prod', host: 'a', failure: { revision: 1, error: 'boom' } });
      expect(await ask('b')).to.equal('halted');
      const status = await channels.status('prod');
      expect(status.rollout.halted).to.include({ revision: 1, host: 'a', error: 'boom' });
      expect(status.hosts.map((h) => [h.host, h.health, h.error])).to.deep.equal([['a', 'failed', 'boom']]);
    });
  });

  describe('when a request is wrong', () => {
    it('answers problem+json with a stable code and no server path', async () => {
      const post = (path: string, body: string) =>
        fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body,
        });
      const cases: [Promise<Response>, number, string][] = [
        [post('/channels/prod/deploy', '{"requests":[]}'), 400, 'MODU_REGISTRY_BAD_REQUEST'],
        [post('/channels/prod/leases/a', '{"revision":1}'), 400, 'MODU_REGISTRY_BAD_REQUEST'],
        [post('/channels/Prod!/deploy', '{}'), 400, 'MODU_REGISTRY_CHANNEL_NAME_INVALID'],
        [post('/channels/prod/deploy', '{"requests":["nothing-here"]}'), 404, 'MODU_REGISTRY_NOT_FOUND'],
        [fetch(`${server.url}/channels/prod/revisions/7`), 404, 'MODU_REGISTRY_CHANNEL_NOT_FOUND'],
        [fetch(`${server.url}/channels/prod/elsewhere`), 400, 'MODU_REGISTRY_BAD_REQUEST'],
      ];
      for (const [request, status, code] of cases) {
        const response = await request;
        const text = await response.text();
        expect([response.status, response.headers.get('content-type'), JSON.parse(text).code]).to.deep.equal([
          status,
          'application/problem+json',
          code,
        ]);
        expect(text).not.to.contain(dir.root);
      }
    });
  });

  describe('when the server answers no channel routes (an older Modu)', () => {
    it('fails with MODU_REGISTRY_CHANNEL_UNSUPPORTED', async () => {
      const old = createServer((_req, res) => res.writeHead(404).end('Not Found'));
      await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = old.address() as AddressInfo;
        const error = await rejection(new HttpChannels(`http://127.0.0.1:${port}`).head('prod'));
        expect(error.code).to.equal('MODU_REGISTRY_CHANNEL_UNSUPPORTED');
      } finally {
        await new Promise((resolve) => old.close(resolve));
      }
    });
  });
});
