import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Container } from 'inversify';
import { pino } from 'pino';
import { contextFacade } from '../../../kernel/facades/context-facade.js';
import { loggerFacade } from '../../../kernel/facades/logger-facade.js';
import { createKernel, type Logger, ModuError } from '../../../kernel/index.js';
import { pluginApi } from '../../../kernel/loader/module-gate/plugin-api.js';
import { serveExpress } from '../../adapters/servers.js';
import { proberFolder } from './prober-plugins.js';

/** Every object reachable from `root` through own properties (getters read), prototypes and constructors. */
function reachable(root: unknown): Set<unknown> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [root];
  while (queue.length > 0 && seen.size < 20_000) {
    const value = queue.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    queue.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      try {
        queue.push((value as Record<PropertyKey, unknown>)[key]);
      } catch {
        // a getter that refuses a foreign receiver leads nowhere
      }
    }
  }
  return seen;
}

function hostLogger(lines: string[]) {
  return pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
}

describe('loggerFacade()', () => {
  it('exposes only the log methods and child(), frozen, with no path to pino or its stream', () => {
    const host = hostLogger([]);
    const facade = loggerFacade(host.child({ plugin: 'a' }) as never);
    expect(Object.keys(facade).sort()).to.deep.equal(['child', 'debug', 'error', 'fatal', 'info', 'trace', 'warn']);
    expect(Object.isFrozen(facade)).to.equal(true);
    expect(Object.getPrototypeOf(facade)).to.equal(null);
    const found = reachable(facade);
    expect(found.has(host)).to.equal(false);
    expect(found.has(Object.getPrototypeOf(host))).to.equal(false);
    for (const value of found)
      expect((value as { constructor?: { name?: string } }).constructor?.name).to.not.equal('SonicBoom');
  });
  it("keeps one plugin's rewrite of its logger away from another plugin's", () => {
    const lines: string[] = [];
    const host = hostLogger(lines);
    const a = loggerFacade(host.child({ plugin: 'a' }) as never);
    const b = loggerFacade(host.child({ plugin: 'b' }) as never);
    const spied: unknown[] = [];
    expect(() => {
      (a as unknown as Record<string, unknown>).info = (obj: unknown) => spied.push(obj);
    }).to.throw(TypeError);
    b.info({ secret: 1 }, 'from b');
    expect(spied).to.deep.equal([]);
    expect(lines.some((line) => line.includes('"plugin":"b"') && line.includes('from b'))).to.equal(true);
  });
});

describe('contextFacade()', () => {
  it('is frozen, has no prototype, and reaches neither the container nor the host logger', () => {
    const container = new Container();
    const host = hostLogger([]);
    const ctx = contextFacade<Record<string, unknown>>({
      plugin: 'a',
      config: Object.freeze({ n: 1 }),
      logger: loggerFacade(host as never),
      use: (token: string) => container.get(token),
    });
    expect(Object.isFrozen(ctx)).to.equal(true);
    expect(Object.getPrototypeOf(ctx)).to.equal(null);
    const found = reachable(ctx);
    expect(found.has(container)).to.equal(false);
    expect(found.has(host)).to.equal(false);
  });
});

describe('the modu module plugins import', () => {
  it('reaches no host function such as createKernel or the module gate', () => {
    const names = new Set([...reachable(pluginApi)].map((v) => (typeof v === 'function' ? v.name : '')));
    for (const host of ['createKernel', 'moduleGate', 'scanPlugin', 'loadHostConfig'])
      expect(names.has(host)).to.equal(false);
  });
});

/** Names of host-only classes and functions: none may be reachable from what a plugin holds. */
const HOST_ONLY = new Set([
  'SonicBoom',
  'Pino',
  'Container',
  'createKernel',
  'Kernel',
  'moduleGate',
  'createPluginHttp',
  'PluginHttp',
  'PluginOrchestrator',
  'PluginLifecycle',
  'PluginRecord',
  'MountedPlugin',
  'RequestState',
  'scanPlugin',
  'loadHostConfig',
]);

