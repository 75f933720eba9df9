import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { createKernel, type Kernel, ModuError } from '../../kernel/index.js';
import { pluginsFolder, removeScratch, silentLogger, writePlugin } from '../helpers/fixtures.js';

declare global {
  var moduTestEvents: string[];
  var moduTestLabels: Record<string, string>;
}

/** A plugin whose hooks and service record what happens to it in globalThis.moduTestEvents. */
function tracedPlugin(name: string, options: { deps?: string[]; label?: string; failStop?: boolean } = {}) {
  const deps = options.deps ?? [];
  const yaml = [
    `name: ${name}`,
    'version: 1.0.0',
    'main: index.js',
    'kernel: ^1.0.0',
    'exports:',
    '  services: [Value]',
    ...(deps.length > 0 ? ['dependencies:', ...deps.map((d) => `  ${d}: ^1.0.0`)] : []),
  ].join('\n');
  const label = options.label ?? 'v1';
  const code = `import { definePlugin } from 'modu';
const log = (what) => globalThis.moduTestEvents.push('${name}:' + what);
export default definePlugin({
  services: {
    Value: {
      factory: ({ use }) => ({ label: '${label}', deps: ${JSON.stringify(deps)}.map((d) => use(d + '/Value').label) }),
      dispose: () => log('dispose'),
    },
  },
  onLoad: () => {
    log('onLoad');
    globalThis.moduTestLabels = { ...globalThis.moduTestLabels, ${JSON.stringify(name)}: '${label}' };
  },
  onStart: () => log('onStart'),
  onStop: () => { log('onStop'); ${options.failStop ? "throw new Error('cannot flush');" : ''} },
  onUnload: () => log('onUnload'),
});
`;
  return { 'plugin.yaml': yaml, 'index.js': code };
}

