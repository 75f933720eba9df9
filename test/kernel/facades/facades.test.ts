import { expect } from 'chai';
import { Container } from 'inversify';
import { pino } from 'pino';
import { contextFacade } from '../../../kernel/facades/context-facade.js';
import { loggerFacade } from '../../../kernel/facades/logger-facade.js';
import { pluginApi } from '../../../kernel/loader/module-gate/plugin-api.js';

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
