import { expect } from 'chai';
import { createTestKernel } from '../../testing/index.js';
import { pluginManifest, pluginsFolder, removeScratch, writePlugin } from '../helpers/fixtures.js';
import { rejection } from '../helpers/rejection.js';

interface Failed {
  readonly name: string;
  readonly failure: { readonly phase: string; readonly error: { readonly code: string; readonly message: string } };
}

/** The one failed plugin of a boot that was expected to fail. */
async function failureOf(root: string, env: Record<string, string> = {}): Promise<Failed['failure']> {
  const error = await rejection(createTestKernel({ plugins: root, env }));
  return ((error.details.plugins as Failed[])[0] as Failed).failure;
}

const plugin = 'export default (await import("modu")).definePlugin({});\n';

describe('error messages that point the right way', () => {
  after(removeScratch);

  describe('when plugin.yaml has `version: 1.0`', () => {
    it('says YAML read a number and to quote the value', async () => {
      const root = await pluginsFolder();
      const manifest = pluginManifest('quoted').replace('version: 1.0.0', 'version: 1.0');
      await writePlugin(root, 'quoted', { 'plugin.yaml': manifest, 'index.js': plugin });
      const { error } = await failureOf(root);
      expect(error.code).to.equal('MODU_MANIFEST_INVALID');
      expect(error.message).to.match(
        /plugin\.yaml:2:\d+ \/version must be a string, but YAML read the number 1: put the value in quotes/,
      );
    });
  });

  describe('when an environment override makes a plugin config invalid', () => {
    it('names the variable', async () => {
      const root = await pluginsFolder();
      const schema = 'config:\n  type: object\n  properties:\n    pageSize: { type: integer }\n';
      await writePlugin(root, 'pages', { 'plugin.yaml': pluginManifest('pages', schema), 'index.js': plugin });
      const { phase, error } = await failureOf(root, { MODU_PLUGIN_PAGES__pageSize: 'many' });
      expect(phase).to.equal('validate');
      expect(error.code).to.equal('MODU_CONFIG_INVALID');
      expect(error.message).to.include('with MODU_PLUGIN_PAGES__pageSize').and.include('/pageSize must be integer');
    });
  });

  describe('when routes have several problems', () => {
    it('reports all of them in one error', async () => {
      const root = await pluginsFolder();
      const code = `import { definePlugin } from 'modu';
export default definePlugin({ routes: [
  { method: 'FETCH', path: 'no-slash' },
  { method: ['GET', 'TOUCH'], path: '/ok', handler: () => 1 },
] });`;
      await writePlugin(root, 'routes', { 'plugin.yaml': pluginManifest('routes'), 'index.js': code });
      const { error } = await failureOf(root);
      expect(error.code).to.equal('MODU_HTTP_ROUTE_INVALID');
      const lines = error.message.split('\n').slice(1);
      expect(lines).to.deep.equal([
        '#0 (FETCH no-slash) has no handler function',
        "#0 (FETCH no-slash) has a path that does not start with '/'",
        "#0 (FETCH no-slash) has an unknown method 'FETCH'",
        "#1 (GET,TOUCH /ok) has an unknown method 'TOUCH'",
      ]);
    });
  });
});
