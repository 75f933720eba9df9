import { expect } from 'chai';
import { createKernel, type Kernel, ModuError, type PluginStateChange } from '../../kernel/index.js';
import { examplePlugins, silentLogger } from '../helpers/fixtures.js';

const authConfig = {
  grants: ['node:crypto'],
  config: { tokens: { 't-alice': { id: 'alice', roles: ['admin'], permissions: ['users:*'] } } },
};

describe('createKernel()', () => {
  let kernel: Kernel | undefined;
  afterEach(async () => {
    await kernel?.stop();
    kernel = undefined;
  });

  describe('when started over the example plugins', () => {
    it('starts every plugin in dependency waves and reports the critical path', async () => {
      kernel = createKernel({ pluginDirs: [examplePlugins], logger: silentLogger, plugins: { auth: authConfig } });
      const report = await kernel.start();
      expect(report.plugins.map((p) => [p.name, p.state])).to.deep.equal([
        ['audit', 'started'],
        ['auth', 'started'],
        ['settings', 'started'],
        ['storage', 'started'],
        ['todos', 'started'],
        ['users', 'started'],
      ]);
      expect(report.waves).to.deep.equal([['auth', 'settings', 'storage'], ['audit', 'users'], ['todos']]);
      expect(report.criticalPath.plugins.at(-1)).to.equal('todos');
      expect(report.ok).to.equal(true);
    });

    it('refuses a second start() until stop()', async () => {
      kernel = createKernel({ pluginDirs: [examplePlugins], logger: silentLogger, plugins: { auth: authConfig } });
      await kernel.start();
      const error = await kernel.start().catch((e: unknown) => e);
      expect(ModuError.is(error) && error.code).to.equal('MODU_KERNEL_ALREADY_STARTED');
      await kernel.stop();
      expect((await kernel.start()).ok).to.equal(true);
    });

    it('emits a state event for every transition', async () => {
      kernel = createKernel({ pluginDirs: [examplePlugins], logger: silentLogger, plugins: { auth: authConfig } });
      const changes: PluginStateChange[] = [];
      kernel.on('state', (change) => changes.push(change));
      await kernel.start();
      const users = changes.filter((c) => c.plugin === 'users').map((c) => c.to);
      expect(users).to.deep.equal(['loading', 'loaded', 'starting', 'started']);
    });
  });
});

describe('Kernel.metrics', () => {
  it('exposes plugin states and phase times as Prometheus text', async () => {
    const kernel = createKernel({ pluginDirs: [examplePlugins], logger: silentLogger, plugins: { auth: authConfig } });
    await kernel.start();
    const text = await kernel.metrics.metrics();
    await kernel.stop();
    expect(text).to.match(/^modu_plugins\{state="started"\} 6$/m);
    expect(text).to.match(/^modu_plugin_phase_seconds\{plugin="users",phase="load"\} [0-9.e-]+$/m);
    expect(text).to.match(/^modu_plugin_transitions_total\{to="started"\} 6$/m);
  });
});