describe('Kernel lifecycle', () => {
  let kernel: Kernel;
  let dir: string;

  beforeEach(async () => {
    globalThis.moduTestEvents = [];
    dir = await pluginsFolder();
    await writePlugin(dir, 'base', tracedPlugin('base'));
    await writePlugin(dir, 'mid', tracedPlugin('mid', { deps: ['base'] }));
    await writePlugin(dir, 'top', tracedPlugin('top', { deps: ['mid'] }));
    kernel = createKernel({ pluginDirs: [dir], logger: silentLogger });
  });
  afterEach(() => kernel.stop());
  after(removeScratch);

  describe('start() and stop()', () => {
    it('runs onLoad and onStart in dependency order, onStop and onUnload in reverse, and disposes services', async () => {
      await kernel.start();
      await kernel.stop();
      expect(globalThis.moduTestEvents).to.deep.equal([
        'base:onLoad',
        'mid:onLoad',
        'top:onLoad',
        'base:onStart',
        'mid:onStart',
        'top:onStart',
        'top:onStop',
        'mid:onStop',
        'base:onStop',
        'top:onUnload',
        'top:dispose',
        'mid:onUnload',
        'mid:dispose',
        'base:onUnload',
        'base:dispose',
      ]);
      expect(kernel.snapshot().map((p) => p.state)).to.deep.equal(['unloaded', 'unloaded', 'unloaded']);
    });

    it('carries on past an onStop error and reports it', async () => {
      await writePlugin(dir, 'mid', tracedPlugin('mid', { deps: ['base'], failStop: true }));
      await kernel.start();
      const report = await kernel.stop();
      expect(report.ok).to.equal(false);
      expect(report.errors.map((e) => [e.plugin, e.error.code])).to.deep.equal([['mid', 'MODU_LIFECYCLE_HOOK_FAILED']]);
      expect(globalThis.moduTestEvents).to.include.members(['base:onStop', 'base:onUnload']);
    });
  });

  describe('reload()', () => {
    it('starts new generations of the plugin and its dependents beside the old ones, then retires the old ones', async () => {
      await writePlugin(dir, 'other', tracedPlugin('other'));
      await kernel.start();
      await writePlugin(dir, 'base', tracedPlugin('base', { label: 'v2' }));
      globalThis.moduTestEvents = [];
      const snapshots = await kernel.reload('base');
      expect(snapshots.map((s) => [s.name, s.state])).to.deep.equal([
        ['base', 'started'],
        ['mid', 'started'],
        ['top', 'started'],
      ]);
      expect(globalThis.moduTestEvents).to.deep.equal([
        'base:onLoad',
        'mid:onLoad',
        'top:onLoad',
        'base:onStart',
        'mid:onStart',
        'top:onStart',
        'top:onStop',
        'top:onUnload',
        'top:dispose',
        'mid:onStop',
        'mid:onUnload',
        'mid:dispose',
        'base:onStop',
        'base:onUnload',
        'base:dispose',
      ]);
      expect(kernel.snapshot().find((p) => p.name === 'other')?.state).to.equal('started');
      expect(globalThis.moduTestLabels.base).to.equal('v2');
    });

    for (const [broken, files] of [
      ['a syntax error', { 'index.js': 'export default definePlugin({' }],
      [
        'a failing onLoad',
        {
          'index.js':
            "import { definePlugin } from 'modu';\nexport default definePlugin({ onLoad() { throw new Error('no db'); } });",
        },
      ],
      [
        'a failing onStart',
        {
          'index.js':
            "import { definePlugin } from 'modu';\nexport default definePlugin({ services: { Value: { value: { label: 'v3', deps: [] } } }, onStart() { throw new Error('no port'); } });",
        },
      ],
      ['a bad manifest', { 'plugin.yaml': 'name: base\nversion: one\n' }],
    ] as const) {
      it(`keeps the old generations serving when the new code has ${broken}, and reloads once it is fixed`, async () => {
        await kernel.start();
        for (const [file, text] of Object.entries(files)) await writeFile(join(dir, 'base', file), text);
        globalThis.moduTestEvents = [];
        const error = await kernel.reload('base').catch((e: unknown) => e);
        expect(ModuError.is(error) && error.code).to.equal('MODU_LIFECYCLE_RELOAD_FAILED');
        expect(ModuError.is(error) && error.details.failed).to.equal('base');
        expect(kernel.snapshot().map((s) => [s.name, s.state])).to.deep.equal([
          ['base', 'started'],
          ['mid', 'started'],
          ['top', 'started'],
        ]);
        // The old generations never stopped (new ones built and undone dispose only their own services).
        expect(globalThis.moduTestEvents.filter((e) => e.endsWith('onStop'))).to.deep.equal([]);
        await writePlugin(dir, 'base', tracedPlugin('base', { label: 'v2' }));
        expect((await kernel.reload('base')).map((s) => s.state)).to.deep.equal(['started', 'started', 'started']);
        expect(globalThis.moduTestLabels.base).to.equal('v2');
      });
    }

    it('rejects a plugin that is not loaded with MODU_LOADER_NOT_LOADED', async () => {
      await kernel.start();
      const error = await kernel.reload('ghost').catch((e: unknown) => e);
      expect(ModuError.is(error) && error.code).to.equal('MODU_LOADER_NOT_LOADED');
    });

    it('answers load() of a name no plugin folder has with MODU_LOADER_PLUGIN_NOT_FOUND', async () => {
      await kernel.start();
      const error = await kernel.load('ghost').catch((e: unknown) => e);
      expect(ModuError.is(error) && [error.code, error.details.plugin]).to.deep.equal([
        'MODU_LOADER_PLUGIN_NOT_FOUND',
        'ghost',
      ]);
    });
  });

  describe('unload() and load()', () => {
    it('unloads the dependents first, then loads a plugin again', async () => {
      await kernel.start();
      globalThis.moduTestEvents = [];
      const unloaded = await kernel.unload('mid');
      expect(unloaded.map((s) => [s.name, s.state])).to.deep.equal([
        ['mid', 'unloaded'],
        ['top', 'unloaded'],
      ]);
      expect(globalThis.moduTestEvents.slice(0, 2)).to.deep.equal(['top:onStop', 'mid:onStop']);
      expect((await kernel.load('mid')).state).to.equal('started');
      expect((await kernel.load('top')).state).to.equal('started');
    });

    it('loads a plugin dropped into the folder after start', async () => {
      await kernel.start();
      await writePlugin(dir, 'late', tracedPlugin('late', { deps: ['top'] }));
      expect((await kernel.load('late')).state).to.equal('started');
    });

    it('skips a plugin whose dependency is not running, with the reason', async () => {
      await kernel.start();
      await kernel.unload('base');
      const snapshot = await kernel.load('mid');
      expect(snapshot.state).to.equal('skipped');
      expect(snapshot.failure?.error.message).to.contain('base is not running');
    });

    it('loads the code on disk once a skipped plugin can load, not the code read when it was skipped', async () => {
      await kernel.start();
      await kernel.unload('base');
      expect((await kernel.load('mid')).state).to.equal('skipped');
      await writePlugin(dir, 'mid', tracedPlugin('mid', { deps: ['base'], label: 'v2' }));
      await kernel.load('base');
      expect((await kernel.load('mid')).state).to.equal('started');
      expect(globalThis.moduTestLabels.mid).to.equal('v2');
    });
  });
});

