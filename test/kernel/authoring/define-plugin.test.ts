import { expect } from 'chai';
import { deny, type ModuError } from '../../../kernel/index.js';
import { createTestKernel } from '../../../testing/index.js';
import { pluginManifest, pluginsFolder, removeScratch, writePlugin } from '../../helpers/fixtures.js';
import { rejection } from '../../helpers/rejection.js';

const gate = `import { definePlugin, deny } from 'modu';
export default definePlugin({
  guards: {
    signedIn: { canActivate: (ctx) => (ctx.headers['x-user'] ? true : deny(401, 'send x-user')) },
    admin: { dependsOn: ['signedIn'], canActivate: async (ctx) => ctx.headers['x-user'] === 'root' || deny(403, 'admins only') },
    plain: { canActivate: () => false },
  },
  routes: [
    { method: 'GET', path: '/admin', guards: ['admin'], handler: () => 'ok' },
    { method: 'GET', path: '/plain', guards: ['plain'], handler: () => 'never' },
  ],
});
`;

describe('definePlugin()', () => {
  after(removeScratch);

  describe('when a JavaScript plugin has unknown keys', () => {
    it('fails its load naming every key, where it is, and the valid key it means', async () => {
      const root = await pluginsFolder();
      const code = `import { definePlugin } from 'modu';
export default definePlugin({ route: [], onstart() {}, routes: [{ method: 'GET', path: '/', handle: () => 1 }] });`;
      await writePlugin(root, 'typo', { 'plugin.yaml': pluginManifest('typo'), 'index.js': code });
      const error = await rejection(createTestKernel({ plugins: root }));
      const failure = (error.details.plugins as Array<{ failure: { phase: string; error: ModuError } }>)[0]?.failure;
      expect(failure?.phase).to.equal('load');
      expect(failure?.error.code).to.equal('MODU_LOADER_DEFINITION_INVALID');
      expect(failure?.error.message).to.include("unknown key 'route' (did you mean 'routes'?)");
      expect(failure?.error.message).to.include("unknown key 'onstart' (did you mean 'onStart'?)");
      expect(failure?.error.message).to.include("unknown key 'routes[0].handle' (did you mean 'handler'?)");
      expect(failure?.error.message).to.include('index.js');
    });
  });

  describe('when a guard answers with deny() or false', () => {
    it('answers 401 or 403 with the reason, without a kernel error code in plugin code', async () => {
      const root = await pluginsFolder();
      await writePlugin(root, 'gate', { 'plugin.yaml': pluginManifest('gate'), 'index.js': gate });
      const kernel = await createTestKernel({ plugins: root });
      try {
        const anonymous = await kernel.inject({ url: '/gate/admin' });
        expect(anonymous.status).to.equal(401);
        expect(anonymous.json()).to.include({
          code: 'MODU_AUTH_REQUIRED',
          detail: 'send x-user',
          guard: 'gate/signedIn',
        });
        const user = await kernel.inject({ url: '/gate/admin', headers: { 'x-user': 'ada' } });
        expect(user.status).to.equal(403);
        expect(user.json()).to.include({ code: 'MODU_GUARD_DENIED', detail: 'admins only' });
        expect((await kernel.inject({ url: '/gate/admin', headers: { 'x-user': 'root' } })).text()).to.equal('ok');
        expect((await kernel.inject({ url: '/gate/plain' })).status).to.equal(403);
      } finally {
        await kernel.stop();
      }
    });

    it('makes a frozen, recognisable denial', () => {
      expect(deny(401, 'x')).to.deep.include({ status: 401, reason: 'x' });
      expect(Object.isFrozen(deny())).to.equal(true);
    });
  });
});
