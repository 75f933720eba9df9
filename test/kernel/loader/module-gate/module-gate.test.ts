import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { definePlugin, gateDenial, ModuError, moduleGate } from '../../../../kernel/index.js';

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
    return { name, root, entry: join(root, 'index.js') };
  }

  describe('when an ESM plugin imports modu', () => {
    it("gets the host's single copy", async () => {
      const p = await plugin({ 'index.js': "export { definePlugin } from 'modu';\n" });
      const ns = await gate.importEntry(p.entry, 1);
      expect(ns.definePlugin).to.equal(definePlugin);
    });
  });

  describe('when a plugin names a subpath of modu', () => {
    it("resolves it in the host's package, from ESM and CommonJS", async () => {
      const hostPackage = fileURLToPath(new URL('../../../../../package.json', import.meta.url));
      const esm = await plugin({ 'index.js': "export default import.meta.resolve('modu/package.json');\n" });
      expect(fileURLToPath(String((await gate.importEntry(esm.entry, 1)).default))).to.equal(hostPackage);
      const cjs = await plugin(
        { 'index.js': "module.exports = require.resolve('modu/package.json');\n" },
        [],
        'commonjs',
      );
      expect((await gate.importEntry(cjs.entry, 1)).default).to.equal(hostPackage);
    });
  });

  describe('when a CommonJS plugin requires modu', () => {
    it("gets the host's single copy", async () => {
      const p = await plugin({ 'index.js': "module.exports = require('modu').definePlugin;\n" }, [], 'commonjs');
      const ns = await gate.importEntry(p.entry, 1);
      expect(ns.default).to.equal(definePlugin);
    });
  });

  describe('when a plugin imports a dangerous built-in', () => {
    it('denies it unless granted, ESM and CommonJS alike', async () => {
      const esm = await plugin({ 'index.js': "import 'node:fs';\n" });
      const denied = await rejection(gate.importEntry(esm.entry, 1));
      expect(denied.code).to.equal('MODU_PERMISSION_DENIED');
      expect(denied.message).to.contain(`plugin "${esm.name}"`).and.contain('node:fs');
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
