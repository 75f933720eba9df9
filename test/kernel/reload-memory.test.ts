import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { createKernel, type Kernel } from '../../kernel/index.js';
import { pluginsFolder, removeScratch, silentLogger, writePlugin } from '../helpers/fixtures.js';

declare global {
  var moduReloadRefs: Map<string, WeakRef<object>[]> | undefined;
}

// gc() without --expose-gc on mocha's command line: the flag is read when a new context is made.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const RELOADS = 12;

/** The plugin body: each object it makes is tracked by a WeakRef under a kind, never held. */
function body(kind: 'base' | 'dependent'): string {
  const track = `const track = (what, value) => {
  // A Map, not an object keyed by \`what\`: the scanner cannot prove a computed key harmless.
  const refs = (globalThis.moduReloadRefs ??= new Map());
  if (!refs.has(what)) refs.set(what, []);
  refs.get(what).push(new WeakRef(value));
  return value;
};
`;
  if (kind === 'dependent') {
    return `${track}const plugin = track('dependent definition', definePlugin({
  services: { Echo: { factory: ({ use }) => track('Echo', { say: () => use('base/Greeter').greet('x') }) } },
  routes: [{ method: 'GET', path: '/echo', guards: ['base/token'], handler: (ctx) => ctx.use('dependent/Echo').say() }],
}));
`;
  }
  return `${track}class Cache { constructor() { track('Cache', this); } }
class TokenGuard { constructor() { track('TokenGuard', this); } canActivate() { return true; } }
const plugin = track('base definition', definePlugin({
  services: {
    Cache: { class: Cache },
    Greeter: { factory: (ctx) => { track('plugin context', ctx); return track('Greeter', { greet: (who) => 'hello ' + who }); } },
  },
  guards: { token: { class: TokenGuard } },
  routes: [{ method: 'GET', path: '/hello', guards: ['token'], handler: (ctx) => ctx.use('base/Greeter').greet('y') }],
}));
`;
}

async function writePlugins(root: string, format: 'esm' | 'cjs'): Promise<void> {
  const main = format === 'esm' ? 'index.js' : 'index.cjs';
  const code = (kind: 'base' | 'dependent') =>
    format === 'esm'
      ? `import { definePlugin } from 'modu';\n${body(kind)}export default plugin;\n`
      : `'use strict';\nconst { definePlugin } = require('modu');\n${body(kind)}module.exports = plugin;\n`;
  const manifest = (name: string, extra: string[]) =>
    [`name: ${name}`, 'version: 1.0.0', `main: ${main}`, 'kernel: ^1.0.0', ...extra].join('\n');
  await writePlugin(root, 'base', {
    'plugin.yaml': manifest('base', ['exports:', '  services: [Greeter]', '  guards: [token]']),
    [main]: code('base'),
  });
  await writePlugin(root, 'dependent', {
    'plugin.yaml': manifest('dependent', ['dependencies:', '  base: ^1.0.0']),
    [main]: code('dependent'),
  });
}

/** How many objects of each kind are still alive after full collections. */
async function alive(): Promise<Record<string, number>> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const counts: Record<string, number> = {};
  for (const [kind, refs] of globalThis.moduReloadRefs ?? new Map()) {
    counts[kind] = refs.filter((ref: WeakRef<object>) => ref.deref() !== undefined).length;
  }
  return counts;
}

describe('Kernel reload() memory', () => {
  let kernel: Kernel | undefined;

  beforeEach(() => {
    globalThis.moduReloadRefs = new Map();
  });
  afterEach(async () => {
    await kernel?.stop();
    kernel = undefined;
    globalThis.moduReloadRefs = undefined;
  });
  after(removeScratch);

  for (const format of ['esm', 'cjs'] as const) {
    describe(`when ${format === 'esm' ? 'an ES module' : 'a CommonJS'} plugin and its dependent are reloaded ${RELOADS} times`, () => {
      it('keeps only the current generation of service instances, guards and plugin contexts', async () => {
        const root = await pluginsFolder();
        await writePlugins(root, format);
        kernel = createKernel({ pluginDirs: [root], logger: silentLogger, cacheDir: `${root}/.cache` });
        expect((await kernel.start()).ok).to.equal(true);
        for (let i = 0; i < RELOADS; i++) await kernel.reload('base');
        const counts = await alive();
        expect(globalThis.moduReloadRefs?.get('Cache')).to.have.length(RELOADS + 1);
        expect({
          Cache: counts.Cache,
          Greeter: counts.Greeter,
          TokenGuard: counts.TokenGuard,
          Echo: counts.Echo,
          'plugin context': counts['plugin context'],
        }).to.deep.equal({ Cache: 1, Greeter: 1, TokenGuard: 1, Echo: 1, 'plugin context': 1 });
      });
    });
  }

  describe('when a CommonJS plugin is reloaded', () => {
    // Pending until the module gate loads CommonJS entries with require() instead of import(url?modu-gen=N):
    // Node's ESM loader keeps every generation's facade (loadCache, ModuleWrap, translators' cjsCache), and
    // with it module.exports. ES modules stay in Node's module map by design, so this holds for CommonJS only.
    it("lets every earlier generation's module exports be collected", async () => {
      const root = await pluginsFolder();
      await writePlugins(root, 'cjs');
      kernel = createKernel({ pluginDirs: [root], logger: silentLogger, cacheDir: `${root}/.cache` });
      expect((await kernel.start()).ok).to.equal(true);
      for (let i = 0; i < RELOADS; i++) await kernel.reload('base');
      const counts = await alive();
      expect([counts['base definition'], counts['dependent definition']]).to.deep.equal([1, 1]);
    });
  });
});
