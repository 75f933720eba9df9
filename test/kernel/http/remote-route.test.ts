import { expect } from 'chai';
import { markRemoteGuard, markRemoteHandler, type RemoteOutcome } from '../../../kernel/http/remote-route.js';
import { reply } from '../../../kernel/http/reply.js';
import { createPluginHttp, definePlugin, type Guard, type PluginHttp } from '../../../kernel/index.js';
import { neutralRequest, TestHost } from './test-host.js';

// The host's side of a route whose guards and handler run in one other process. That process is scripted here (what
// it answers is the input under test); the host's HTTP layer, guard chain and permission check are the real ones.
describe('a route whose guards and handler run in one other process', () => {
  let http: PluginHttp;
  let crossings: (readonly string[])[];
  let local: string[];
  let answer: RemoteOutcome;

  /** A stand-in guard or handler: called only when the host runs the request step by step. */
  const stepwise =
    <T>(name: string, result: T) =>
    (): T => {
      local.push(name);
      return result;
    };

  beforeEach(async () => {
    http = createPluginHttp({ breaker: { volumeThreshold: 1 } });
    crossings = [];
    local = [];
    const host = new TestHost();
    const process = {};
    const key: Guard = { canActivate: stepwise('key', true) };
    const foreign: Guard = { canActivate: stepwise('foreign', true) };
    markRemoteGuard(key, process, 'key');
    markRemoteGuard(foreign, {}, 'foreign');
    const handler = stepwise('handler', 'stepwise');
    markRemoteHandler(handler, process, async (_ctx, guards) => {
      crossings.push(guards);
      return answer;
    });
    const route = { handler, permissions: ['r:read'] };
    const definition = definePlugin({
      guards: { key, foreign },
      routes: [
        { method: ['GET', 'HEAD', 'POST'], path: '/own', guards: ['key'], ...route },
        { method: 'GET', path: '/mixed', guards: ['key', 'foreign'], ...route },
      ],
    });
    await http.mount(host.runtime({ name: 'p', definition }));
    http.activate('p');
  });

  const call = (method: string, path: string) => http.handler(neutralRequest(method, path));
  const reader = { id: 'r', permissions: ['r:read'] };

  it('crosses once for a bodiless request and sends the reply when its own check agrees with the process', async () => {
    answer = { kind: 'answered', principal: reader, reply: reply(200, { ok: true }) };
    const response = await call('GET', '/p/own');
    expect([response?.status, response?.body]).to.deep.equal([200, '{"ok":true}']);
    expect(crossings).to.deep.equal([['key']]);
    expect(local).to.deep.equal([]);
  });

  it('drops the reply of a process that let a caller through without the permissions or a principal', async () => {
    answer = { kind: 'answered', principal: { id: 'n', permissions: [] }, reply: reply(200, 'secret') };
    const missing = await call('GET', '/p/own');
    expect(missing?.status).to.equal(403);
    expect(String(missing?.body)).to.include('MODU_PERMISSION_MISSING').and.not.include('secret');
    answer = { kind: 'answered', principal: undefined, reply: reply(200, 'secret') };
    const anonymous = await call('GET', '/p/own');
    expect(anonymous?.status).to.equal(401);
    expect(String(anonymous?.body)).to.include('MODU_AUTH_REQUIRED').and.not.include('secret');
  });

  it('answers where the process says a guard stopped: its denial, or its failure counted against the guard', async () => {
    answer = { kind: 'stopped', principal: undefined, passed: 0, verdict: false };
    const denied = await call('GET', '/p/own');
    expect(denied?.status).to.equal(403);
    expect(String(denied?.body)).to.include('MODU_GUARD_DENIED').and.include('p/key');
    answer = { kind: 'stopped', principal: undefined, passed: 0, threw: new Error('guard detail') };
    const failed = await call('GET', '/p/own');
    expect(failed?.status).to.equal(500);
    expect(String(failed?.body)).to.include('MODU_HTTP_HANDLER_FAILED').and.not.include('guard detail');
    // The guard's breaker opened (volumeThreshold 1): the next request is paused on the host, without crossing.
    const paused = await call('GET', '/p/own');
    expect(String(paused?.body)).to.include('MODU_PLUGIN_CIRCUIT_OPEN').and.include('p/key');
    expect(crossings).to.have.length(2);
  });

  it('answers 500 when the process stops a request whose guards all passed and whose permissions are held', async () => {
    answer = { kind: 'stopped', principal: reader, passed: 1 };
    const response = await call('GET', '/p/own');
    expect(response?.status).to.equal(500);
    expect(String(response?.body)).to.include('MODU_HTTP_HANDLER_FAILED');
  });

  it('runs step by step a request with a body, and a chain with a guard of another process', async () => {
    answer = { kind: 'answered', principal: reader, reply: reply(200, 'crossed') };
    const posted = await call('POST', '/p/own');
    expect([posted?.status, local]).to.deep.equal([401, ['key']]);
    local = [];
    const mixed = await call('GET', '/p/mixed');
    expect([mixed?.status, local]).to.deep.equal([401, ['key', 'foreign']]);
    expect(crossings).to.deep.equal([]);
  });
});