describe('Kernel scheduling', () => {
  let kernel: Kernel | undefined;
  afterEach(() => kernel?.stop());
  after(removeScratch);

  /** A plugin with the given dependencies whose code runs `body` at import and `onLoad` in its hook. */
  function plugin(name: string, deps: string[], { body = '', onLoad = '' } = {}) {
    const dependencies = deps.length > 0 ? `dependencies:\n${deps.map((d) => `  ${d}: ^1.0.0\n`).join('')}` : '';
    return {
      'plugin.yaml': `name: ${name}\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n${dependencies}`,
      'index.js': `import { definePlugin } from 'modu';\n${body}\nexport default definePlugin({ onLoad: async () => { ${onLoad} } });\n`,
    };
  }

  it('loads a plugin as soon as its dependencies have loaded, not when their whole wave has', async () => {
    const dir = await pluginsFolder();
    await writePlugin(dir, 'slow', plugin('slow', [], { onLoad: 'await new Promise((r) => setTimeout(r, 500));' }));
    await writePlugin(dir, 'quick', plugin('quick', []));
    await writePlugin(dir, 'after-quick', plugin('after-quick', ['quick']));
    kernel = createKernel({ pluginDirs: [dir], logger: silentLogger });
    const order: string[] = [];
    kernel.on('state', (change) => {
      if (change.to === 'loaded') order.push(change.plugin);
    });
    const report = await kernel.start();
    expect(report.waves).to.deep.equal([['quick', 'slow'], ['after-quick']]);
    expect(order).to.deep.equal(['quick', 'after-quick', 'slow']);
  });

  it("checks each plugin's code before importing it, and skips the dependents of rejected code", async () => {
    globalThis.moduTestEvents = [];
    const dir = await pluginsFolder();
    const evaluated = "globalThis.moduTestEvents.push('rejected evaluated');";
    await writePlugin(dir, 'rejected', plugin('rejected', [], { body: `import 'node:child_process';\n${evaluated}` }));
    await writePlugin(dir, 'needs-rejected', plugin('needs-rejected', ['rejected']));
    await writePlugin(dir, 'fine', plugin('fine', []));
    kernel = createKernel({ pluginDirs: [dir], logger: silentLogger });
    const plugins = new Map((await kernel.start()).plugins.map((p) => [p.name, p]));
    expect(plugins.get('rejected')?.state).to.equal('failed');
    expect(plugins.get('rejected')?.failure?.phase).to.equal('validate');
    expect(plugins.get('rejected')?.failure?.error.code).to.equal('MODU_PERMISSION_DENIED');
    expect(globalThis.moduTestEvents).to.deep.equal([]);
    expect(plugins.get('needs-rejected')?.state).to.equal('skipped');
    expect(plugins.get('needs-rejected')?.failure?.error.message).to.contain('rejected');
    expect(plugins.get('fine')?.state).to.equal('started');
  });
});

