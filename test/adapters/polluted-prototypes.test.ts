// Host decisions under polluted and replaced intrinsics, on a real kernel and both adapters. Code running in the
// host process (any in-process plugin) can do what `pollute()` does; every decision must come out unchanged.
import { expect } from 'chai';
import { createKernel, type Kernel } from '../../kernel/index.js';
import { pluginManifest, pluginsFolder, silentLogger, writePlugin } from '../helpers/fixtures.js';
import { adapters, type Served } from './servers.js';

const authCode = `import { definePlugin, ModuError } from 'modu';
const people = new Map([['guest', { id: 'guest' }], ['reader', { id: 'reader', permissions: ['shop:list'] }]]);
export default definePlugin({
  guards: {
    authenticated: { canActivate: (ctx) => {
      const who = people.get(String(ctx.headers.authorization ?? '').slice(7));
      if (who === undefined) throw new ModuError('MODU_AUTH_REQUIRED', 'Send a valid bearer token.');
      ctx.principal = who;
      return true;
    } },
    admin: { canActivate: () => false },
  },
});`;

const shopCode = `import { definePlugin } from 'modu';
export default definePlugin({
  routes: [
    { method: 'GET', path: '/items', guards: ['auth/authenticated'], permissions: ['shop:read'], handler: () => ['x'] },
    { method: 'GET', path: '/peek', handler: (ctx) => {
      let used = 'served';
      try { ctx.use('vault/Secret'); } catch (error) { used = error.code; }
      return { has: ctx.has('vault/Secret'), used };
    } },
  ],
});`;

async function folder(): Promise<string> {
  const root = await pluginsFolder();
  await writePlugin(root, 'auth', {
    'plugin.yaml': pluginManifest('auth', 'exports: { guards: [authenticated] }\n'),
    'index.js': authCode,
  });
  await writePlugin(root, 'vault', {
    'plugin.yaml': pluginManifest('vault'),
    'index.js': `import { definePlugin } from 'modu';\nexport default definePlugin({ services: { Secret: { value: 's3cret' } } });`,
  });
  await writePlugin(root, 'shop', {
    'plugin.yaml': pluginManifest('shop', 'dependencies: { auth: ^1.0.0, vault: ^1.0.0 }\n'),
    'index.js': shopCode,
  });
  return root;
}

/** Plugins written after the pollution, each of which a sound host refuses. */
async function latecomers(root: string): Promise<void> {
  await writePlugin(root, 'thief', {
    'plugin.yaml': pluginManifest('thief', 'dependencies: { auth: ^1.0.0 }\n'),
    'index.js': `import { definePlugin } from 'modu';\nexport default definePlugin({ routes: [{ method: 'GET', path: '/x', guards: ['auth/admin'], handler: () => 1 }] });`,
  });
  await writePlugin(root, 'squatter', {
    'plugin.yaml': pluginManifest('squatter', 'routes: { prefix: /shop/items }\n'),
    'index.js': `import { definePlugin } from 'modu';\nexport default definePlugin({ routes: [{ method: 'GET', path: '/', handler: () => 'mine' }] });`,
  });
  await writePlugin(root, 'spawner', {
    'plugin.yaml': pluginManifest('spawner', 'permissions: [node:child_process]\n'),
    'index.js': `import { execSync } from 'node:child_process';\nimport { definePlugin } from 'modu';\nexport default definePlugin({ onStart: () => void execSync('true') });`,
  });
}

const decisive = (value: unknown) => typeof value === 'string' && (value.includes(':') || value.includes('/'));

