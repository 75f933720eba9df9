// Ownership on a real server, for each adapter: prefixes, guards run as their owner, permissions before the body,
// and breakers that count only the plugin's own failures. Each case is an attack that worked before the fix.
import { expect } from 'chai';
import {
  composeHandlers,
  createPluginHttp,
  definePlugin,
  type Guard,
  hostEndpoints,
  ModuError,
  type Principal,
  type RequestContext,
} from '../../kernel/index.js';
import { rejection } from '../helpers/rejection.js';
import type { LogEntry } from '../kernel/http/test-host.js';
import { TestHost } from '../kernel/http/test-host.js';
import { problem } from './adapter-contract.js';
import type { Serve, Served } from './servers.js';

/** Bearer tokens the `auth` plugin's private service knows. */
const TOKENS: Record<string, Principal> = {
  alice: { id: 'alice', permissions: ['users:read', 'reports:read'] },
  bob: { id: 'bob', permissions: ['reports:read', 'reports:write'] },
};
const guardFlip = { failing: false };
const seenByIntruder: string[] = [];

const authenticated: Guard = {
  // Reads what only its owner can see: a private service, its own config, its own logger.
  canActivate(ctx: RequestContext) {
    const tokens = ctx.use<Record<string, Principal>>('auth/Tokens');
    const header = String(ctx.headers.authorization ?? '');
    const principal = tokens[header.slice('Bearer '.length)];
    ctx.logger.info({ realm: ctx.config.realm }, 'checked a token');
    if (principal === undefined) throw new ModuError('MODU_AUTH_REQUIRED', 'Send a valid bearer token.');
    ctx.principal = principal;
    return true;
  },
};

const auth = {
  name: 'auth',
  exportsGuards: ['authenticated', 'fragile'],
  config: { realm: 'auth-realm' },
  definition: definePlugin({
    services: { Tokens: { value: TOKENS } },
    guards: {
      authenticated,
      fragile: {
        canActivate: () => {
          if (guardFlip.failing) throw new Error('auth is broken');
          return true;
        },
      },
    },
  }),
};

const users = {
  name: 'users',
  dependencies: ['auth'],
  definition: definePlugin({
    routes: [
      {
        method: 'GET',
        path: '/:id',
        guards: ['auth/authenticated'],
        permissions: ['users:read'],
        handler: (ctx) => ({ user: ctx.params.id }),
      },
    ],
  }),
};

const intruder = {
  name: 'intruder',
  prefix: '/users',
  definition: definePlugin({
    routes: [
      {
        method: 'GET',
        path: '/alice',
        handler: (ctx) => void seenByIntruder.push(String(ctx.headers.authorization)),
      },
    ],
  }),
};