describe('Kernel configuration', () => {
  after(removeScratch);

  it('validates each plugin config with defaults and MODU_PLUGIN_<NAME>__ overrides', async () => {
    const dir = await pluginsFolder();
    await writePlugin(dir, 'mailer', {
      'plugin.yaml': [
        'name: mailer',
        'version: 1.0.0',
        'main: index.js',
        'kernel: ^1.0.0',
        'config:',
        '  type: object',
        '  properties:',
        '    host: { type: string }',
        '    port: { type: integer, default: 25 }',
        '    tls: { type: object, properties: { enabled: { type: boolean, default: false } } }',
      ].join('\n'),
      'index.js': `import { definePlugin } from 'modu';
export default definePlugin({ services: { Config: { factory: ({ config }) => config } }, onLoad: ({ config }) => { globalThis.mailerConfig = config; } });`,
    });
    const kernel = createKernel({
      pluginDirs: [dir],
      logger: silentLogger,
      env: { MODU_PLUGIN_MAILER__port: '2525', MODU_PLUGIN_MAILER__tls__enabled: 'true' },
      plugins: { mailer: { config: { host: 'smtp.local' } } },
    });
    await kernel.start();
    const config = (globalThis as unknown as { mailerConfig: unknown }).mailerConfig;
    expect(config).to.deep.equal({ host: 'smtp.local', port: 2525, tls: { enabled: true } });
    expect(Object.isFrozen(config)).to.equal(true);
    await kernel.stop();
  });

  it('fails a plugin whose config schema is not a valid JSON Schema, naming it', async () => {
    const dir = await pluginsFolder();
    await writePlugin(dir, 'typo', {
      'plugin.yaml':
        'name: typo\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\nconfig: { type: object, properties: { port: { type: integr } } }\n',
      'index.js': "import { definePlugin } from 'modu';\nexport default definePlugin({});\n",
    });
    const kernel = createKernel({ pluginDirs: [dir], logger: silentLogger });
    const [plugin] = (await kernel.start()).plugins;
    expect(plugin?.failure?.phase).to.equal('validate');
    expect(plugin?.failure?.error.code).to.equal('MODU_CONFIG_SCHEMA_INVALID');
    expect(plugin?.failure?.error.message).to.contain('plugins.typo.config').and.contain('type');
    await kernel.stop();
  });

  it('rejects invalid kernel options naming the field', () => {
    const bad = { pluginDirs: ['x'], concurrency: 0, logger: silentLogger };
    expect(() => createKernel(bad)).to.throw(ModuError, /\/concurrency must be >= 1/);
  });

  it('applies a per-plugin hook timeout from the host config', async () => {
    const dir = await mkdtemp(join(await pluginsFolder(), 'x-'));
    await mkdir(dir, { recursive: true });
    await writePlugin(dir, 'slow', {
      'plugin.yaml': 'name: slow\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n',
      'index.js': `import { definePlugin } from 'modu';
import { setTimeout } from 'node:timers/promises';
export default definePlugin({ onLoad: ({ signal }) => setTimeout(5000, undefined, { signal }) });`,
    });
    const kernel = createKernel({
      pluginDirs: [dir],
      logger: silentLogger,
      plugins: { slow: { timeouts: { onLoad: 50 } } },
    });
    const report = await kernel.start();
    expect(report.plugins[0]?.failure?.error.code).to.equal('MODU_LIFECYCLE_TIMEOUT');
    expect(report.plugins[0]?.failure?.error.details).to.include({ timeoutMs: 50, phase: 'onLoad' });
    await kernel.stop();
  });
});