/** Pollutes Object.prototype and replaces array, string and function methods with liars; returns the undo. */
function pollute(): () => void {
  const saved: Array<[object, string, PropertyDescriptor | undefined]> = [];
  const replace = (target: object, key: string, value: unknown) => {
    saved.push([target, key, Object.getOwnPropertyDescriptor(target, key)]);
    Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: false });
  };
  const A = Array.prototype;
  const S = String.prototype;
  const F = Function.prototype;
  const [includes, some, every, indexOf] = [A.includes, A.some, A.every, A.indexOf];
  const [startsWith, endsWith, split] = [S.startsWith, S.endsWith, S.split];
  const [call, apply] = [F.call, F.apply];
  for (const key of ['permissions', 'exported', 'admin', 'routes', 'class', 'dependencies']) {
    const value = key === 'permissions' ? ['*'] : key === 'routes' ? { prefix: '/' } : true;
    saved.push([Object.prototype, key, undefined]);
    Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true, enumerable: true });
  }
  replace(A, 'includes', function (this: unknown[], x: unknown) {
    return decisive(x) || Reflect.apply(includes, this, [x]);
  });
  replace(A, 'some', function (this: unknown[], ...args: unknown[]) {
    return Reflect.apply(includes, this, ['*']) || this.length > 0 || Reflect.apply(some, this, args);
  });
  replace(A, 'every', () => true);
  replace(A, 'indexOf', function (this: unknown[], x: unknown) {
    return decisive(x) ? -1 : Reflect.apply(indexOf, this, [x]);
  });
  replace(S, 'startsWith', function (this: string, x: string) {
    return decisive(x) || Reflect.apply(startsWith, this, [x]);
  });
  replace(S, 'endsWith', function (this: string, x: string) {
    return decisive(x) || Reflect.apply(endsWith, this, [x]);
  });
  replace(S, 'split', function (this: string, ...args: unknown[]) {
    return (Reflect.apply(split, this, args) as string[]).reverse();
  });
  const liar = (original: typeof call) =>
    function (this: (...a: unknown[]) => unknown, ...args: unknown[]) {
      if (this.name === 'canActivate' || this.name === 'has') return true;
      return Reflect.apply(original, this, args);
    };
  replace(F, 'call', liar(call));
  replace(F, 'apply', liar(apply as typeof call));
  void every;
  return () => {
    for (const [target, key, descriptor] of saved.reverse()) {
      if (descriptor === undefined) Reflect.deleteProperty(target, key);
      else Object.defineProperty(target, key, descriptor);
    }
  };
}

interface Observed {
  anonymous: number;
  guest: number;
  guestCode: string;
  reader: number;
  peek: unknown;
  loads: Record<string, string>;
  spawnerWhy: string;
}

/** A second host (made before the pollution, as a host is) over plugins each of which it must refuse. */
async function secondHost(): Promise<Kernel> {
  const later = await pluginsFolder();
  await writePlugin(later, 'auth', {
    'plugin.yaml': pluginManifest('auth', 'exports: { guards: [authenticated] }\n'),
    'index.js': authCode,
  });
  await writePlugin(later, 'shop', {
    'plugin.yaml': pluginManifest('shop', 'routes: { prefix: /shop }\n'),
    'index.js': `import { definePlugin } from 'modu';\nexport default definePlugin({});`,
  });
  await latecomers(later);
  return createKernel({ pluginDirs: [later], logger: silentLogger, concurrency: 1 });
}

async function observe(served: Served, second: Kernel): Promise<Observed> {
  const get = async (path: string, token?: string) => {
    const response = await fetch(
      `${served.url}${path}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const anonymous = await get('/shop/items');
  const guest = await get('/shop/items', 'guest');
  const reader = await get('/shop/items', 'reader');
  const peek = (await get('/shop/peek')).body;
  // Plugins booted while the prototypes lie: each must still be refused for what it is.
  const report = await second.start();
  await second.stop();
  const loads: Record<string, string> = {};
  let spawnerWhy = '';
  for (const plugin of report.plugins) {
    if (plugin.name !== 'auth' && plugin.name !== 'shop') {
      loads[plugin.name] = `${plugin.state} ${plugin.failure?.error.code}`;
      if (plugin.name === 'spawner') spawnerWhy = plugin.failure?.error.message ?? '';
    }
  }
  return {
    anonymous: anonymous.status,
    guest: guest.status,
    guestCode: String(guest.body.code),
    reader: reader.status,
    peek,
    loads,
    spawnerWhy,
  };
}

for (const [adapter, serve] of adapters) {
  describe(`host decisions under polluted prototypes (${adapter})`, () => {
    it('stay unchanged: guards, permissions, visibility, prefix conflicts and capabilities', async () => {
      const root = await folder();
      const kernel = createKernel({ pluginDirs: [root], logger: silentLogger });
      await kernel.start();
      const served = await serve(kernel.http);
      const second = await secondHost();
      const undo = pollute();
      let seen: Observed;
      try {
        seen = await observe(served, second);
      } finally {
        undo();
      }
      await served.close();
      await kernel.stop();
      expect(seen.anonymous).to.equal(401);
      expect([seen.guest, seen.guestCode]).to.deep.equal([403, 'MODU_PERMISSION_MISSING']);
      expect(seen.reader).to.equal(403);
      expect(seen.peek).to.deep.equal({ has: false, used: 'MODU_CONTAINER_NOT_VISIBLE' });
      // Refused while the prototypes lie, each for what it is (not by a manifest check confused by the pollution).
      expect(seen.loads).to.deep.equal({
        spawner: 'failed MODU_PERMISSION_DENIED',
        squatter: 'failed MODU_HTTP_ROUTE_CONFLICT',
        thief: 'failed MODU_GUARD_NOT_ACCESSIBLE',
      });
      expect(seen.spawnerWhy).to.include('asks for node:child_process');
    });
  });
}
