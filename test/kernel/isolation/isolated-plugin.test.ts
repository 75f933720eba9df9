import { expect } from 'chai';
import type { PluginSnapshot } from '../../../kernel/index.js';
import { removeScratch } from '../../helpers/fixtures.js';
import { alive, type IsolatedHost, startIsolatedHost } from './isolated-host.js';

const fixtures = ['isolation/iso-base', 'isolation/iso-echo', 'isolation/iso-user'];
const token = { headers: { 'x-token': 'ok' } };

for (const framework of ['express', 'koa'] as const) describeIsolation(framework);

function describeIsolation(framework: 'express' | 'koa'): void {
  describe(`isolation: process, on ${framework}`, () => {
    let host: IsolatedHost;
    let echo: PluginSnapshot;

    before(async () => {
      host = await startIsolatedHost(fixtures, { plugins: { 'iso-echo': { isolation: 'process' } } }, framework);
      echo = host.kernel.snapshot().find((p) => p.name === 'iso-echo') as PluginSnapshot;
      expect(echo.failure, JSON.stringify(echo.failure)).to.equal(undefined);
    });
    after(async () => {
      await host.close();
      await removeScratch();
    });

    describe('when the host starts', () => {
      it('starts every plugin, the isolated one in a process of its own', () => {
        expect(host.kernel.snapshot().map((p) => [p.name, p.state])).to.deep.equal([
          ['iso-base', 'started'],
          ['iso-echo', 'started'],
          ['iso-user', 'started'],
        ]);
        const pid = echo.isolation?.pid as number;
        expect(pid).to.be.a('number').and.not.equal(process.pid);
        expect(alive(pid)).to.equal(true);
      });

      it('reports the tier, the restarts and the permissions its process runs with', () => {
        const isolation = echo.isolation;
        expect(isolation?.tier).to.equal('process');
        expect(isolation?.restarts).to.equal(0);
        expect(isolation?.permissions.fsWrite).to.deep.equal([]);
        expect(isolation?.permissions.env).to.equal('empty');
        expect(isolation?.permissions.childProcess).to.equal(false);
        expect(isolation?.permissions.fsRead[0]).to.match(/iso-echo$/);
        expect(isolation?.permissions.network).to.be.oneOf([
          'denied by the permission model',
          'denied in the process (no --allow-net on this Node)',
        ]);
        expect(host.kernel.snapshot().find((p) => p.name === 'iso-base')?.isolation).to.equal(undefined);
      });

      it('shows the same in GET /_modu/plugins', async () => {
        const listed = (await (await host.get('/_modu/plugins')).json()) as
          | { plugins?: PluginSnapshot[] }
          | PluginSnapshot[];
        const plugins = Array.isArray(listed) ? listed : (listed.plugins ?? []);
        expect(plugins.find((p) => p.name === 'iso-echo')?.isolation?.pid).to.equal(echo.isolation?.pid);
      });

      it("writes the plugin's log lines to the host log, bound to its name", () => {
        const line = host.logs.find((l) => l.msg === 'echo started');
        expect(line).to.include({ plugin: 'iso-echo', starts: 1 });
      });

      it('lists its routes in the live route table with their guards and permissions', () => {
        const route = host.kernel.routes().find((r) => r.path === '/iso-echo/hello/:name');
        expect(route).to.deep.include({ plugin: 'iso-echo', guards: ['iso-echo/token'], permissions: ['echo:read'] });
      });
    });

    describe('when a route of the isolated plugin is called', () => {
      it('runs its guard in its process and checks the principal it set against the permissions', async () => {
        const response = await host.get('/iso-echo/hello/ada?x=1&x=2', token);
        expect(response.status).to.equal(200);
        expect(await response.json()).to.deep.equal({
          message: 'Hello, ada',
          principal: 'token-holder',
          query: { x: ['1', '2'] },
        });
      });

      it('answers 403 when its guard refuses', async () => {
        const response = await host.get('/iso-echo/hello/ada');
        expect(response.status).to.equal(403);
        expect(await response.json()).to.include({ code: 'MODU_GUARD_DENIED' });
      });

      it('answers the status and reason of a deny() its guard returned in its process', async () => {
        const response = await host.get('/iso-echo/hello/ada', { headers: { 'x-token': 'expired' } });
        expect(response.status).to.equal(401);
        const problem = (await response.json()) as { code: string; detail: string; guard: string };
        expect(problem).to.include({ code: 'MODU_AUTH_REQUIRED', detail: 'the token expired; sign in again' });
        expect(problem.guard).to.equal('iso-echo/token');
      });

      it('sends a 1 MB request body and gets it back', async () => {
        const text = 'y'.repeat(1_000_000);
        const response = await host.get('/iso-echo/echo', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text }),
        });
        expect(response.status).to.equal(200);
        const body = (await response.json()) as { length: number; text: string };
        expect(body.length).to.equal(1_000_000);
        expect(body.text === text).to.equal(true);
      });

      it('answers a 1 MB response body', async () => {
        const response = await host.get('/iso-echo/big');
        expect(response.status).to.equal(200);
        expect((await response.text()).length).to.equal(1_000_000);
      });

      it('streams a response in chunks, in order', async () => {
        const response = await host.get('/iso-echo/stream');
        expect(response.status).to.equal(200);
        expect(response.headers.get('content-type')).to.equal('text/plain');
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        let reads = 0;
        const parts: Buffer[] = [];
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          reads++;
          parts.push(Buffer.from(value));
        }
        const body = Buffer.concat(parts).toString();
        expect(body.length).to.equal(8 * 64 * 1024);
        expect(body[0]).to.equal('a');
        expect(body[body.length - 1]).to.equal('h');
        expect(reads).to.be.greaterThan(1);
      });

      it('answers a 500 problem without internals when its handler throws', async () => {
        const response = await host.get('/iso-echo/throw');
        expect(response.status).to.equal(500);
        const text = await response.text();
        expect(JSON.parse(text)).to.include({ code: 'MODU_HTTP_HANDLER_FAILED' });
        expect(text).to.not.include('the handler broke');
        expect((await host.get('/iso-echo/starts')).status).to.equal(200);
      });
    });

    describe('when services cross the boundary', () => {
      it("lets the isolated plugin call a dependency's service in the host", async () => {
        expect(await (await host.get('/iso-echo/double/21')).json()).to.deep.equal({ value: 42 });
      });

      it("gives it the dependency's ModuError with its code", async () => {
        expect(await (await host.get('/iso-echo/refused')).json()).to.deep.equal({
          code: 'MODU_PERMISSION_MISSING',
          isModuError: true,
        });
      });

      it('shows it only what it declared', async () => {
        expect(await (await host.get('/iso-echo/invisible')).json()).to.deep.equal({ has: false });
      });

      it("lets a plugin in the host use the isolated plugin's exported service and guard", async () => {
        const response = await host.get('/iso-user/greet/bob', token);
        expect(await response.json()).to.deep.equal({ greeting: 'Hello, bob', principal: 'token-holder' });
        expect((await host.get('/iso-user/greet/bob')).status).to.equal(403);
      });

      it("gives the host plugin the isolated service's errors as ModuErrors", async () => {
        expect(await (await host.get('/iso-user/errors')).json()).to.deep.equal([
          { code: 'MODU_GUARD_DENIED', name: 'ModuError' },
          { code: 'MODU_ISOLATION_REMOTE_ERROR', name: 'ModuError' },
        ]);
      });
    });

    describe('when the host stops', () => {
      it('ends the plugin process', async () => {
        const pid = echo.isolation?.pid as number;
        const { startIsolatedHost: start } = await import('./isolated-host.js');
        const other = await start(['isolation/iso-base', 'isolation/iso-echo'], {
          plugins: { 'iso-echo': { isolation: 'process' } },
        });
        const otherPid = other.kernel.snapshot().find((p) => p.name === 'iso-echo')?.isolation?.pid as number;
        expect(otherPid).to.not.equal(pid);
        await other.close();
        expect(alive(otherPid)).to.equal(false);
      });
    });
  });
}
