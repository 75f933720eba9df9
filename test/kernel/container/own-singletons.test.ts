import { expect } from 'chai';
import { createKernel, type Kernel, type PluginSnapshot } from '../../../kernel/index.js';
import {
  pluginManifest as manifest,
  pluginsFolder,
  removeScratch,
  silentLogger,
  writePlugin,
} from '../../helpers/fixtures.js';

// Singletons of a plugin with no class that injects by token (factories and values only) are built without the
// container library (see OwnSingletons): once each, disposed at unload, and a cycle is an error at load.
/** What the test plugin counts, and the context it kept. */
interface Seen {
  built: number;
  disposed: number;
  ctx?: { use(token: string): unknown };
}

describe('the singletons of a plugin with factories and values only', () => {
  let kernel: Kernel | undefined;
  afterEach(async () => {
    await kernel?.stop();
    kernel = undefined;
  });
  after(removeScratch);

  const boot = async (services: string, onLoad = '') => {
    const dir = await pluginsFolder();
    await writePlugin(dir, 'p', {
      'plugin.yaml': manifest('p'),
      'index.js': `import { definePlugin } from 'modu';
globalThis.ownSingletons = { built: 0, disposed: 0 };
const seen = globalThis.ownSingletons;
export default definePlugin({ services: { ${services} }, ${onLoad} });`,
    });
    kernel = createKernel({ pluginDirs: [dir], logger: silentLogger });
    const [plugin] = (await kernel.start()).plugins as [PluginSnapshot];
    return {
      plugin,
      seen: (globalThis as unknown as { ownSingletons: Seen }).ownSingletons,
    };
  };

  it('builds each once, shares one build between concurrent users, and disposes it at unload', async () => {
    const { plugin, seen } = await boot(
      `Db: { factory: async () => { seen.built++; await new Promise((r) => setTimeout(r, 10)); return { id: 1 }; },
             dispose: () => { seen.disposed++; } },
       Repo: { factory: async ({ useAsync }) => ({ db: await useAsync('Db') }) },
       App: { factory: async ({ useAsync }) => {
         const [db, repo] = await Promise.all([useAsync('Db'), useAsync('Repo')]);
         return { same: db === repo.db };
       } }`,
      `onLoad: (ctx) => { seen.ctx = ctx; if (!ctx.use('App').same || ctx.use('Db') !== ctx.use('p/Db')) throw new Error('two'); }`,
    );
    expect([plugin.state, seen.built, seen.disposed]).to.deep.equal(['started', 1, 0]);
    await kernel?.unload('p');
    expect(seen.disposed).to.equal(1);
    // A context kept past the unload gets nothing back, and builds nothing again.
    expect(() => seen.ctx?.use('Db'))
      .to.throw()
      .with.property('code', 'MODU_CONTAINER_NOT_VISIBLE');
    expect(seen.built).to.equal(1);
  });

  it('fails the load when factories need each other, naming the service', async () => {
    const { plugin } = await boot(
      `S: { factory: ({ use }) => ({ t: use('T') }) }, T: { factory: ({ use }) => ({ s: use('S') }) }`,
    );
    expect([plugin.state, plugin.failure?.error.code]).to.deep.equal(['failed', 'MODU_CONTAINER_RESOLVE_FAILED']);
    expect(plugin.failure?.error.message).to.equal(
      "Plugin 'p' could not build p/S: p/S is needed while it is being built (a cycle)",
    );
  });

  it('fails the load when a factory takes an asynchronous singleton with use(), naming useAsync()', async () => {
    const { plugin } = await boot(`Y: { factory: ({ use }) => use('X') }, X: { factory: async () => 1 }`);
    expect(plugin.failure?.error.message).to.equal(
      "Plugin 'p' could not build p/X: p/X is built asynchronously; use useAsync() for it",
    );
  });

  it('builds a singleton again after its factory threw', async () => {
    const { plugin, seen } = await boot(
      `First: { factory: ({ use }) => { try { use('Flaky'); } catch { /* its first build fails */ } return use('Flaky'); } },
       Flaky: { factory: () => { if (seen.built++ === 0) throw new Error('not yet'); return { ok: true }; } }`,
    );
    expect([plugin.state, seen.built]).to.deep.equal(['started', 2]);
  });
});
