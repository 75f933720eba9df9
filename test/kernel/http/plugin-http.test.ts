import { expect } from 'chai';
import { injectable } from 'inversify';
import {
  Controller,
  createPluginHttp,
  definePlugin,
  Get,
  type GuardDefinition,
  type PluginHttp,
  type RequestContext,
  RequirePermissions,
  type RouteDefinition,
  UseGuards,
} from '../../../kernel/index.js';
import { rejection } from '../../helpers/rejection.js';
import { neutralRequest, TestHost } from './test-host.js';

const ran: string[] = [];
const recording = (name: string, dependsOn: string[] = []): GuardDefinition => ({
  dependsOn,
  canActivate: () => {
    ran.push(name);
    return true;
  },
});

@Controller('/ctl')
@UseGuards('x', 'a')
@injectable()
class OrderedController {
  @Get('/')
  @UseGuards('b')
  run() {
    return [...ran];
  }
}

@Controller()
@RequirePermissions('reports:read')
@injectable()
class ReportsController {
  @Get('/reports/:year')
  @UseGuards('who')
  @RequirePermissions('reports:export')
  year(ctx: RequestContext) {
    return { year: ctx.params.year };
  }
}

const ok = (method: RouteDefinition['method'], path: string, guards: string[] = []): RouteDefinition => ({
  method,
  path,
  guards,
  handler: () => 'ok',
});

