import { expect } from 'chai';
import { type PlannedPlugin, preparePlugins } from '../../../kernel/boot/prepare-plugins.js';
import { pluginManifest as manifest, pluginsFolder, removeScratch, writePlugin } from '../../helpers/fixtures.js';

describe('preparePlugins()', () => {
  after(removeScratch);

  it('plans what can load in waves and says why each other plugin cannot, changing nothing', async () => {
    const root = await pluginsFolder();
    await writePlugin(root, 'a-base', { 'plugin.yaml': manifest('base'), 'index.js': '' });
    await writePlugin(root, 'b-users', {
      'plugin.yaml': manifest('users', 'dependencies:\n  base: ^1.0.0\n'),
      'index.js': '',
    });
    await writePlugin(root, 'c-audit', {
      'plugin.yaml': manifest('audit', 'optionalDependencies:\n  base: ^1.0.0\n'),
      'index.js': '',
    });
    await writePlugin(root, 'd-future', {
      'plugin.yaml': 'name: future\nversion: 1.0.0\nmain: index.js\nkernel: ^9.0.0\n',
      'index.js': '',
    });
    await writePlugin(root, 'e-mailer', {
      'plugin.yaml': manifest('mailer', 'config:\n  type: object\n  required: [smtp]\n'),
      'index.js': '',
    });
    await writePlugin(root, 'f-news', {
      'plugin.yaml': manifest('news', 'dependencies:\n  mailer: ^1.0.0\n'),
      'index.js': '',
    });
    const ready: PlannedPlugin[] = [];
    const plan = await preparePlugins({
      pluginDirs: [root],
      config: { pluginDirs: [root] },
      env: {},
      source: 'test',
      kernelVersion: '1.0.0',
      onReady: (planned) => ready.push(planned),
    });
    // Handed over while discovery read on: only base needs no other plugin, a kernel it has, and a valid config.
    expect(ready.map((planned) => planned.pkg.manifest.name)).to.deep.equal(['base']);
    expect(plan.plugins.get('base')).to.equal(ready[0]);
    expect([...plan.plugins.keys()].sort()).to.deep.equal(['audit', 'base', 'users']);
    const problems = Object.fromEntries(plan.problems.map((p) => [p.name, [p.phase, p.to, p.error.code]]));
    expect(problems).to.deep.equal({
      future: ['resolve', 'failed', 'MODU_MANIFEST_KERNEL_MISMATCH'],
      mailer: ['validate', 'failed', 'MODU_CONFIG_INVALID'],
      news: ['resolve', 'skipped', 'MODU_GRAPH_DEPENDENCY_FAILED'],
    });
    expect(plan.graph.waves[0]).to.include('base');
  });
});
