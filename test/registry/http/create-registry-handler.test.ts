import { readdir, readFile, rm } from 'node:fs/promises';
import { expect } from 'chai';
import {
  createRegistryHandler,
  installPlugins,
  openLocalRegistry,
  openRegistry,
  packPlugin,
  type RegistryHandlerOptions,
} from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type Scratch, scratch, writePlugin } from '../plugin-folder.js';
import { signingKeyPair } from '../registry-fixture.js';
import { serveHandler } from './serve-registry.js';

const TOKEN = 's3cret-token';

for (const adapter of ['express', 'koa'] as const) {
  describe(`createRegistryHandler() on ${adapter}`, () => {
    let dir: Scratch;
    let server: { url: string; close(): Promise<void> };
    const start = async (options: RegistryHandlerOptions = {}) => {
      const local = await openLocalRegistry(dir.path('reg'));
      server = await serveHandler(
        adapter,
        createRegistryHandler(local, { tokens: [{ id: 'ci', token: TOKEN }], ...options }),
      );
      return server.url;
    };
    const pack = async (name: string, version: string, extra = {}) =>
      (await packPlugin(await writePlugin(dir.path('src'), { name, version, ...extra }))).bytes;
    beforeEach(async () => {
      dir = await scratch();
    });
    afterEach(async () => {
      await server?.close();
      await dir.cleanup();
    });

    describe('when a client with the token publishes and reads', () => {
      it('offers every operation, as over a folder', async () => {
        const client = await openRegistry(await start(), { token: TOKEN });
        await client.publish(await pack('store', '1.0.0', { description: 'Key value store' }));
        await client.publish(await pack('store', '1.1.0', { description: 'Key value store' }));
        await client.publish(await pack('@acme/auth', '2.0.0', { dependencies: { store: '^1.0.0' } }));
        expect((await client.list()).map((p) => p.name)).to.deep.equal(['@acme/auth', 'store']);
        expect((await client.search('value')).map((p) => p.name)).to.deep.equal(['store']);
        expect((await client.info('store')).latest).to.equal('1.1.0');
        expect(await client.versions('store')).to.deep.equal(['1.0.0', '1.1.0']);
        expect((await client.resolve('store', '~1.0.0')).version).to.equal('1.0.0');
        await client.addDistTag('store', 'stable', '1.0.0');
        expect(await client.distTags('store')).to.deep.equal({ latest: '1.1.0', stable: '1.0.0' });
        await client.removeDistTag('store', 'stable');
        expect(await client.deprecate('store', '1.1.0', 'use 1.0')).to.deep.equal(['1.1.0']);
        await client.unpublish('store', '1.1.0');
        expect(await client.versions('store')).to.deep.equal(['1.0.0']);
        const result = await installPlugins([{ name: '@acme/auth' }], {
          registry: client,
          pluginsDir: dir.path('host', 'plugins'),
        });
        expect(result.installed.map((p) => p.name).sort()).to.deep.equal(['@acme/auth', 'store']);
        expect(await readdir(dir.path('host', 'plugins', '@acme', 'auth'))).to.include('plugin.yaml');
      });

      it('appends each write to the audit log with the token id, never the token', async () => {
        const client = await openRegistry(await start(), { token: TOKEN });
        await client.publish(await pack('store', '1.0.0'));
        await client.deprecate('store', '*', 'old');
        const lines = (await readFile(dir.path('reg', 'audit.jsonl'), 'utf8'))
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        expect(lines.map((l) => [l.actor, l.action, l.plugin])).to.deep.equal([
          ['ci', 'publish', 'store'],
          ['ci', 'deprecate', 'store'],
        ]);
        expect(JSON.stringify(lines)).not.to.contain(TOKEN);
      });

      it('carries a signature made on the client', async () => {
        const key = signingKeyPair();
        const client = await openRegistry(await start(), { token: TOKEN });
        const record = await client.publish(await pack('store', '1.0.0'), { signingKey: key.privateKey });
        expect(record.signature?.keyId).to.equal(key.id);
      });
    });

    describe('when a write has no valid token', () => {
      it('answers 401 problem+json and writes nothing', async () => {
        const url = await start();
        const response = await fetch(`${url}/plugins`, { method: 'POST', body: await pack('store', '1.0.0') });
        expect(response.status).to.equal(401);
        expect(response.headers.get('content-type')).to.contain('application/problem+json');
        expect(await response.json()).to.include({ code: 'MODU_REGISTRY_UNAUTHORIZED', status: 401 });
        const wrong = await openRegistry(url, { token: 'wrong' });
        expect((await rejection(wrong.publish(await pack('store', '1.0.0')))).code).to.equal(
          'MODU_REGISTRY_UNAUTHORIZED',
        );
        expect(await readdir(dir.path('reg')).catch(() => [])).to.deep.equal([]);
      });
    });

    describe('when an upload is over the limit', () => {
      it('answers 413', async () => {
        const url = await start({ maxUploadBytes: 100 });
        const client = await openRegistry(url, { token: TOKEN });
        expect((await rejection(client.publish(await pack('store', '1.0.0')))).code).to.equal(
          'MODU_REGISTRY_UPLOAD_TOO_LARGE',
        );
      });
    });

    describe('when a chunked upload without Content-Length passes the limit', () => {
      it('stops reading and answers 413', async () => {
        const url = await start({ maxUploadBytes: 1000 });
        const chunk = new Uint8Array(16 * 1024);
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 64) controller.enqueue(chunk);
            else controller.close();
          },
        });
        const init = { method: 'POST', body, duplex: 'half', headers: { authorization: `Bearer ${TOKEN}` } };
        const response = await fetch(`${url}/plugins`, init as RequestInit);
        expect(response.status).to.equal(413);
        expect(((await response.json()) as { code: string }).code).to.equal('MODU_REGISTRY_UPLOAD_TOO_LARGE');
      });
    });

    describe('when a client sends too many requests', () => {
      it('answers 429 with Retry-After, keyed by the socket address and not a forged X-Forwarded-For', async () => {
        const url = await start({ rateLimit: { windowMs: 60_000, max: 3 } });
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          const response = await fetch(`${url}/plugins`, { headers: { 'x-forwarded-for': `10.0.0.${i}` } });
          statuses.push(response.status);
          if (response.status === 429) expect(response.headers.get('retry-after')).to.match(/^\d+$/);
          await response.arrayBuffer();
        }
        expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
      });

      it('believes X-Forwarded-For from a trusted proxy', async () => {
        const url = await start({
          rateLimit: { windowMs: 60_000, max: 1 },
          trustedProxies: ['127.0.0.1', '::ffff:127.0.0.1'],
        });
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          const response = await fetch(`${url}/plugins`, { headers: { 'x-forwarded-for': `10.0.0.${i}` } });
          statuses.push(response.status);
          await response.arrayBuffer();
        }
        expect(statuses).to.deep.equal([200, 200, 200]);
      });
    });

    describe('when the path names a hostile plugin or an unknown one', () => {
      it('answers 400 for a bad name, 404 for an unknown plugin, and passes other paths on', async () => {
        const url = await start();
        const bad = await fetch(`${url}/plugins/..%2F..%2Fetc/versions`);
        expect(bad.status).to.equal(400);
        expect(((await bad.json()) as { code: string }).code).to.equal('MODU_REGISTRY_NAME_INVALID');
        const missing = await fetch(`${url}/plugins/nothing`);
        expect(missing.status).to.equal(404);
        expect(((await missing.json()) as { code: string }).code).to.equal('MODU_REGISTRY_NOT_FOUND');
        const other = await fetch(`${url}/elsewhere`);
        expect(other.status).to.equal(404);
        await other.arrayBuffer();
      });

      it('answers an operation it does not have with 404 MODU_REGISTRY_ROUTE_UNKNOWN', async () => {
        const url = await start();
        const unknown = await fetch(`${url}/plugins/store/bogus`);
        expect(unknown.status).to.equal(404);
        expect(((await unknown.json()) as { code: string }).code).to.equal('MODU_REGISTRY_ROUTE_UNKNOWN');
      });

      it('answers a published version whose archive is gone with MODU_REGISTRY_ARCHIVE_MISSING', async () => {
        const client = await openRegistry(await start(), { token: TOKEN });
        await client.publish(await pack('store', '1.0.0'));
        await rm(dir.path('reg', 'plugins', 'store', 'archives', 'store-1.0.0.tgz'));
        const gone = await fetch(`${server.url}/plugins/store/archives/1.0.0.tgz`);
        const body = await gone.clone().text();
        expect(gone.status, body).to.equal(500);
        expect(((await gone.json()) as { code: string }).code).to.equal('MODU_REGISTRY_ARCHIVE_MISSING');
      });
    });
  });
}
