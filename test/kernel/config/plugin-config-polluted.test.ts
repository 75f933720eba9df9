// A plugin that got past the scan (here with `dynamic-code`, full trust) pollutes Object.prototype with ajv's own
// keywords: another plugin's config schema must still compile, and its config get the same verdict.
import { expect } from 'chai';
import { createKernel } from '../../../kernel/index.js';
import { pluginManifest, pluginsFolder, silentLogger, writePlugin } from '../../helpers/fixtures.js';

const KEYS = ['type', 'properties', 'items', 'code', 'opts'];

// The key is built at run time, so the scan sees a computed member (dynamic-code), not a write into a prototype.
const polluterCode = `import { definePlugin } from 'modu';
const key = ['__pro', 'to__'].join('');
const proto = ({})[key];
const keys = ${JSON.stringify(KEYS)};
export default definePlugin({
  onLoad() { for (const k of keys) proto[k] = { polluted: k }; },
  onUnload() { for (const k of keys) delete proto[k]; },
});`;

// Each plugin's schema differs, so that none is served from the cache of schemas compiled before the pollution.
const configured = (name: string, maximum: number) => ({
  'plugin.yaml': pluginManifest(
    name,
    [
      'dependencies: { polluter: ^1.0.0 }',
      'config:',
      '  type: object',
      '  additionalProperties: false',
      '  properties:',
      `    pageSize: { type: integer, minimum: 1, maximum: ${maximum}, default: 20 }`,
      '',
    ].join('\n'),
  ),
  'index.js': `import { definePlugin } from 'modu';\nexport default definePlugin({});`,
});

describe('resolvePluginConfig() after a plugin polluted Object.prototype', () => {
  it('compiles later plugins’ schemas and gives their configs the same verdicts, at load and at reload', async () => {
    const root = await pluginsFolder();
    await writePlugin(root, 'polluter', {
      'plugin.yaml': pluginManifest('polluter', 'permissions: [dynamic-code]\n'),
      'index.js': polluterCode,
    });
    await writePlugin(root, 'good', configured('good', 50));
    const kernel = createKernel({
      pluginDirs: [root],
      logger: silentLogger,
      plugins: {
        polluter: { grants: ['dynamic-code'] },
        good: { config: { pageSize: 5 } },
        bad: { config: { pageSize: 'many' } },
      },
    });
    try {
      const report = await kernel.start();
      const states = Object.fromEntries(report.plugins.map((p) => [p.name, p.state]));
      expect(states).to.deep.equal({ polluter: 'started', good: 'started' });
      expect(Reflect.get({}, 'type')).to.deep.equal({ polluted: 'type' });
      // Written after the pollution: its schema is compiled now, under it.
      await writePlugin(root, 'bad', configured('bad', 60));
      const bad = await kernel.load('bad').catch((error: unknown) => ({ failure: { error } }));
      const error = bad.failure?.error as { code?: string; message?: string } | undefined;
      expect(error?.code, error?.message).to.equal('MODU_CONFIG_INVALID');
      expect(error?.message).to.match(/pageSize must be integer/);
      await writePlugin(root, 'good', configured('good', 70));
      const reloaded = await kernel.reload('good');
      expect(reloaded.map((p) => `${p.name} ${p.state}`)).to.deep.equal(['good started']);
      expect(Reflect.get({}, 'type')).to.deep.equal({ polluted: 'type' });
    } finally {
      await kernel.stop();
    }
    expect(Reflect.get({}, 'type')).to.equal(undefined);
  });
});