function hostOnlyNames(found: Set<unknown>): string[] {
  const names: string[] = [];
  for (const value of found) {
    const name =
      typeof value === 'function' ? value.name : (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && HOST_ONLY.has(name)) names.push(name);
    if (value instanceof Container) names.push('a Container');
  }
  return names;
}

describe('what plugins get from a real kernel', () => {
  it('reaches no host object, and one plugin rewriting what the host shares changes nothing for another', async () => {
    const probes: Record<string, Record<string, unknown>> = {};
    const destination = pino.destination({
      dest: join(await mkdtemp(join(tmpdir(), 'modu-facade-')), 'log'),
      sync: true,
    });
    const host = pino(
      {
        level: 'info',
        hooks: {
          logMethod(args, method) {
            const first = args[0] as { probe?: unknown } | undefined;
            if (typeof first?.probe === 'string') probes[first.probe] = first as Record<string, unknown>;
            else method.apply(this, args);
          },
        },
      },
      destination,
    );
    const kernel = createKernel({
      pluginDirs: [await proberFolder()],
      logger: host as unknown as Logger,
      concurrency: 1,
    });
    const report = await kernel.start();
    expect(report.plugins.map((p) => `${p.name} ${p.state}`).sort()).to.deep.equal([
      'bystander started',
      'prober started',
    ]);
    const served = await serveExpress(kernel.http);
    try {
      const probe = await fetch(`${served.url}/prober/probe/7?page=1`, { headers: { authorization: 'Bearer real' } });
      const seen = (await probe.json()) as Record<string, unknown>;
      expect(seen.attempts).to.deep.equal({
        'ModuError.is': 'refused',
        'ModuError.prototype.toJSON': 'refused',
        reply: 'refused',
        inject: 'refused',
        definePlugin: 'refused',
        headers: 'refused',
        query: 'refused',
        params: 'refused',
        'ctx.use': 'refused',
        'principal.permissions': 'refused',
        'principal in a handler': 'MODU_GUARD_PRINCIPAL_INVALID',
      });
      expect(seen.principal).to.deep.equal({ id: 'p', permissions: ['shop:read'] });
      expect(seen.authorization).to.equal('Bearer real');
      // The other plugin, and the host, still get the real ModuError.
      const plain = await fetch(`${served.url}/bystander/plain`);
      expect([plain.status, ((await plain.json()) as { code: string }).code]).to.deep.equal([
        500,
        'MODU_HTTP_HANDLER_FAILED',
      ]);
      const coded = await fetch(`${served.url}/bystander/coded`);
      expect([coded.status, ((await coded.json()) as { code: string }).code]).to.deep.equal([
        401,
        'MODU_AUTH_REQUIRED',
      ]);
      const json = (await (await fetch(`${served.url}/bystander/json`)).json()) as Record<string, unknown>;
      expect(json).to.include({ code: 'MODU_AUTH_REQUIRED', message: 'as a value' });
      expect(ModuError.is(new Error('x'))).to.equal(false);
      expect(new ModuError('MODU_AUTH_REQUIRED', 'm').toJSON()).to.not.have.property('stolen');
      // Walks from each object the plugin was handed, in a hook and in a request.
      expect(Object.keys(probes).sort()).to.deep.equal(['hook', 'request']);
      for (const [where, objects] of Object.entries(probes)) {
        for (const [name, value] of Object.entries(objects)) {
          if (name === 'probe') continue;
          const found = reachable(value);
          const label = `${where} ${name}`;
          expect(hostOnlyNames(found), label).to.deep.equal([]);
          for (const hostObject of [host, Object.getPrototypeOf(host), destination, kernel, kernel.http])
            expect(found.has(hostObject), label).to.equal(false);
        }
      }
      const request = probes.request as Record<string, object>;
      for (const name of ['ctx', 'headers', 'query', 'params', 'principal'])
        expect(Object.isFrozen(request[name]), name).to.equal(true);
      expect(request.signal).to.be.instanceOf(AbortSignal);
      // Node's own internal symbols only: nothing host-specific hangs off the signal.
      expect(Object.getOwnPropertyNames(request.signal as object)).to.deep.equal([]);
    } finally {
      await served.close();
      await kernel.stop();
    }
  });
});
