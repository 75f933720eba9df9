import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { moduleGate } from '../kernel/index.js';
import { pluginApi } from '../kernel/loader/module-gate/plugin-api.js';

const root = new URL('../../', import.meta.url);
const entries = ['.', './express', './koa', './registry', './testing'] as const;

/** The package's exports map: entry → the compiled module it serves. */
async function exportsMap(): Promise<Record<string, { default: string }>> {
  const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as { exports: Record<string, unknown> };
  return pkg.exports as Record<string, { default: string }>;
}

/** The runtime names each public entry exports, sorted: the file a change to the surface must update on purpose. */
async function surface(): Promise<string> {
  const map = await exportsMap();
  const sections: string[] = [];
  for (const entry of entries) {
    const target = map[entry]?.default as string;
    const names = Object.keys(await import(new URL(target, root).href)).sort();
    sections.push(`[${entry}]`, ...names, '');
  }
  return sections.join('\n');
}

describe('public API', () => {
  it('serves exactly the entry points listed here, and no internal one', async () => {
    expect(Object.keys(await exportsMap()).sort()).to.deep.equal([...entries, './package.json'].sort());
  });

  it('exports from each entry exactly the names pinned in test/public-api.txt', async () => {
    const pinned = await readFile(fileURLToPath(new URL('test/public-api.txt', root)), 'utf8');
    expect(await surface()).to.equal(pinned);
  });

  it('gives plugin code, as `modu`, the same names as kernel/plugin-api.ts, and the host entry all of them', async () => {
    moduleGate(); // provides the plugin API to the `modu` that plugin code imports
    const plugin = Object.keys(await import(new URL('dist/kernel/plugin-api.js', root).href)).sort();
    const modu = Object.keys(await import(new URL('dist/kernel/loader/module-gate/plugin-modu.js', root).href)).sort();
    const host = Object.keys(await import(new URL('dist/kernel/index.js', root).href));
    expect(Object.keys(pluginApi).sort()).to.deep.equal(plugin);
    expect(modu).to.deep.equal(plugin);
    expect(plugin.filter((name) => !host.includes(name))).to.deep.equal([]);
    expect(plugin).to.not.include.members(['createKernel', 'moduleGate', 'scanPlugin', 'loadHostConfig']);
  });

  it('keeps the kernel internals (module gate, scanner, discovery) out of `modu`, in the internal entry', async () => {
    const map = await exportsMap();
    const host = Object.keys(await import(new URL(map['.']?.default as string, root).href));
    const internal = Object.keys(await import(new URL('dist/kernel/index.js', root).href));
    const internals = ['moduleGate', 'scanPlugin', 'discoverPlugins', 'defineErrors', 'validate', 'createPluginHttp'];
    expect(host).to.include('createKernel').and.not.include.members(internals);
    expect(internal).to.include.members([...internals, ...host]);
  });
});
