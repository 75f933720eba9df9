import { expect } from 'chai';
import { ModuError } from '../../kernel/index.js';
import { createTestKernel, type TestKernel } from '../../testing/index.js';
import { examplePlugins, pluginManifest, pluginsFolder, removeScratch, writePlugin } from '../helpers/fixtures.js';
import { rejection } from '../helpers/rejection.js';

const tokens = {
  'alice-token': { id: 'alice', roles: ['admin'], permissions: ['users:*', 'todos:*'] },
  'bob-token': { id: 'bob', roles: ['member'], permissions: ['todos:read'] },
};
const example = { plugins: examplePlugins, config: { auth: { tokens } }, grants: { auth: ['node:crypto'] } };
const alice = { authorization: 'Bearer alice-token' };

describe('createTestKernel()', () => {
  after(removeScratch);

  describe('when the example plugins are given with config and grants', () => {
    let kernel: TestKernel;
    before(async () => {
      kernel = await createTestKernel({ ...example, host: { bodyLimitBytes: 64 } });
    });
    after(() => kernel.stop());

    it('starts every plugin and reports it', () => {
      expect(kernel.report.ok).to.equal(true);
      expect(kernel.snapshot().map((p) => p.state)).to.deep.equal(kernel.snapshot().map(() => 'started'));
    });

    it('runs guards, permissions and the handler for an injected request', async () => {
      const res = await kernel.inject({ url: '/users/alice', headers: alice });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.json()).to.deep.equal({ id: 'alice', name: 'Alice' });
    });

    it('answers the guard and permission problems', async () => {
      const anonymous = await kernel.inject({ url: '/users/alice' });
      expect(anonymous.status).to.equal(401);
      expect(anonymous.json<{ code: string }>().code).to.equal('MODU_AUTH_REQUIRED');
      const bob = await kernel.inject({ url: '/users/alice', headers: { Authorization: 'Bearer bob-token' } });
      expect(bob.status).to.equal(403);
      expect(bob.json<{ missing: string[] }>().missing).to.deep.equal(['users:read']);
    });

    it('sends a JSON body, and enforces the body limit and the media type', async () => {
      const created = await kernel.inject({ method: 'POST', url: '/todos', headers: alice, json: { title: 'x' } });
      expect(created.status).to.equal(200);
      expect(created.json()).to.include({ owner: 'alice', title: 'x' });
      const big = await kernel.inject({
        method: 'POST',
        url: '/todos',
        headers: alice,
        json: { title: 'x'.repeat(100) },
      });
      expect(big.status).to.equal(413);
      const text = await kernel.inject({ method: 'POST', url: '/todos', headers: alice, body: 'hello' });
      expect(text.status).to.equal(415);
    });

    it('answers a path no route matches with the 404 problem, and reads host endpoints', async () => {
      const missing = await kernel.inject({ url: '/nowhere?x=1' });
      expect(missing.status).to.equal(404);
      expect(missing.json<{ code: string }>().code).to.equal('MODU_HTTP_NOT_FOUND');
      const health = await kernel.inject({ url: '/_modu/health' });
      expect(health.status).to.equal(200);
    });
  });

  describe('when a dependency service is replaced by a double for one plugin', () => {
    it('gives the double to that plugin only', async () => {
      const directory = { find: (id: string) => ({ id: `double-${id}` }) };
      const kernel = await createTestKernel({ ...example, doubles: { todos: { 'users/UserDirectory': directory } } });
      try {
        const todo = await kernel.inject({ method: 'POST', url: '/todos', headers: alice, json: { title: 't' } });
        expect(todo.json()).to.include({ owner: 'double-alice' });
        const user = await kernel.inject({ url: '/users/alice', headers: alice });
        expect(user.json()).to.deep.equal({ id: 'alice', name: 'Alice' });
      } finally {
        await kernel.stop();
      }
    });

    it('rejects a double for a service the plugin does not import, naming it', async () => {
      const error = await rejection(createTestKernel({ ...example, doubles: { todos: { 'users/Nobody': {} } } }));
      expect(ModuError.is(error) && error.code).to.equal('MODU_TESTING_BOOT_FAILED');
      expect((error as Error).message).to.match(/todos: failed in load: MODU_CONTAINER_DOUBLE_UNKNOWN .*users\/Nobody/);
    });
  });

  describe('when a plugin fails to start', () => {
    it('rejects naming the plugin, its phase and code, and stops the others', async () => {
      const root = await pluginsFolder();
      await writePlugin(root, 'ok', { 'plugin.yaml': pluginManifest('ok'), 'index.js': okPlugin });
      await writePlugin(root, 'bad', { 'plugin.yaml': pluginManifest('bad'), 'index.js': badPlugin });
      const error = await rejection(createTestKernel({ plugins: root }));
      expect((error as ModuError).code).to.equal('MODU_TESTING_BOOT_FAILED');
      expect((error as Error).message).to.include('bad: failed in start: MODU_LIFECYCLE_HOOK_FAILED');
      const kept = await createTestKernel({ plugins: root, allowFailures: true });
      expect(kept.snapshot().find((p) => p.name === 'ok')?.state).to.equal('started');
      await kept.stop();
    });
  });
});

const okPlugin = `import { definePlugin } from 'modu';
export default definePlugin({ routes: [{ method: 'GET', path: '/', handler: () => 'ok' }] });
`;
const badPlugin = `import { definePlugin } from 'modu';
export default definePlugin({ onStart() { throw new Error('no database'); } });
`;
