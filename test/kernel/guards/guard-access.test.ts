import { expect } from 'chai';
import { canUseGuard, createPluginHttp, definePlugin, type PluginHttp } from '../../../kernel/index.js';
import { rejection } from '../../helpers/rejection.js';
import { neutralRequest, TestHost } from '../http/test-host.js';

const allow = () => true;

/** Mounts `owner` with a local guard `mine` and an exported guard `shared`, then `requester` using `guard`. */
async function mountUsing(guard: string, requester: 'owner' | 'dependent' | 'stranger'): Promise<PluginHttp> {
  const host = new TestHost();
  const http = createPluginHttp();
  const ownerRoutes =
    requester === 'owner' ? [{ method: 'GET' as const, path: '/x', guards: [guard], handler: () => 'ok' }] : [];
  await http.mount(
    host.runtime({
      name: 'owner',
      exportsGuards: ['shared'],
      definition: definePlugin({
        guards: { mine: { canActivate: allow }, shared: { canActivate: allow } },
        routes: ownerRoutes,
      }),
    }),
  );
  if (requester !== 'owner') {
    await http.mount(
      host.runtime({
        name: requester,
        dependencies: requester === 'dependent' ? ['owner'] : [],
        definition: definePlugin({ routes: [{ method: 'GET', path: '/x', guards: [guard], handler: () => 'ok' }] }),
      }),
    );
  }
  return http;
}

describe('guard access (scope × requester)', () => {
  const cases = [
    { scope: 'local', guard: 'owner/mine', requester: 'owner', usable: true },
    { scope: 'local', guard: 'owner/mine', requester: 'dependent', usable: false },
    { scope: 'local', guard: 'owner/mine', requester: 'stranger', usable: false },
    { scope: 'exported', guard: 'owner/shared', requester: 'owner', usable: true },
    { scope: 'exported', guard: 'owner/shared', requester: 'dependent', usable: true },
    { scope: 'exported', guard: 'owner/shared', requester: 'stranger', usable: false },
  ] as const;

  for (const { scope, guard, requester, usable } of cases) {
    describe(`when ${scope === 'exported' ? 'an' : 'a'} ${scope} guard is used by the ${requester}`, () => {
      it(
        usable ? 'mounts and runs the guard' : 'fails the mount with MODU_GUARD_NOT_ACCESSIBLE and registers nothing',
        async () => {
          if (usable) {
            const http = await mountUsing(guard, requester);
            const name = requester === 'owner' ? 'owner' : requester;
            http.activate(name);
            const response = await http.handler(neutralRequest('GET', `/${name}/x`));
            expect(response?.status).to.equal(200);
            expect(http.routes().find((route) => route.plugin === name)?.guards).to.deep.equal([guard]);
            return;
          }
          const error = await rejection(mountUsing(guard, requester));
          expect(error.code).to.equal('MODU_GUARD_NOT_ACCESSIBLE');
          expect(error.message).to.include(guard);
        },
      );
      it(`canUseGuard says ${usable}`, () => {
        const entry = { owner: 'owner', exported: scope === 'exported' };
        const dependencies = new Set(requester === 'dependent' ? ['owner'] : []);
        expect(canUseGuard(entry, { name: requester, dependencies })).to.equal(usable);
      });
    });
  }
});
