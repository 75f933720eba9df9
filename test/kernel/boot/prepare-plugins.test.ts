import { expect } from 'chai';
import { type PreparedPlugin, preparePlugins } from '../../../kernel/boot/prepare-plugins.js';
import type { PluginRecord } from '../../../kernel/runtime/plugin-record.js';
import { PluginTable } from '../../../kernel/runtime/plugin-table.js';
import { pluginManifest as manifest, pluginsFolder, removeScratch, writePlugin } from '../../helpers/fixtures.js';

describe('preparePlugins()', () => {
  after(removeScratch);

  describe('with onReady', () => {
    it('hands over, while discovery reads on, each plugin that needs no other and is valid, and keeps its record', async () => {
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
      const table = new PluginTable();
      const handed: Array<{ record: PluginRecord; prepared: PreparedPlugin; known: string[] }> = [];
      const plan = await preparePlugins(table, {
        pluginDirs: [root],
        config: { pluginDirs: [root] },
        env: {},
        source: 'test',
        kernelVersion: '1.0.0',
        onReady: (record, prepared) => handed.push({ record, prepared, known: table.records().map((r) => r.name) }),
      });

      // Only base: users and audit need it, future wants another kernel, mailer's config is invalid.
      expect(handed.map((h) => h.record.name)).to.deep.equal(['base']);
      // Handed over before the plugins found after it were in the table.
      expect(handed[0]?.known).to.deep.equal(['base']);
      expect(table.get('base')).to.equal(handed[0]?.record);
      expect(plan.prepared.get('base')).to.equal(handed[0]?.prepared);
      // The plan still waits for base before audit (optional) and users.
      expect(plan.graph.waves).to.deep.equal([
        ['base', 'mailer'],
        ['audit', 'users'],
      ]);
      expect(table.get('future')?.failure?.error.code).to.equal('MODU_MANIFEST_KERNEL_MISMATCH');
      expect(table.get('mailer')?.failure?.error.code).to.equal('MODU_CONFIG_INVALID');
    });
  });
});