const routeFlip = { failing: false };
const reports = {
  name: 'reports',
  dependencies: ['auth'],
  config: { realm: 'reports-realm' },
  definition: definePlugin({
    routes: [
      {
        method: 'POST',
        path: '/upload',
        guards: ['auth/authenticated'],
        permissions: ['reports:write'],
        handler: (ctx) => ({ stored: JSON.stringify(ctx.body).length }),
      },
      { method: 'GET', path: '/fragile', guards: ['auth/fragile'], handler: () => 'fine' },
      { method: 'GET', path: '/plain', handler: () => 'plain' },
      {
        method: 'GET',
        path: '/flaky',
        handler: () => {
          if (routeFlip.failing) throw new Error('reports is broken');
          return 'ok';
        },
      },
    ],
  }),
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function ownershipContract(adapter: string, serve: Serve): void {
  describe(`${adapter} adapter (ownership)`, () => {
    const host = new TestHost();
    const breaker = { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 600 };
    const http = createPluginHttp({ bodyLimitBytes: 1024, breaker });
    let served: Served;
    const call = (path: string, init: RequestInit = {}) => fetch(`${served.url}${path}`, init);
    const as = (token: string, init: RequestInit = {}): RequestInit => ({
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

    before(async () => {
      for (const spec of [auth, users, reports]) {
        await http.mount(host.runtime(spec));
        http.activate(spec.name);
      }
      const endpoints = hostEndpoints(
        {
          snapshot: () => [],
          reload: async () => [],
          unload: async () => [],
          load: () => Promise.reject(new Error('no admin writes in this suite')),
        },
        {
          metrics: [http.metrics],
        },
      );
      served = await serve(composeHandlers(endpoints, http.handler));
    });
    after(() => served.close());

    describe('when a plugin claims a prefix another plugin owns', () => {
      it('refuses it, naming both, and the guarded route keeps its guard and its callers’ tokens', async () => {
        const error = await rejection(http.mount(host.runtime(intruder)));
        expect(error.code).to.equal('MODU_HTTP_ROUTE_CONFLICT');
        expect(error.message).to.include("'intruder'").and.include("'users'").and.include('/users');
        await problem(await call('/users/alice'), 401, 'MODU_AUTH_REQUIRED');
        expect(await (await call('/users/alice', as('alice'))).json()).to.deep.equal({ user: 'alice' });
        expect(seenByIntruder).to.deep.equal([]);
      });
      it('refuses a prefix inside the host endpoints prefix', async () => {
        const error = await rejection(http.mount(host.runtime({ ...intruder, name: 'squatter', prefix: '/_modu/x' })));
        expect(error.code).to.equal('MODU_HTTP_ROUTE_CONFLICT');
        expect((await call('/_modu/health')).status).to.not.equal(404);
      });
    });

    describe("when another plugin's route runs a guard", () => {
      it("gives the guard its owner's services, config and logger", async () => {
        host.logs.length = 0;
        const response = await call('/reports/upload', as('bob', { method: 'POST', body: '{"a":1}' }));
        expect(await response.json()).to.deep.equal({ stored: 7 });
        const entry = host.logs.find((e: LogEntry) => e.msg === 'checked a token');
        expect(entry?.bindings.plugin).to.equal('auth');
        expect(entry?.obj).to.deep.equal({ realm: 'auth-realm' });
      });
      it("counts the guard's failures against its owner: the guard pauses, the route's plugin does not", async () => {
        guardFlip.failing = true;
        host.logs.length = 0;
        for (let i = 0; i < 4; i++) await problem(await call('/reports/fragile'), 500, 'MODU_HTTP_HANDLER_FAILED');
        const paused = await problem(await call('/reports/fragile'), 503, 'MODU_PLUGIN_CIRCUIT_OPEN');
        expect(paused).to.include({ plugin: 'auth', guard: 'auth/fragile' });
        expect(host.logs.filter((e) => e.level === 'error').map((e) => e.bindings.plugin)).to.deep.equal(
          Array(4).fill('auth'),
        );
        expect(await (await call('/reports/plain')).text()).to.equal('plain');
        const metrics = await (await call('/_modu/metrics')).text();
        expect(metrics).to.include('modu_guard_failures_total{plugin="auth",guard="auth/fragile"} 4');
        expect(metrics).to.include(
          'modu_route_circuit_state{plugin="reports",method="GET",route="/reports/fragile"} 0',
        );
        guardFlip.failing = false;
        await pause(700);
        expect(await (await call('/reports/fragile')).text()).to.equal('fine');
      });
    });

    describe('when a caller without the permissions sends a body', () => {
      it('answers 401/403 before reading it, whether it is oversized or malformed', async () => {
        const big = JSON.stringify({ big: 'x'.repeat(4000) });
        await problem(
          await call('/reports/upload', as('alice', { method: 'POST', body: big })),
          403,
          'MODU_PERMISSION_MISSING',
        );
        await problem(
          await call('/reports/upload', as('alice', { method: 'POST', body: '{"a":' })),
          403,
          'MODU_PERMISSION_MISSING',
        );
        await problem(
          await call('/reports/upload', as('nobody', { method: 'POST', body: big })),
          401,
          'MODU_AUTH_REQUIRED',
        );
        await problem(
          await call('/reports/upload', as('bob', { method: 'POST', body: big })),
          413,
          'MODU_HTTP_BODY_TOO_LARGE',
        );
      });
    });

    describe('when callers send bad input or a route fails', () => {
      it('does not open anything for five deep-JSON posts from one caller', async () => {
        const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
        const limit = { ...as('bob', { method: 'POST', body: deep }) };
        const big = createPluginHttp({ bodyLimitBytes: 1_000_000, breaker });
        await big.mount(host.runtime(auth));
        big.activate('auth');
        await big.mount(host.runtime({ ...reports, name: 'reports2', prefix: '/reports2' }));
        big.activate('reports2');
        const other = await serve(big.handler);
        try {
          for (let i = 0; i < 5; i++) {
            await problem(await fetch(`${other.url}/reports2/upload`, limit), 400, 'MODU_HTTP_BAD_JSON');
          }
          const ok = await fetch(`${other.url}/reports2/upload`, as('bob', { method: 'POST', body: '[1]' }));
          expect(await ok.json()).to.deep.equal({ stored: 3 });
        } finally {
          await other.close();
        }
      });
      it('opens only the failing route, and closes it again by itself', async () => {
        routeFlip.failing = true;
        for (let i = 0; i < 4; i++) await problem(await call('/reports/flaky'), 500, 'MODU_HTTP_HANDLER_FAILED');
        const open = await call('/reports/flaky');
        expect(open.headers.get('retry-after')).to.equal('1');
        await problem(open, 503, 'MODU_PLUGIN_CIRCUIT_OPEN');
        expect(await (await call('/reports/plain')).text()).to.equal('plain');
        routeFlip.failing = false;
        await pause(700);
        expect(await (await call('/reports/flaky')).text()).to.equal('ok');
        expect(await (await call('/reports/flaky')).text()).to.equal('ok');
      });
    });
  });
}
