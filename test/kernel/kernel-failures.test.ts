import { expect } from 'chai';
import { createKernel, type Kernel, ModuError, type PluginSnapshot } from '../../kernel/index.js';
import { pluginsFolder, removeScratch, silentLogger } from '../helpers/fixtures.js';

const broken = [
  'bad-yaml',
  'bad-manifest',
  'missing-dependency',
  'version-mismatch',
  'kernel-mismatch',
  'cycle-a',
  'cycle-b',
  'cycle-c',
  'throws-on-load',
  'slow-start',
  'import-error',
  'no-definition',
  'invisible-service',
  'bad-config',
  'export-missing',
  'needs-failed',
  'not-a-plugin',
].map((name) => `broken/${name}`);

const example = ['settings', 'storage', 'auth', 'users', 'todos', 'audit'].map((name) => `example/plugins/${name}`);

describe('Kernel.start() with broken plugins', () => {
  let kernel: Kernel;
  let plugins: Map<string, PluginSnapshot>;

  before(async () => {
    const dir = await pluginsFolder(...example, ...broken);
    kernel = createKernel({
      pluginDirs: [dir],
      logger: silentLogger,
      plugins: {
        auth: { grants: ['node:crypto'], config: { tokens: {} } },
        'bad-config': { config: { url: 'not a url' } },
      },
    });
    const report = await kernel.start();
    plugins = new Map(report.plugins.map((p) => [p.name, p]));
  });
  after(async () => {
    await kernel.stop();
    await removeScratch();
  });

  const expectFailure = (name: string, state: string, phase: string, code: string) => {
    const plugin = plugins.get(name);
    expect(plugin, name).to.not.equal(undefined);
    expect(plugin?.state, `${name} state`).to.equal(state);
    expect(plugin?.failure?.phase, `${name} phase`).to.equal(phase);
    expect(plugin?.failure?.error.code, `${name} code`).to.equal(code);
    return plugin?.failure?.error.message ?? '';
  };

  it('starts every healthy plugin', () => {
    for (const name of ['settings', 'storage', 'auth', 'users', 'todos', 'audit']) {
      expect(plugins.get(name)?.state, name).to.equal('started');
    }
  });

  it('fails a plugin with malformed YAML, naming the file and line', () => {
    const plugin = [...plugins.values()].find((p) => p.root.endsWith('bad-yaml'));
    expect(plugin?.state).to.equal('failed');
    expect(plugin?.failure?.error.code).to.equal('MODU_YAML_INVALID');
    expect(plugin?.failure?.error.message).to.match(/bad-yaml\/plugin\.yaml:\d+:\d+ is not valid YAML/);
  });

  it('fails an invalid manifest with every field named', () => {
    const plugin = [...plugins.values()].find((p) => p.root.endsWith('bad-manifest'));
    expect(plugin?.failure?.error.code).to.equal('MODU_MANIFEST_INVALID');
    for (const field of ['/name', '/version', '/main', '/kernel', '/dependencies']) {
      expect(plugin?.failure?.error.message).to.contain(field);
    }
  });

  it('fails missing and mismatched dependencies and a kernel range it does not fit', () => {
    expect(expectFailure('missing-dependency', 'failed', 'resolve', 'MODU_GRAPH_MISSING_DEPENDENCY')).to.contain(
      'payments@^1.0.0',
    );
    expect(expectFailure('version-mismatch', 'failed', 'resolve', 'MODU_GRAPH_VERSION_MISMATCH')).to.contain(
      'storage@1.2.0',
    );
    expectFailure('kernel-mismatch', 'failed', 'resolve', 'MODU_MANIFEST_KERNEL_MISMATCH');
  });

  it('reports a cycle with its full path on every member', () => {
    for (const name of ['cycle-a', 'cycle-b', 'cycle-c']) {
      expect(expectFailure(name, 'failed', 'resolve', 'MODU_GRAPH_CYCLE')).to.contain(
        'cycle-a -> cycle-b -> cycle-c -> cycle-a',
      );
    }
  });

  it('fails a plugin whose onLoad throws and skips its dependents with the reason', () => {
    expect(expectFailure('throws-on-load', 'failed', 'load', 'MODU_LIFECYCLE_HOOK_FAILED')).to.contain(
      'database unreachable',
    );
    expect(expectFailure('needs-failed', 'skipped', 'load', 'MODU_GRAPH_DEPENDENCY_FAILED')).to.contain(
      'throws-on-load',
    );
  });

  it('times out a hook that never finishes, naming plugin, phase and time', () => {
    const message = expectFailure('slow-start', 'failed', 'start', 'MODU_LIFECYCLE_TIMEOUT');
    expect(message).to.match(/Plugin 'slow-start' did not finish onStart within 100 ms/);
  });

  it('fails code that throws at import, or has no definition', () => {
    expect(expectFailure('import-error', 'failed', 'load', 'MODU_LOADER_IMPORT_FAILED')).to.contain(
      'broken at import time',
    );
    expectFailure('no-definition', 'failed', 'load', 'MODU_LOADER_NO_DEFINITION');
  });

  it('fails a plugin that uses a service of a plugin it does not depend on', () => {
    const message = expectFailure('invisible-service', 'failed', 'load', 'MODU_CONTAINER_NOT_VISIBLE');
    expect(message).to.contain('auth/Tokens').and.to.contain('not among its dependencies');
  });

  it('fails a config that does not match the schema, naming the field', () => {
    const message = expectFailure('bad-config', 'failed', 'validate', 'MODU_CONFIG_INVALID');
    expect(message).to.contain('/url').and.to.contain('plugins.bad-config.config');
  });

  it('fails a plugin whose manifest exports a service the code does not define', () => {
    expect(expectFailure('export-missing', 'failed', 'load', 'MODU_LOADER_EXPORT_MISSING')).to.contain('Mailer');
  });

  it('does not count a folder without plugin.yaml as a plugin', () => {
    expect([...plugins.keys()].some((name) => name.includes('not-a-plugin'))).to.equal(false);
  });
});

