// The adapter contract suite: written once, run against every adapter on a real loopback server.
import { expect } from 'chai';
import {
  composeHandlers,
  createPluginHttp,
  definePlugin,
  hostEndpoints,
  type NeutralHandler,
  type PluginHttp,
  type PluginSnapshot,
} from '../../kernel/index.js';
import { TestHost } from '../kernel/http/test-host.js';
import { type ContractTier, inProcess } from './contract-tiers.js';
import type { Serve, Served } from './servers.js';

const ADMIN = 'let-me-in';

function snapshotOf(http: PluginHttp, names: string[]): PluginSnapshot[] {
  const mounted = new Set(http.routes().map((route) => route.plugin));
  return names.map((name) => ({
    name,
    version: '1.0.0',
    root: `/plugins/${name}`,
    state: mounted.has(name) || name === 'auth' ? 'started' : 'stopped',
    durations: {},
    required: false,
  }));
}

export async function problem(response: Response, status: number, code: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect(response.status, text).to.equal(status);
  expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body).to.include({ code, status });
  expect(body).to.have.keys([
    'type',
    'title',
    'status',
    'detail',
    'code',
    'instance',
    ...Object.keys(body).filter((k) => !['type', 'title', 'status', 'detail', 'code', 'instance'].includes(k)),
  ]);
  expect(text).to.not.match(/\bat .+\(.+:\d+:\d+\)|stack/);
  return body;
}

/** `it`, or `it.skip` with its reason for a case that `tier` lists as not run. */
function caseIn(tier: ContractTier): (title: string, test: () => Promise<void>) => void {
  return (title, test) => {
    const reason = tier.skips[title];
    if (reason === undefined) it(title, test);
    else it.skip(`${title} (not run ${tier.name}: ${reason})`, test);
  };
}

