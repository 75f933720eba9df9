import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { definePlugin, gateDenial, ModuError, moduleGate, scanPlugin } from '../../../../kernel/index.js';
import { pluginApi } from '../../../../kernel/loader/module-gate/plugin-api.js';

type Hooks = { onLoad(): unknown };

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<ModuError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    const denial = gateDenial(error);
    if (denial) return denial;
    if (ModuError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('moduleGate()', () => {
  const gate = moduleGate();
  let base = '';
  let count = 0;
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'modu-gate-'));
  });
  after(() => rm(base, { recursive: true, force: true }));

  /** A plugin folder outside the repository, so that `modu` resolves only through the gate. */
  async function plugin(files: Record<string, string>, granted: string[] = [], type = 'module') {
    const name = `p${++count}`;
    const root = join(base, name);
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'package.json'), JSON.stringify({ type }));
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, file)), { recursive: true });
      await writeFile(join(root, file), text);
    }
    await gate.admit({ name, root, granted });
    await gate.approve(root, await scanPlugin(root));
    return { name, root, entry: join(root, 'index.js') };
  }

  describe('when a plugin imports modu', () => {
    it("gets the host's plugin API, from ESM and CommonJS", async () => {
      const esm = await plugin({ 'index.js': "import * as modu from 'modu';\nexport default modu;\n" });
      const api = (await gate.importEntry(esm.entry, 1)).default as Record<string, unknown>;
      expect(Object.keys(api).sort()).to.deep.equal(Object.keys(pluginApi).sort());
      expect(api.definePlugin).to.equal(definePlugin);
      const cjs = await plugin({ 'index.js': "module.exports = require('modu').definePlugin;\n" }, [], 'commonjs');
      expect((await gate.importEntry(cjs.entry, 1)).default).to.equal(definePlugin);
    });

    it("never the host's own functions, which could admit it with any grant", async () => {
      const esm = await plugin({ 'index.js': "export { moduleGate } from 'modu';\n" });
      const error = await gate.importEntry(esm.entry, 1).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).to.be.instanceOf(SyntaxError);
      expect((error as Error).message).to.contain("does not provide an export named 'moduleGate'");
      const cjs = await plugin({ 'index.js': "module.exports = require('modu').createKernel;\n" }, [], 'commonjs');
      expect((await gate.importEntry(cjs.entry, 1)).default).to.equal(undefined);
    });
  });

  describe('when an ES module plugin and a CommonJS one load at once, in a fresh process', () => {
    it('gives the CommonJS one modu while the import of the other is still loading its module graph', async () => {
      // 200 chained modules keep the ES module plugin's graph, modu included, loading for a while.
      const chain = Object.fromEntries(
        Array.from({ length: 200 }, (_, i) => [`m${i}.js`, i < 199 ? `import './m${i + 1}.js';\n` : '']),
      );
      const esm = await plugin({
        ...chain,
        'index.js': "import { definePlugin } from 'modu';\nimport './m0.js';\nexport default definePlugin({});\n",
      });
      const cjs = await plugin({ 'index.js': "module.exports = require('modu').definePlugin({});\n" }, [], 'commonjs');
      const gateModule = new URL('../../../../kernel/loader/module-gate/module-gate.js', import.meta.url).href;
      const kernelModule = new URL('../../../../kernel/index.js', import.meta.url).href;
      const script = `
        const { moduleGate } = await import(${JSON.stringify(gateModule)});
        const { scanPlugin } = await import(${JSON.stringify(kernelModule)});
        const gate = moduleGate();
        await gate.admit({ name: 'esm', root: ${JSON.stringify(esm.root)}, granted: [] });
        await gate.admit({ name: 'cjs', root: ${JSON.stringify(cjs.root)}, granted: [] });
        await gate.approve(${JSON.stringify(esm.root)}, await scanPlugin(${JSON.stringify(esm.root)}));
        await gate.approve(${JSON.stringify(cjs.root)}, await scanPlugin(${JSON.stringify(cjs.root)}));
        const outcome = (promise) => promise.then(() => 'loaded', (error) => error.message);
        const esm = outcome(gate.importEntry(${JSON.stringify(esm.entry)}, 1));
        await new Promise((resolve) => setTimeout(resolve, 20));
        const cjs = await outcome(gate.importEntry(${JSON.stringify(cjs.entry)}, 1));
        console.log(JSON.stringify({ esm: await esm, cjs }));`;
      const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
      expect(JSON.parse(run.stdout)).to.deep.equal({ esm: 'loaded', cjs: 'loaded' });
    });
  });

  describe('when a plugin loads a file its scan did not read and pass', () => {
    it('refuses text, extensionless files and a folder main pointing at data, naming the file', async () => {
      const cases: Array<[files: Record<string, string>, type: string, file: string]> = [
        [
          { 'index.js': "module.exports = require('./notes.txt');\n", 'notes.txt': 'module.exports = 1;\n' },
          'commonjs',
          'notes.txt',
        ],
        [
          { 'index.js': "export default await import('./LICENSE');\n", LICENSE: 'export default 1;\n' },
          'module',
          'LICENSE',
        ],
        [
          {
            'index.js': "module.exports = require('./lib');\n",
            'lib/package.json': '{ "main": "data.dat" }',
            'lib/data.dat': 'module.exports = 1;\n',
          },
          'commonjs',
          'lib/data.dat',
        ],
      ];
      for (const [files, type, file] of cases) {
        const p = await plugin(files, [], type);
        const denied = await rejection(gate.importEntry(p.entry, 1));
        expect(denied.code, file).to.equal('MODU_PERMISSION_DENIED');
        expect(denied.message, file).to.contain(join(p.root, file)).and.contain('the scan did not read it');
      }
    });

    it('refuses a file changed on disk after its scan, ESM, CommonJS and JSON alike', async () => {
      for (const [type, entry, changed] of [
        ['module', "export { n } from './lib.js';\n", 'lib.js'],
        ['commonjs', "module.exports = require('./lib.js');\n", 'lib.js'],
        ['commonjs', "module.exports = require('./data.json');\n", 'data.json'],
      ] as const) {
        const p = await plugin({ 'index.js': entry, 'lib.js': 'exports.n = 1;\n', 'data.json': '{"n": 1}' }, [], type);
        await writeFile(join(p.root, changed), changed.endsWith('.json') ? '{"n": 2}' : 'exports.n = 2;\n');
        const denied = await rejection(gate.importEntry(p.entry, 1));
        expect(denied.message, `${type} ${changed}`)
          .to.contain(join(p.root, changed))
          .and.contain('changed since its scan');
      }
    });

    it('refuses what .moduignore leaves out of the scan, and loads approved JSON', async () => {
      const p = await plugin(
        {
          '.moduignore': 'secret.json\n',
          'index.js': "exports.data = require('./data.json');\nexports.secret = () => require('./secret.json');\n",
          'data.json': '{"n": 1}',
          'secret.json': '{"n": 2}',
        },
        [],
        'commonjs',
      );
      const loaded = (await gate.importEntry(p.entry, 1)).default as { data: unknown; secret: () => unknown };
      expect(loaded.data).to.deep.equal({ n: 1 });
      expect(() => loaded.secret()).to.throw(ModuError, /secret\.json: the scan did not read it/);
    });

    it('refuses require() of an ES module, whose imports would load past the load hook', async () => {
      const p = await plugin(
        {
          'index.js': "module.exports = require('./esm.mjs');\n",
          'esm.mjs': "export { default } from './hidden.mjs';\n",
          'hidden.mjs': 'export default 1;\n',
        },
        [],
        'commonjs',
      );
      const denied = await rejection(gate.importEntry(p.entry, 1));
      expect(denied.message).to.contain(join(p.root, 'esm.mjs')).and.contain('Use import() instead');
    });

    it('refuses everything of a folder admitted but not approved by a scan yet', async () => {
      const root = join(base, `unscanned-${++count}`);
      await mkdir(root);
      await writeFile(join(root, 'index.js'), 'export default 1;\n');
      await gate.admit({ name: 'unscanned', root, granted: [] });
      const denied = await rejection(gate.importEntry(join(root, 'index.js'), 1));
      expect(denied.message).to.contain('its code has not passed a scan yet');
    });
  });

  describe('when a plugin imports a package', () => {
    it('loads one bundled in its own node_modules, from ESM and CommonJS', async () => {
      const bundled = {
        'node_modules/helper/package.json': '{ "name": "helper", "main": "index.js" }',
        'node_modules/helper/index.js': 'module.exports = { answer: 42 };\n',
      };
      const esm = await plugin({ ...bundled, 'index.js': "export { default } from 'helper';\n" });
      expect((await gate.importEntry(esm.entry, 1)).default).to.deep.equal({ answer: 42 });
      const cjs = await plugin({ ...bundled, 'index.js': "module.exports = require('helper');\n" }, [], 'commonjs');
      expect((await gate.importEntry(cjs.entry, 1)).default).to.deep.equal({ answer: 42 });
    });

    it("denies one that resolves outside its folder: the host's packages and modu's subpaths", async () => {
      const hostPackage = fileURLToPath(new URL('../../../../..', import.meta.url));
      const linked = [
        ['inversify', join(hostPackage, 'node_modules', 'inversify')],
        ['modu/registry', hostPackage],
      ];
      for (const [specifier, target] of linked) {
        for (const type of ['module', 'commonjs']) {
          const load = type === 'module' ? `import '${specifier}';\n` : `require('${specifier}');\n`;
          const p = await plugin({ 'index.js': load }, [], type);
          const name = (specifier as string).split('/')[0] as string;
          await mkdir(join(p.root, 'node_modules'));
          await symlink(target as string, join(p.root, 'node_modules', name), 'dir');
          const denied = await rejection(gate.importEntry(p.entry, 1));
          expect(denied.code, `${specifier} from ${type}`).to.equal('MODU_PERMISSION_DENIED');
          expect(denied.message).to.contain(`the package '${specifier}'`).and.contain("plugin's own node_modules");
        }
      }
    });
  });

  describe('when a plugin imports a dangerous built-in', () => {
    it('denies it unless granted, ESM and CommonJS alike', async () => {
      const esm = await plugin({ 'index.js': "import 'node:fs';\n" });
      const denied = await rejection(gate.importEntry(esm.entry, 1));
      expect(denied.code).to.equal('MODU_PERMISSION_DENIED');
      expect(denied.message).to.contain(`Plugin "${esm.name}"`).and.contain('node:fs');
      const cjs = await plugin({ 'index.js': "require('fs');\n" }, [], 'commonjs');
      expect((await rejection(gate.importEntry(cjs.entry, 1))).code).to.equal('MODU_PERMISSION_DENIED');
      const granted = await plugin({ 'index.js': "export { readFile } from 'node:fs/promises';\n" }, [
        'node:fs/promises',
      ]);
      expect((await gate.importEntry(granted.entry, 1)).readFile).to.be.a('function');
    });

    it('allows harmless built-ins without a grant', async () => {
      const p = await plugin({
        'index.js': "export { join } from 'path';\nexport { randomUUID } from 'node:crypto';\n",
      });
      expect((await gate.importEntry(p.entry, 1)).join).to.be.a('function');
    });
  });

  describe('when the name is computed at run time', () => {
    it('denies import() and require() and createRequire() after the module loaded', async () => {
      const parts = "const parts = ['child', 'process'];\n";
      const esm = await plugin({ 'index.js': `${parts}export default { onLoad: () => import(parts.join('_')) };\n` });
      const hooks = (await gate.importEntry(esm.entry, 1)).default as Hooks;
      expect((await rejection(async () => hooks.onLoad())).code).to.equal('MODU_PERMISSION_DENIED');

      const cjs = await plugin(
        { 'index.js': `${parts}exports.onLoad = () => require(parts.join('_'));\n` },
        [],
        'commonjs',
      );
      const cjsHooks = (await gate.importEntry(cjs.entry, 1)).default as Hooks;
      expect(() => cjsHooks.onLoad()).to.throw(ModuError, /node:child_process/);

      const viaCreateRequire = await plugin(
        {
          'index.js': `import { createRequire } from 'node:module';\n${parts}export default { onLoad: () => createRequire(import.meta.url)(parts.join('_')) };\n`,
        },
        ['node:module'],
      );
      const created = (await gate.importEntry(viaCreateRequire.entry, 1)).default as Hooks;
      expect(() => created.onLoad()).to.throw(ModuError, /node:child_process/);
    });
  });

  describe('when a plugin imports data: URLs or files outside its folder', () => {
    it('denies data: without dynamic-code, and applies the policy inside a granted data: module', async () => {
      const source = 'export default { onLoad: () => import(\'data:text/javascript,import "node:fs"\') };\n';
      const without = await plugin({ 'index.js': source });
      const a = (await gate.importEntry(without.entry, 1)).default as Hooks;
      expect((await rejection(async () => a.onLoad())).message).to.contain('dynamic-code');
      const withDynamic = await plugin({ 'index.js': source }, ['dynamic-code']);
      const b = (await gate.importEntry(withDynamic.entry, 1)).default as Hooks;
      expect((await rejection(async () => b.onLoad())).message).to.contain('node:fs');
    });

    it('denies a relative import that leaves the plugin folder', async () => {
      await writeFile(join(base, 'outside.js'), 'export default 1;\n');
      const p = await plugin({ 'index.js': "import '../outside.js';\n" });
      expect((await rejection(gate.importEntry(p.entry, 1))).message).to.contain('outside the plugin folder');
    });
  });

  describe('when a plugin is imported as a new generation', () => {
    it('re-evaluates the entry and its children, but not modules outside the folder', async () => {
      const key = `__moduGateCount${count}`;
      const p = await plugin({
        'index.js': "import { n } from './lib/child.js';\nexport default n;\n",
        'lib/child.js': `export const n = (globalThis.${key} = (globalThis.${key} ?? 0) + 1);\n`,
      });
      expect((await gate.importEntry(p.entry, 1)).default).to.equal(1);
      expect((await gate.importEntry(p.entry, 1)).default).to.equal(1);
      expect((await gate.importEntry(p.entry, 2)).default).to.equal(2);
    });
  });

  describe('when the plugin folder is reached through a symbolic link', () => {
    it('gates it under its real path, ESM and CommonJS alike', async () => {
      for (const type of ['module', 'commonjs']) {
        // Admitted only through the link, as a host whose plugins folder is a link would.
        const real = join(base, `real-${type}`);
        await mkdir(real);
        await writeFile(join(real, 'package.json'), JSON.stringify({ type }));
        const load = type === 'module' ? "import 'node:child_process';\n" : "require('child_process');\n";
        await writeFile(join(real, 'index.js'), load);
        const linked = `${real}-link`;
        await symlink(real, linked, 'dir');
        await gate.admit({ name: `linked-${type}`, root: linked, granted: [] });
        await gate.approve(linked, await scanPlugin(linked));
        const denied = await rejection(gate.importEntry(join(linked, 'index.js'), 1));
        expect(denied.code, type).to.equal('MODU_PERMISSION_DENIED');
      }
    });
  });

  describe('when the entry is a symbolic link to a file outside the plugin folder', () => {
    it('gates ESM code as the plugin, and refuses a CommonJS entry, which Node would run under the outside path', async () => {
      const outside = join(base, 'outside');
      await mkdir(outside, { recursive: true });
      for (const type of ['module', 'commonjs']) {
        const target = join(outside, `${type}.js`);
        await writeFile(target, type === 'module' ? "import 'node:child_process';\n" : "require('child_process');\n");
        await writeFile(join(outside, 'package.json'), JSON.stringify({ type }));
        const linked = await plugin({}, [], type);
        await symlink(target, linked.entry);
        const error = await rejection(gate.importEntry(linked.entry, 1));
        expect(error.code, type).to.equal(type === 'module' ? 'MODU_PERMISSION_DENIED' : 'MODU_LOADER_NOT_ADMITTED');
      }
    });
  });

  describe('when a folder is admitted again', () => {
    it('applies the latest grants, including several admissions in one tick', async () => {
      const p = await plugin({
        'index.js': "export default () => import('node:fs').then((fs) => typeof fs.readFile);\n",
      });
      const load = async (generation: number) =>
        ((await gate.importEntry(p.entry, generation)).default as () => Promise<string>)();
      expect((await rejection(load(1))).code).to.equal('MODU_PERMISSION_DENIED');
      await gate.admit({ name: p.name, root: p.root, granted: ['node:fs'] });
      expect(await load(2)).to.equal('function');
      await Promise.all([
        gate.admit({ name: p.name, root: p.root, granted: ['node:fs'] }),
        gate.admit({ name: p.name, root: p.root, granted: [] }),
      ]);
      expect((await rejection(load(3))).code).to.equal('MODU_PERMISSION_DENIED');
    });
  });

  describe('when a plugin is released', () => {
    it("evicts exactly its CommonJS modules and the parents' links to them", async () => {
      const p = await plugin(
        { 'index.js': "module.exports = require('./helper.js');\n", 'helper.js': 'module.exports = 42;\n' },
        [],
        'commonjs',
      );
      const host = join(base, 'host.cjs');
      await writeFile(host, `module.exports = require(${JSON.stringify(p.entry)});\n`);
      const require = createRequire(import.meta.url);
      expect(require(host)).to.equal(42);
      const inRoot = () => Object.keys(require.cache).filter((file) => file.startsWith(`${p.root}/`));
      expect(inRoot()).to.have.members([p.entry, join(p.root, 'helper.js')]);
      await gate.release(p.root);
      expect(inRoot()).to.deep.equal([]);
      expect(require.cache[host]?.children.map((c) => c.filename)).to.deep.equal([]);
    });

    it('evicts several plugins released at once, each by the time its release resolves, and no other', async () => {
      const cjs = () =>
        plugin(
          { 'index.js': "module.exports = require('./lib/helper.js');\n", 'lib/helper.js': 'module.exports = 1;\n' },
          [],
          'commonjs',
        );
      const released = await Promise.all([cjs(), cjs(), cjs()]);
      const kept = await cjs();
      for (const p of [...released, kept]) await gate.importEntry(p.entry, 1);
      const require = createRequire(import.meta.url);
      const cached = (p: { root: string }) =>
        Object.keys(require.cache).filter((file) => file.startsWith(`${p.root}/`));
      for (const p of released) expect(cached(p), p.name).to.have.lengthOf(2);
      await Promise.all(
        released.map(async (p) => {
          await gate.release(p.root);
          expect(cached(p), p.name).to.deep.equal([]);
        }),
      );
      expect(cached(kept)).to.have.members([kept.entry, join(kept.root, 'lib', 'helper.js')]);
    });

    it('leaves the folder gated with no grants', async () => {
      const p = await plugin({ 'index.js': "export default { onLoad: () => import('node:fs') };\n" }, ['node:fs']);
      const hooks = (await gate.importEntry(p.entry, 1)).default as Hooks;
      await hooks.onLoad();
      await gate.release(p.root);
      expect((await rejection(async () => hooks.onLoad())).code).to.equal('MODU_PERMISSION_DENIED');
    });
  });

  describe('when the entry is in no admitted folder', () => {
    it('refuses with MODU_LOADER_NOT_ADMITTED', async () => {
      const error = await rejection(gate.importEntry(join(base, 'nowhere', 'index.js'), 1));
      expect(error.code).to.equal('MODU_LOADER_NOT_ADMITTED');
    });
  });
});