describe('Kernel.start() with a required plugin that fails', () => {
  after(removeScratch);

  it('rejects with MODU_KERNEL_REQUIRED_FAILED and leaves nothing running', async () => {
    const dir = await pluginsFolder('example/plugins/storage', 'broken/throws-on-load');
    const kernel = createKernel({
      pluginDirs: [dir],
      logger: silentLogger,
      plugins: { 'throws-on-load': { required: true } },
    });
    const error = await kernel.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ModuError.is(error) && error.code).to.equal('MODU_KERNEL_REQUIRED_FAILED');
    expect(kernel.snapshot().find((p) => p.name === 'storage')?.state).to.equal('unloaded');
  });
});

describe('Kernel.start() with plugins that reach for capabilities', () => {
  let plugins: Map<string, PluginSnapshot>;
  let kernel: Kernel;

  before(async () => {
    const dir = await pluginsFolder(
      'malicious/require-builtin',
      'malicious/runtime-computed-import',
      'benign/granted-fs',
      'benign/granted-env',
    );
    kernel = createKernel({
      pluginDirs: [dir],
      logger: silentLogger,
      plugins: {
        'ok-granted-fs': { grants: ['node:fs'] },
        'mal-runtime-computed-import': { grants: ['dynamic-code'] },
      },
    });
    plugins = new Map((await kernel.start()).plugins.map((p) => [p.name, p]));
  });
  after(async () => {
    await kernel.stop();
    await removeScratch();
  });

  it('rejects code using a built-in it did not ask for, before any of it runs', () => {
    const plugin = plugins.get('mal-require-builtin');
    expect(plugin?.state).to.equal('failed');
    expect(plugin?.failure?.phase).to.equal('validate');
    expect(plugin?.failure?.error.code).to.equal('MODU_PERMISSION_DENIED');
    expect(plugin?.failure?.error.message).to.match(/index\.js:\d+/);
  });

  it('rejects a plugin asking for what the host did not grant', () => {
    const plugin = plugins.get('ok-granted-env');
    expect(plugin?.state).to.equal('failed');
    expect(plugin?.failure?.error.code).to.equal('MODU_PERMISSION_DENIED');
    expect(plugin?.failure?.error.message).to.contain('env');
  });

  it('stops at load a built-in whose name is computed at run time', () => {
    const plugin = plugins.get('mal-runtime-computed-import');
    expect(plugin?.state).to.equal('failed');
    expect(plugin?.failure?.phase).to.equal('load');
    expect(plugin?.failure?.error.code).to.equal('MODU_PERMISSION_DENIED');
  });

  it('starts a plugin using a capability it asked for and was granted', () => {
    expect(plugins.get('ok-granted-fs')?.state).to.equal('started');
  });
});
