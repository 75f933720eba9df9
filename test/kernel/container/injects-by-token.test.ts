import { expect } from 'chai';
import type { PluginDefinition } from '../../../kernel/authoring/plugin-definition.js';
import { injectsByToken } from '../../../kernel/container/injects-by-token.js';
import { pluginServices } from '../../../kernel/container/plugin-services.js';
import { createKernel, type Kernel } from '../../../kernel/index.js';
import {
  pluginManifest as manifest,
  pluginsFolder,
  removeScratch,
  silentLogger,
  writePlugin,
} from '../../helpers/fixtures.js';

const injects = (definition: Record<string, unknown>) =>
  injectsByToken(definition as PluginDefinition, pluginServices('p', definition as PluginDefinition));

class Store {}

describe('injectsByToken()', () => {
  describe('when the container builds no class of the plugin', () => {
    it('answers false for factories, values and function guards', () => {
      const definition = {
        services: { A: { factory: () => 1 }, B: { value: 2 }, C: { factory: () => 3, scope: 'transient' } },
        guards: { open: { canActivate: () => true } },
      };
      expect(injects(definition)).to.equal(false);
    });
  });

  describe('when a class of the plugin may inject by token', () => {
    it('answers true for a class service, a request-scoped service, a controller or a guard class', () => {
      expect(injects({ services: { S: { class: Store } } })).to.equal(true);
      expect(injects({ services: { S: { factory: () => 1, scope: 'request' } } })).to.equal(true);
      expect(injects({ controllers: [Store] })).to.equal(true);
      expect(injects({ guards: { admin: { class: Store } } })).to.equal(true);
      expect(injects({ guards: [Store] })).to.equal(true);
    });
  });
});

describe('a dependent whose container injects nothing', () => {
  let kernel: Kernel | undefined;
  afterEach(() => kernel?.stop());
  after(removeScratch);

  it('gets the very singletons its dependency built, sees its exports only, and unloads cleanly', async () => {
    const dir = await pluginsFolder();
    await writePlugin(dir, 'store', {
      'plugin.yaml': manifest('store', 'exports:\n  services: [Public]\n'),
      'index.js': `import { definePlugin } from 'modu';
export default definePlugin({
  services: { Public: { factory: () => (globalThis.builtPublic = { kind: 'public' }) }, Private: { value: 1 } },
});`,
    });
    await writePlugin(dir, 'reader', {
      'plugin.yaml': manifest('reader', 'dependencies:\n  store: ^1.0.0\n'),
      'index.js': `import { definePlugin } from 'modu';
export default definePlugin({
  services: { Seen: { factory: ({ use }) => use('store/Public') } },
  onLoad: async ({ use, useAsync, has }) => {
    globalThis.readerSaw = {
      same: use('Seen') === globalThis.builtPublic && (await useAsync('store/Public')) === globalThis.builtPublic,
      has: has('store/Public'),
      hasPrivate: has('store/Private'),
    };
  },
});`,
    });
    kernel = createKernel({ pluginDirs: [dir], logger: silentLogger });
    const report = await kernel.start();
    expect(report.plugins.map((p) => p.state)).to.deep.equal(['started', 'started']);
    expect((globalThis as { readerSaw?: unknown }).readerSaw).to.deep.equal({
      same: true,
      has: true,
      hasPrivate: false,
    });
    await kernel.stop();
    kernel = undefined;
  });
});
