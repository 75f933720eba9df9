import { expect } from 'chai';
import { composeHandlers, hostEndpoints, notFoundHandler, type PluginSnapshot } from '../../../kernel/index.js';
import { inject } from '../../../testing/index.js';
import { neutralRequest } from './test-host.js';

const snapshots: PluginSnapshot[] = [
  { name: 'auth', version: '1.0.0', root: '/p/auth', state: 'started', durations: {}, required: false },
  {
    name: 'users',
    version: '1.0.0',
    root: '/p/users',
    state: 'failed',
    durations: {},
    required: false,
    failure: { phase: 'start', error: { code: 'MODU_LIFECYCLE_TIMEOUT', message: 'onStart timed out' } },
  },
];
const control = {
  snapshot: () => snapshots,
  reload: async () => [],
  unload: async () => [],
  load: async () => snapshots[0] as PluginSnapshot,
};

describe('hostEndpoints()', () => {
  describe('when a plugin is not started', () => {
    it('answers health 503 naming each such plugin with its state and reason', async () => {
      const response = await inject(hostEndpoints(control), { url: '/_modu/health' });
      expect(response.status).to.equal(503);
      expect(response.json()).to.deep.equal({
        status: 'unavailable',
        plugins: [{ name: 'users', state: 'failed', reason: 'onStart timed out' }],
      });
    });
  });
  describe('when no admin token is configured', () => {
    it('disables admin writes with 403, and answers 405 to the wrong method', async () => {
      const endpoints = hostEndpoints(control, { prefix: '/ops' });
      const write = await inject(endpoints, {
        method: 'POST',
        url: '/ops/plugins/users/reload',
        headers: { authorization: 'Bearer x' },
      });
      expect(write.status).to.equal(403);
      expect(write.json<{ code: string }>().code).to.equal('MODU_HTTP_ADMIN_DISABLED');
      expect((await inject(endpoints, { url: '/ops/plugins/users/reload' })).status).to.equal(405);
      expect(await endpoints(neutralRequest('GET', '/_modu/health'))).to.equal(undefined);
    });
  });
});

describe('composeHandlers()', () => {
  describe('when notFoundHandler comes last', () => {
    it('answers Modu 404 problems for what nothing else answered', async () => {
      const handler = composeHandlers(hostEndpoints(control), notFoundHandler);
      expect((await inject(handler, { url: '/_modu/plugins' })).status).to.equal(200);
      const missing = await handler(neutralRequest('GET', '/nope'));
      expect(missing?.status).to.equal(404);
      expect(missing?.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(JSON.parse(String(missing?.body)).code).to.equal('MODU_HTTP_NOT_FOUND');
    });
  });
});