describe('createPluginHttp()', () => {
  let host: TestHost;
  let http: PluginHttp;
  beforeEach(() => {
    host = new TestHost();
    http = createPluginHttp();
  });
  const mount = (spec: Parameters<TestHost['runtime']>[0]) => http.mount(host.runtime(spec));
  const call = (method: string, path: string) => http.handler(neutralRequest(method, path));

  describe('mount() when the plugin is wrong', () => {
    it('fails on an unknown guard and registers nothing, so a fixed plugin mounts after', async () => {
      const bad = definePlugin({ guards: { g: recording('g') }, routes: [ok('GET', '/x', ['nope'])] });
      const error = await rejection(mount({ name: 'p', definition: bad }));
      expect(error.code).to.equal('MODU_GUARD_UNKNOWN');
      expect(error.message).to.include("'p/nope'");
      expect(http.routes()).to.deep.equal([]);
      await mount({
        name: 'p',
        definition: definePlugin({ guards: { g: recording('g') }, routes: [ok('GET', '/x', ['g'])] }),
      });
      expect(http.routes().map((r) => r.path)).to.deep.equal(['/p/x']);
    });
    it('fails on a guard cycle, naming the path, even when no route uses it', async () => {
      const guards = { a: recording('a', ['b']), b: recording('b', ['p/a']) };
      const error = await rejection(mount({ name: 'p', definition: definePlugin({ guards }) }));
      expect(error.code).to.equal('MODU_GUARD_CYCLE');
      expect(error.message).to.include('p/a -> p/b -> p/a');
      expect(error.details.cycle).to.deep.equal(['p/a', 'p/b', 'p/a']);
    });
    it('fails when an exported guard is not defined', async () => {
      const error = await rejection(mount({ name: 'p', exportsGuards: ['ghost'], definition: definePlugin({}) }));
      expect(error.code).to.equal('MODU_LOADER_EXPORT_MISSING');
      expect(error.message).to.include('ghost');
    });
    it("fails on a guard whose dependency the guard's owner cannot see", async () => {
      await mount({ name: 'auth', definition: definePlugin({ guards: { inner: recording('inner') } }) });
      const guards = { outer: recording('outer', ['auth/inner']) };
      const error = await rejection(mount({ name: 'p', dependencies: ['auth'], definition: definePlugin({ guards }) }));
      expect(error.code).to.equal('MODU_GUARD_NOT_ACCESSIBLE');
    });
    it('fails on a method+path the plugin declares twice, and keeps none of its routes', async () => {
      const a = definePlugin({ routes: [ok('GET', '/y'), ok('GET', '/:id'), ok('GET', '/:userId')] });
      const error = await rejection(mount({ name: 'a', definition: a }));
      expect(error.code).to.equal('MODU_HTTP_ROUTE_CONFLICT');
      expect(error.message).to.include("'a' twice").and.include('GET /a/:userId');
      expect(http.routes()).to.deep.equal([]);
    });
    for (const [held, claimed] of [
      ['/shared', '/shared'],
      ['/shared', '/shared/inner'],
      ['/shared/inner', '/shared'],
      ['/deep', '/deep/er/still'],
    ] as const) {
      it(`fails on prefix ${claimed} next to another plugin's ${held}, naming both plugins and prefixes`, async () => {
        await mount({ name: 'a', prefix: held, definition: definePlugin({ routes: [ok('GET', '/:id')] }) });
        const b = definePlugin({ routes: [ok('GET', '/y')] });
        const error = await rejection(mount({ name: 'b', prefix: claimed, definition: b }));
        expect(error.code).to.equal('MODU_HTTP_ROUTE_CONFLICT');
        expect(error.message).to.include("'a'").and.include("'b'").and.include(held).and.include(claimed);
        expect(error.details).to.include({ plugin: 'b', owner: 'a' });
        expect(http.routes().map((r) => r.plugin)).to.deep.equal(['a']);
      });
    }
    it('frees a prefix on unmount and keeps sibling prefixes apart (/users and /users-admin do not overlap)', async () => {
      await mount({ name: 'a', prefix: '/users', definition: definePlugin({ routes: [ok('GET', '/:id')] }) });
      await mount({ name: 'b', prefix: '/users-admin', definition: definePlugin({ routes: [ok('GET', '/x')] }) });
      http.unmount('a');
      await mount({ name: 'c', prefix: '/users', definition: definePlugin({ routes: [ok('GET', '/y')] }) });
      expect(http.routes().map((r) => `${r.plugin} ${r.path}`)).to.deep.equal(['b /users-admin/x', 'c /users/y']);
    });
    it('reserves the host endpoints prefix', async () => {
      const error = await rejection(mount({ name: 'b', prefix: '/_modu/plugins', definition: definePlugin({}) }));
      expect(error.code).to.equal('MODU_HTTP_ROUTE_CONFLICT');
      expect(error.message).to.include('/_modu').and.include('(host endpoints)');
    });
    it("refuses a route path with a '..' segment", async () => {
      const error = await rejection(mount({ name: 'b', definition: definePlugin({ routes: [ok('GET', '/../a')] }) }));
      expect(error.code).to.equal('MODU_HTTP_ROUTE_INVALID');
    });
  });

  describe('handler when guards run', () => {
    it('runs dependencies first, then class-level, then route-level guards, each once', async () => {
      const guards = { a: recording('a', ['c']), b: recording('b', ['c']), c: recording('c'), x: recording('x') };
      await mount({
        name: 'p',
        definition: definePlugin({
          guards,
          controllers: [OrderedController],
          routes: [ok('GET', '/plain', ['b', 'a'])],
        }),
      });
      http.activate('p');
      ran.length = 0;
      const response = await call('GET', '/p/ctl');
      expect(response?.body).to.equal(JSON.stringify(['c', 'x', 'a', 'b']));
      ran.length = 0;
      await call('GET', '/p/plain');
      expect(ran).to.deep.equal(['c', 'b', 'a']);
      expect(http.routes().find((r) => r.path === '/p/ctl')?.guards).to.deep.equal(['p/c', 'p/x', 'p/a', 'p/b']);
    });
  });

  describe('handler when host middleware already parsed the body', () => {
    it('hands that body to the handler without reading the stream', async () => {
      await mount({
        name: 'p',
        definition: definePlugin({ routes: [{ method: 'POST', path: '/', handler: (ctx) => ctx.body }] }),
      });
      http.activate('p');
      const request = {
        ...neutralRequest('POST', '/p', { body: 'not json', headers: { 'content-type': 'text/plain' } }),
        parsedBody: { a: 1 },
      };
      expect((await http.handler(request))?.body).to.equal('{"a":1}');
    });
  });

  describe('handler when a controller declares permissions on the class and the method', () => {
    it('requires both after the guards and names what is missing', async () => {
      let held: string[] = [];
      const who: GuardDefinition = {
        canActivate: (ctx) => {
          ctx.principal = { id: 'x', permissions: held };
          return true;
        },
      };
      await mount({ name: 'p', definition: definePlugin({ guards: { who }, controllers: [ReportsController] }) });
      http.activate('p');
      expect(http.routes()[0]).to.deep.include({
        path: '/p/reports/:year',
        permissions: ['reports:read', 'reports:export'],
      });
      held = ['reports:read'];
      const denied = await call('GET', '/p/reports/2026');
      expect(denied?.status).to.equal(403);
      expect(JSON.parse(String(denied?.body)).missing).to.deep.equal(['reports:export']);
      held = ['reports:*'];
      expect((await call('GET', '/p/reports/2026'))?.body).to.equal('{"year":"2026"}');
    });
  });

  describe('stage(), swap() and retire()', () => {
    const answering = (label: string, path = '/x'): RouteDefinition => ({
      method: 'GET',
      path,
      handler: () => ({ label }),
    });
    it('serves a staged generation only once swapped in, in one step that also retires the old routes', async () => {
      await mount({ name: 'p', definition: definePlugin({ routes: [answering('v1'), answering('v1', '/old')] }) });
      http.activate('p');
      const next = await http.stage(
        host.runtime({ name: 'p', definition: definePlugin({ routes: [answering('v2')] }) }),
      );
      expect((await call('GET', '/p/x'))?.body).to.equal('{"label":"v1"}');
      http.swap([next], true);
      expect((await call('GET', '/p/x'))?.body).to.equal('{"label":"v2"}');
      expect(await call('GET', '/p/old')).to.equal(undefined);
      expect(http.routes().map((r) => r.path)).to.deep.equal(['/p/x']);
    });
    it('changes nothing when a staged generation conflicts with another plugin, and retire() drops it', async () => {
      await mount({ name: 'p', definition: definePlugin({ routes: [answering('v1')] }) });
      await mount({ name: 'q', definition: definePlugin({ routes: [answering('q')] }) });
      http.activate('p');
      const staying = host.runtime({
        name: 'p',
        prefix: '/q',
        definition: definePlugin({ routes: [answering('v2')] }),
      });
      // A prefix that overlaps another plugin's is refused when staged, before anything is built.
      expect((await rejection(http.stage(staying))).code).to.equal('MODU_HTTP_ROUTE_CONFLICT');
      // One that another plugin claims between the staging and the swap is refused by the swap, which changes nothing.
      const moving = await http.stage(
        host.runtime({ name: 'p', prefix: '/r', definition: definePlugin({ routes: [answering('v2')] }) }),
      );
      await mount({ name: 'r', definition: definePlugin({ routes: [answering('r')] }) });
      expect(() => http.swap([moving], true)).to.throw(/overlaps \/r owned by 'r'/);
      expect((await call('GET', '/p/x'))?.body).to.equal('{"label":"v1"}');
      http.retire(moving);
      expect(
        http
          .routes()
          .map((r) => r.path)
          .sort(),
      ).to.deep.equal(['/p/x', '/q/x', '/r/x']);
    });
  });

  describe('activate(), deactivate(), drain() and unmount()', () => {
    it('answers 503 while mounted but inactive, and 404 (undefined) once unmounted', async () => {
      await mount({ name: 'p', definition: definePlugin({ routes: [ok('GET', '/x')] }) });
      expect((await call('GET', '/p/x'))?.status).to.equal(503);
      http.activate('p');
      expect((await call('GET', '/p/x'))?.status).to.equal(200);
      http.unmount('p');
      expect(await call('GET', '/p/x')).to.equal(undefined);
    });

    it('refuses a second mount of a mounted plugin (MODU_HTTP_ALREADY_MOUNTED) and activating an unmounted one (MODU_HTTP_NOT_MOUNTED)', async () => {
      await mount({ name: 'p', definition: definePlugin({ routes: [ok('GET', '/x')] }) });
      const twice = await rejection(mount({ name: 'p', definition: definePlugin({ routes: [ok('GET', '/y')] }) }));
      expect([twice.code, twice.details.plugin]).to.deep.equal(['MODU_HTTP_ALREADY_MOUNTED', 'p']);
      http.unmount('p');
      let inactive: unknown;
      try {
        http.activate('p');
      } catch (error) {
        inactive = error;
      }
      expect((inactive as { code?: string })?.code).to.equal('MODU_HTTP_NOT_MOUNTED');
    });
    it('drain() waits for the request in flight, or gives up after the timeout', async () => {
      let release = () => {};
      const slow = {
        method: 'GET' as const,
        path: '/slow',
        handler: () => new Promise<string>((r) => (release = () => r('done'))),
      };
      await mount({ name: 'p', definition: definePlugin({ routes: [slow] }) });
      http.activate('p');
      const pending = call('GET', '/p/slow');
      await new Promise((resolve) => setImmediate(resolve));
      http.deactivate('p');
      const started = Date.now();
      await http.drain('p', 30);
      expect(Date.now() - started).to.be.greaterThanOrEqual(25);
      const drained = http.drain('p', 5000);
      release();
      await drained;
      expect((await pending)?.status).to.equal(200);
    });
    it('removes exactly what the plugin owns, never a plugin whose name it prefixes', async () => {
      await mount({
        name: 'users',
        exportsGuards: ['g'],
        definition: definePlugin({ guards: { g: recording('g') }, routes: [ok('GET', '/x')] }),
      });
      await mount({
        name: 'users-admin',
        definition: definePlugin({ guards: { g: recording('g') }, routes: [ok('GET', '/x', ['g'])] }),
      });
      http.activate('users-admin');
      http.unmount('users');
      expect(http.routes().map((r) => r.path)).to.deep.equal(['/users-admin/x']);
      expect((await call('GET', '/users-admin/x'))?.status).to.equal(200);
      const error = await rejection(
        mount({
          name: 'late',
          dependencies: ['users'],
          definition: definePlugin({ routes: [ok('GET', '/x', ['users/g'])] }),
        }),
      );
      expect(error.code).to.equal('MODU_GUARD_UNKNOWN');
    });
  });

  describe('when a plugin has a scoped name', () => {
    it('mounts under /@scope/name and qualifies its own and dependency guards', async () => {
      await mount({
        name: '@acme/auth',
        exportsGuards: ['on'],
        definition: definePlugin({ guards: { on: recording('on') } }),
      });
      await mount({
        name: '@acme/shop',
        dependencies: ['@acme/auth'],
        definition: definePlugin({
          guards: { own: recording('own') },
          routes: [ok('GET', '/cart', ['@acme/auth/on', 'own'])],
        }),
      });
      http.activate('@acme/shop');
      expect(http.routes()[0]).to.deep.include({
        path: '/@acme/shop/cart',
        guards: ['@acme/auth/on', '@acme/shop/own'],
      });
      expect((await call('GET', '/@acme/shop/cart'))?.status).to.equal(200);
    });
  });
});
