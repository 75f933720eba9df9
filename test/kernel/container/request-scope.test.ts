import { expect } from 'chai';
import { Container, inject, injectable } from 'inversify';
import { PluginContainer } from '../../../kernel/container/plugin-container.js';
import { ModuError, pluginServices } from '../../../kernel/index.js';
import { createTestKernel } from '../../../testing/index.js';
import { pluginManifest, pluginsFolder, removeScratch, writePlugin } from '../../helpers/fixtures.js';

// A request-scoped service disposed through Symbol.dispose (no `dispose` option), and a plugin naming its own
// services without its own name.
const scoped = `import { definePlugin } from 'modu';
class Trace {
  constructor(log) { this.log = log; this.log.push('built'); }
  [Symbol.dispose]() { this.log.push('disposed'); }
}
export default definePlugin({
  services: {
    Log: { value: [] },
    Trace: { scope: 'request', factory: (ctx) => new Trace(ctx.use('Log')) },
  },
  routes: [
    { method: 'GET', path: '/touch', handler: (ctx) => { ctx.use('Trace'); ctx.use('Trace'); return ctx.use('Log').length; } },
    { method: 'GET', path: '/log', handler: ({ use }) => use('scoped/Log') },
  ],
});
`;

describe('request scope', () => {
  after(removeScratch);

  describe('when a request used a request-scoped service with Symbol.dispose', () => {
    it('builds it once for the request and disposes it when the request ends', async () => {
      const root = await pluginsFolder();
      await writePlugin(root, 'scoped', { 'plugin.yaml': pluginManifest('scoped'), 'index.js': scoped });
      const kernel = await createTestKernel({ plugins: root });
      try {
        expect((await kernel.inject({ url: '/scoped/touch' })).json()).to.equal(1);
        await kernel.inject({ url: '/scoped/touch' });
        expect((await kernel.inject({ url: '/scoped/log' })).json()).to.deep.equal([
          'built',
          'disposed',
          'built',
          'disposed',
        ]);
      } finally {
        await kernel.stop();
      }
    });
  });
});

@injectable()
class Clock {
  now = () => 42;
}

@injectable()
class Greeter {
  constructor(@inject('Clock') readonly clock: Clock) {}
}

describe('PluginContainer', () => {
  describe('when a plugin names its own service without its name', () => {
    it('resolves use() and @inject of the bare name to the plugin token; names with / stay absolute', () => {
      const explain = (token: string) => new ModuError('MODU_CONTAINER_NOT_VISIBLE', `no ${token}`);
      const container = new PluginContainer(new Container(), 'clock', explain);
      const services = pluginServices('clock', { services: { Clock: { class: Clock }, Greeter: { class: Greeter } } });
      container.bindServices(services, () => {
        throw new Error('no factory here');
      });
      expect(container.use<Greeter>('Greeter').clock.now()).to.equal(42);
      expect(container.use('Greeter')).to.equal(container.use('clock/Greeter'));
      expect(container.has('Clock')).to.equal(true);
      expect(() => container.use('other/Clock')).to.throw(/no other\/Clock/);
    });
  });
});
