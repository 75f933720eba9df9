import { expect } from 'chai';
import { ServiceOwnership } from '../../../kernel/container/service-ownership.js';
import { createKernel, type Kernel, ModuError } from '../../../kernel/index.js';
import {
  pluginManifest as manifest,
  pluginsFolder,
  removeScratch,
  silentLogger,
  writePlugin,
} from '../../helpers/fixtures.js';

describe('plugin containers', () => {
  let kernel: Kernel;
  let dir: string;

  beforeEach(async () => {
    dir = await pluginsFolder();
    await writePlugin(dir, 'store', {
      'plugin.yaml': manifest('store', 'exports:\n  services: [Public]\n'),
      'index.js': `import { definePlugin } from 'modu';
export default definePlugin({
  services: {
    Public: { factory: async () => { await new Promise((r) => setTimeout(r, 5)); return { kind: 'public' }; } },
    Private: { value: { kind: 'private' } },
    Counter: { factory: () => ({ n: Math.random() }), scope: 'transient', dispose: () => { globalThis.disposedTransients = (globalThis.disposedTransients ?? 0) + 1; } },
  },
  onLoad: ({ use }) => { use('store/Counter'); use('store/Counter'); },
});`,
    });
  });
  afterEach(() => kernel?.stop());
  after(removeScratch);

  const boot = async () => {
    kernel = createKernel({ pluginDirs: [dir], logger: silentLogger });
    const report = await kernel.start();
    return new Map(report.plugins.map((p) => [p.name, p]));
  };

  it('gives a dependent the exported services of its dependency, async factories included', async () => {
    await writePlugin(dir, 'reader', {
      'plugin.yaml': manifest('reader', 'dependencies:\n  store: ^1.0.0\n'),
      'index.js': `import { definePlugin } from 'modu';
export default definePlugin({ onLoad: ({ use }) => { globalThis.readerSaw = use('store/Public').kind; } });`,
    });
    const plugins = await boot();
    expect(plugins.get('reader')?.state).to.equal('started');
    expect((globalThis as unknown as { readerSaw: string }).readerSaw).to.equal('public');
  });

  it('hides services the dependency does not export, saying which export is missing', async () => {
    await writePlugin(dir, 'snoop', {
      'plugin.yaml': manifest('snoop', 'dependencies:\n  store: ^1.0.0\n'),
      'index.js': `import { definePlugin } from 'modu';
export default definePlugin({ onLoad: ({ use }) => use('store/Private') });`,
    });
    const failure = (await boot()).get('snoop')?.failure;
    expect(failure?.error.code).to.equal('MODU_LIFECYCLE_HOOK_FAILED');
    expect(failure?.error.cause?.code).to.equal('MODU_CONTAINER_NOT_VISIBLE');
    expect(failure?.error.cause?.message).to.equal('snoop uses store/Private, which store does not export.');
  });

  it('says when a token belongs to no loaded plugin', async () => {
    await writePlugin(dir, 'lost', {
      'plugin.yaml': manifest('lost'),
      'index.js': `import { definePlugin } from 'modu';
export default definePlugin({ services: { X: { factory: ({ use }) => use('nobody/Thing') } } });`,
    });
    const failure = (await boot()).get('lost')?.failure;
    expect(failure?.error.code).to.equal('MODU_CONTAINER_NOT_VISIBLE');
    expect(failure?.error.message).to.contain('which no loaded plugin provides');
  });

  it('lets an optional dependency be absent and tells the plugin through has()', async () => {
    await writePlugin(dir, 'maybe', {
      'plugin.yaml': manifest('maybe', 'optionalDependencies:\n  audit: ^1.0.0\n  store: ^1.0.0\n'),
      'index.js': `import { definePlugin } from 'modu';
export default definePlugin({ onLoad: ({ has }) => { globalThis.maybeSaw = [has('audit/Log'), has('store/Public')]; } });`,
    });
    expect((await boot()).get('maybe')?.state).to.equal('started');
    expect((globalThis as unknown as { maybeSaw: boolean[] }).maybeSaw).to.deep.equal([false, true]);
  });

  it('disposes transient instances it created when the plugin unloads', async () => {
    (globalThis as unknown as { disposedTransients: number }).disposedTransients = 0;
    await boot();
    await kernel.unload('store');
    expect((globalThis as unknown as { disposedTransients: number }).disposedTransients).to.equal(2);
  });

  it('rejects a service name that is not an identifier', async () => {
    await writePlugin(dir, 'odd', {
      'plugin.yaml': manifest('odd'),
      'index.js': `import { definePlugin } from 'modu';
export default definePlugin({ services: { 'store/Public': { value: 1 } } });`,
    });
    expect((await boot()).get('odd')?.failure?.error.code).to.equal('MODU_LOADER_DEFINITION_INVALID');
  });
});

describe('ServiceOwnership', () => {
  it('refuses a token owned by another plugin, naming both, and releases exactly what an owner claimed', () => {
    const ownership = new ServiceOwnership();
    const auth = ownership.claim('auth', ['auth/Tokens', 'auth/Keys']);
    expect(() => ownership.claim('evil', ['evil/X', 'auth/Tokens'])).to.throw(
      ModuError,
      'evil cannot bind auth/Tokens: it is owned by auth',
    );
    expect(ownership.ownerOf('evil/X')).to.equal(undefined);
    ownership.claim('authz', ['authz/Tokens']);
    ownership.release(auth);
    expect(ownership.ownerOf('auth/Tokens')).to.equal(undefined);
    expect(ownership.ownerOf('authz/Tokens')).to.equal('authz');
  });

  it('lets a staged generation claim its plugin’s tokens beside the live one, and keeps them when the live one goes', () => {
    const ownership = new ServiceOwnership();
    const live = ownership.claim('auth', ['auth/Tokens']);
    const staged = ownership.claim('auth', ['auth/Tokens', 'auth/Keys']);
    ownership.release(live);
    expect(ownership.ownerOf('auth/Tokens')).to.equal('auth');
    ownership.release(staged);
    expect(ownership.ownerOf('auth/Tokens')).to.equal(undefined);
    expect(ownership.ownerOf('auth/Keys')).to.equal(undefined);
  });
});