/** The contract suite on `adapter` (served by `serve`), its plugins running in `tier` (in process by default). */
export function adapterContract(adapter: string, serve: Serve, tier: ContractTier = inProcess()): void {
  const title = tier.name === 'in process' ? '' : `, plugins ${tier.name}`;
  describe(`${adapter} adapter (contract suite${title})`, () => {
    const test = caseIn(tier);
    const host = new TestHost();
    const http = createPluginHttp({ bodyLimitBytes: 1024, breaker: { volumeThreshold: 3, resetTimeoutMs: 800 } });
    const calls: string[] = [];
    let served: Served;
    const get = (path: string, init: RequestInit = {}) => fetch(`${served.url}${path}`, init);
    const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    /** What the users plugin counted: request-scoped services disposed, slow handlers aborted. */
    const counters = async () => (await (await get('/users/counters')).json()) as { disposed: number; aborted: number };

    before(async () => {
      await tier.start(host, http);
      const control = {
        snapshot: () => snapshotOf(http, ['auth', 'users', 'flaky', 'gate']),
        reload: async (name: string) => {
          calls.push(`reload ${name}`);
          return [];
        },
        unload: async (name: string) => {
          calls.push(`unload ${name}`);
          return [];
        },
        load: async (name: string) => {
          calls.push(`load ${name}`);
          return { name, version: '1.0.0', root: '/p', state: 'started' as const, durations: {}, required: false };
        },
      };
      const endpoints = hostEndpoints(control, { adminToken: ADMIN, metrics: [http.metrics] });
      const broken: NeutralHandler = async (request) => {
        if (request.path === '/explode') throw new Error('secret host detail');
        return undefined;
      };
      served = await serve(composeHandlers(endpoints, http.handler, broken));
    });
    after(async () => {
      await served?.close();
      await tier.stop();
    });

    describe('when routes match', () => {
      test('prefers a literal segment over a parameter declared first', async () => {
        expect(await (await get('/users/plugins/search')).json()).to.deep.equal({ literal: 'search' });
        expect(await (await get('/users/plugins/other')).json()).to.deep.equal({ param: 'other' });
      });
      test('decodes parameters and passes query, config and plugin name', async () => {
        expect(await (await get('/users/plugins/caf%C3%A9')).json()).to.deep.equal({ param: 'café' });
        expect(await (await get('/users/config')).json()).to.deep.equal({ config: { pageSize: 20 }, plugin: 'users' });
      });
      test('answers text, 204, an explicit reply and a stream', async () => {
        const text = await get('/users/text');
        expect(text.headers.get('content-type')).to.match(/^text\/plain/);
        expect(await text.text()).to.equal('plain words');
        expect((await get('/users/none', { method: 'DELETE' })).status).to.equal(204);
        const created = await get('/users/created', { method: 'POST' });
        expect(created.status).to.equal(201);
        expect(created.headers.get('location')).to.equal('/users/2');
        expect(await (await get('/users/stream')).text()).to.equal('chunk-1 chunk-2');
        const bytes = await get('/users/bytes');
        expect(bytes.headers.get('content-type')).to.equal('application/octet-stream');
        expect(await bytes.text()).to.equal('hi');
      });
      test('answers HEAD from the GET route without a body', async () => {
        const head = await get('/users/text', { method: 'HEAD' });
        expect(head.status).to.equal(200);
        expect(head.headers.get('content-type')).to.match(/^text\/plain/);
        expect(await head.text()).to.equal('');
      });
      test('gives each request its own request-scoped services and disposes them', async () => {
        const before = (await counters()).disposed;
        const [a, b] = (await (await get('/users/trace')).json()) as number[];
        const [c] = (await (await get('/users/trace')).json()) as number[];
        expect(a).to.equal(b);
        expect(c).to.not.equal(a);
        expect((await counters()).disposed).to.equal(before + 2);
        expect(await (await get('/users/trace-async')).json()).to.be.greaterThan(c as number);
      });
    });

    describe('when nothing or only the path matches', () => {
      test('passes unknown paths on to the framework (its own 404 and routes)', async () => {
        expect(await (await get('/host/ping')).text()).to.equal('pong');
        expect((await get('/nowhere/at/all')).status).to.equal(404);
      });
      test('answers 405 with Allow when the path matches but not the method', async () => {
        const response = await get('/users/text', { method: 'PATCH' });
        expect(response.headers.get('allow')).to.equal('GET, HEAD');
        await problem(response, 405, 'MODU_HTTP_METHOD_NOT_ALLOWED');
      });
    });

    describe('when guards and permissions decide', () => {
      test('answers 401 without a credential, 403 naming missing permissions, 200 when held', async () => {
        await problem(await get('/users/1'), 401, 'MODU_AUTH_REQUIRED');
        const denied = await problem(await get('/users/1', bearer('nobody')), 403, 'MODU_PERMISSION_MISSING');
        expect(denied.missing).to.deep.equal(['users:read']);
        expect(await (await get('/users/1', bearer('reader'))).json()).to.deep.equal({ id: '1', name: 'Ada' });
        expect(await (await get('/users/1', bearer('writer'))).json()).to.deep.include({ id: '1' });
      });
      test('runs controller class guards after their dependencies: 403 from users/admin, 200 for an admin', async () => {
        const denied = await problem(await get('/users/admin/stats', bearer('writer')), 403, 'MODU_GUARD_DENIED');
        expect(denied.guard).to.equal('users/admin');
        expect(await (await get('/users/admin/stats', bearer('root'))).json()).to.deep.equal({ users: 1, by: 'ada' });
      });
      test('always answers 401 on a route with permissions but no guard, whatever the caller sends', async () => {
        await problem(await get('/users/locked', bearer('root')), 401, 'MODU_AUTH_REQUIRED');
        await problem(
          await get('/users/locked', { headers: { 'x-user-roles': 'admin', 'x-user-permissions': '*' } }),
          401,
          'MODU_AUTH_REQUIRED',
        );
      });
      test("runs a plugin's own guards: 401 with its reason, 403 naming the guard or the permission, 200", async () => {
        const key = (value: string) => ({ headers: { 'x-gate-key': value } });
        const unknown = await problem(await get('/gate/own'), 401, 'MODU_AUTH_REQUIRED');
        expect(unknown.detail).to.equal('Send a known x-gate-key.');
        const missing = await problem(await get('/gate/own', key('viewer')), 403, 'MODU_PERMISSION_MISSING');
        expect(missing.missing).to.deep.equal(['gate:read']);
        expect(await (await get('/gate/own', key('reader'))).json()).to.deep.equal({ by: 're' });
        const head = await get('/gate/own', { method: 'HEAD', ...key('reader') });
        expect([head.status, await head.text()]).to.deep.equal([200, '']);
        const notStaff = await problem(await get('/gate/staff', key('reader')), 403, 'MODU_GUARD_DENIED');
        expect(notStaff.guard).to.equal('gate/staff');
        await problem(await get('/gate/staff'), 401, 'MODU_AUTH_REQUIRED');
        expect(await (await get('/gate/staff', key('staff'))).json()).to.deep.equal({ staff: 'st' });
        const post = (value: string, body: string) =>
          get('/gate/own', {
            method: 'POST',
            headers: { 'x-gate-key': value, 'content-type': 'application/json' },
            body,
          });
        await problem(await post('nobody', '{bad'), 401, 'MODU_AUTH_REQUIRED');
        await problem(await post('reader', '{bad'), 403, 'MODU_PERMISSION_MISSING');
        expect(await (await post('staff', '{"n":1}')).json()).to.deep.equal({ by: 'st', got: { n: 1 } });
      });
      test("pauses a plugin's own failing guard, not its route: 500s without the detail, then 503 naming it", async () => {
        for (const method of ['POST', 'GET', 'GET']) {
          const body = await problem(await get('/gate/broken', { method }), 500, 'MODU_HTTP_HANDLER_FAILED');
          expect(JSON.stringify(body)).to.not.include('secret guard detail');
        }
        const paused = await problem(await get('/gate/broken'), 503, 'MODU_PLUGIN_CIRCUIT_OPEN');
        expect(paused.guard).to.equal('gate/broken');
        expect(await (await get('/gate/own', { headers: { 'x-gate-key': 'reader' } })).json()).to.deep.equal({
          by: 're',
        });
      });
      test('never takes identity from request headers', async () => {
        const body = await (
          await get('/users/whoami', { headers: { 'x-user-id': 'root', 'x-user-roles': 'admin' } })
        ).json();
        expect(body).to.deep.equal({ principal: null });
      });
    });

    describe('when a request has a body', () => {
      const post = (
        body: NonNullable<RequestInit['body']>,
        type = 'application/json',
        token = 'writer',
        extra: RequestInit = {},
      ) =>
        get('/users/echo', {
          method: 'POST',
          body,
          headers: { 'content-type': type, authorization: `Bearer ${token}` },
          ...extra,
        });
      test('parses JSON for the handler', async () => {
        expect(await (await post('{"a":[1,2]}')).json()).to.deep.equal({ got: { a: [1, 2] }, by: 'bob' });
      });
      test('answers 413 over the byte limit (declared or streamed), 400 on bad JSON, 415 on other media', async () => {
        await problem(await post(JSON.stringify({ big: 'x'.repeat(2000) })), 413, 'MODU_HTTP_BODY_TOO_LARGE');
        const chunks = new ReadableStream({
          start(controller) {
            for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(`"${'y'.repeat(500)}"`));
            controller.close();
          },
        });
        await problem(
          await post(chunks, 'application/json', 'writer', { duplex: 'half' } as RequestInit),
          413,
          'MODU_HTTP_BODY_TOO_LARGE',
        );
        await problem(await post('{"a":'), 400, 'MODU_HTTP_BAD_JSON');
        await problem(await post('a=1', 'application/x-www-form-urlencoded'), 415, 'MODU_HTTP_UNSUPPORTED_MEDIA_TYPE');
      });
      test('runs guards before reading the body: an unknown caller sending malformed JSON gets 401', async () => {
        await problem(await post('{"a":', 'application/json', 'unknown'), 401, 'MODU_AUTH_REQUIRED');
      });
    });

    describe('when handlers fail or are slow', () => {
      test('answers 500 problem+json for a throwing handler, leaking neither stack nor message, and logs it', async () => {
        const body = await problem(await get('/users/boom'), 500, 'MODU_HTTP_HANDLER_FAILED');
        expect(JSON.stringify(body)).to.not.include('secret internal detail');
        expect(host.logs.some((e) => e.level === 'error' && e.bindings.plugin === 'users')).to.equal(true);
      });
      test('answers 500 problem+json when a handler outside the route table rejects', async () => {
        const body = await problem(await get('/explode'), 500, 'MODU_HTTP_HANDLER_FAILED');
        expect(JSON.stringify(body)).to.not.include('secret host detail');
      });
      test("uses a client-facing ModuError's status, code and message", async () => {
        const body = await problem(await get('/users/gone'), 404, 'MODU_HTTP_NOT_FOUND');
        expect(body.detail).to.equal('User 42 does not exist.');
      });
      test('answers a slow handler, and aborts its signal when the client goes away', async () => {
        expect(await (await get('/users/slow?ms=100')).json()).to.deep.equal({ slow: true });
        const before = (await counters()).aborted;
        const controller = new AbortController();
        const pending = get('/users/slow?ms=5000', { signal: controller.signal }).catch((error: Error) => error.name);
        await new Promise((resolve) => setTimeout(resolve, 100));
        controller.abort();
        expect(await pending).to.equal('AbortError');
        let aborted = before;
        for (let i = 0; i < 50 && aborted === before; i++) {
          await new Promise((r) => setTimeout(r, 20));
          aborted = (await counters()).aborted;
        }
        expect(aborted).to.equal(before + 1);
      });
      test('opens the breaker after repeated failures (fast 503 + Retry-After) and closes it by itself', async () => {
        for (let i = 0; i < 3; i++) await problem(await get('/flaky?fail=1'), 500, 'MODU_HTTP_HANDLER_FAILED');
        const open = await get('/flaky?fail=1');
        expect(open.headers.get('retry-after')).to.equal('1');
        await problem(open, 503, 'MODU_PLUGIN_CIRCUIT_OPEN');
        await problem(await get('/flaky'), 503, 'MODU_PLUGIN_CIRCUIT_OPEN');
        await new Promise((resolve) => setTimeout(resolve, 900));
        expect(await (await get('/flaky')).json()).to.deep.equal({ ok: true });
        expect((await get('/flaky')).status).to.equal(200);
      });
    });

    describe('when plugins come and go', () => {
      test('serves routes after mount + activate and drops them after unmount, without a restart', async () => {
        expect((await get('/late/hello')).status).to.equal(404);
        await http.mount(
          host.runtime({
            name: 'late',
            definition: definePlugin({ routes: [{ method: 'GET', path: '/hello', handler: () => 'hi' }] }),
          }),
        );
        await problem(await get('/late/hello'), 503, 'MODU_PLUGIN_UNAVAILABLE');
        http.activate('late');
        expect(await (await get('/late/hello')).text()).to.equal('hi');
        http.deactivate('late');
        await problem(await get('/late/hello'), 503, 'MODU_PLUGIN_UNAVAILABLE');
        http.unmount('late');
        expect((await get('/late/hello')).status).to.equal(404);
        expect(await (await get('/users/text')).text()).to.equal('plain words');
      });
    });

    describe('when the host endpoints are called', () => {
      test('reports health and plugins', async () => {
        const health = await get('/_modu/health');
        expect(health.status).to.equal(200);
        expect(await health.json()).to.deep.equal({ status: 'ok', plugins: 4 });
        const plugins = (await (await get('/_modu/plugins')).json()) as PluginSnapshot[];
        expect(plugins.map((p) => p.name)).to.deep.equal(['auth', 'users', 'flaky', 'gate']);
      });
      test('serves Prometheus metrics per plugin route and breaker state', async () => {
        const response = await get('/_modu/metrics');
        expect(response.headers.get('content-type')).to.match(/^text\/plain/);
        const text = await response.text();
        expect(text).to.match(
          /modu_http_requests_total\{plugin="users",method="GET",route="\/users\/text",status="200"\} \d+/,
        );
        expect(text).to.include('modu_plugin_circuit_state{plugin="flaky"} 0');
        expect(text).to.match(
          /modu_http_request_duration_seconds_bucket\{plugin="users",method="GET",route="\/users\/text",le="\+Inf"\} [1-9]/,
        );
        expect(text).to.match(
          /modu_http_request_duration_seconds_count\{plugin="users",method="GET",route="\/users\/text"\} [1-9]/,
        );
      });
      test('guards admin writes with the bearer token', async () => {
        await problem(
          await get('/_modu/plugins/users/reload', { method: 'POST' }),
          401,
          'MODU_HTTP_ADMIN_TOKEN_INVALID',
        );
        await problem(
          await get('/_modu/plugins/users/reload', { method: 'POST', ...bearer('wrong') }),
          401,
          'MODU_HTTP_ADMIN_TOKEN_INVALID',
        );
        const ok = await get('/_modu/plugins/users/reload', { method: 'POST', ...bearer(ADMIN) });
        expect(ok.status).to.equal(200);
        expect((await get('/_modu/plugins/@acme/x/unload', { method: 'POST', ...bearer(ADMIN) })).status).to.equal(200);
        expect(calls).to.deep.equal(['reload users', 'unload @acme/x']);
      });
    });
  });
}
