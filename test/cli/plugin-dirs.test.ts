import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import { installTarget } from '../../cli/plugin-dirs.js';
import { modu } from '../helpers/cli.js';
import { type Scratch, scratch, writePlugin } from '../registry/plugin-folder.js';

describe('installTarget (modu install and uninstall defaults)', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch('modu-cli-install-');
    await writePlugin(dir.root, { name: 'store', version: '1.0.0' });
    await writePlugin(dir.root, { name: 'auth', version: '2.0.0', dependencies: { store: '^1.0.0' } });
  });
  afterEach(() => dir.cleanup());

  const run = (...argv: string[]) => modu(argv, dir.root);
  const io = () => ({ stdout: { write: () => true }, stderr: { write: () => true }, cwd: dir.root, env: {} });

  async function publishTo(registry: string): Promise<void> {
    for (const folder of ['store-1.0.0', 'auth-2.0.0']) {
      expect((await run('registry', 'publish', folder, '--registry', registry)).code).to.equal(0);
    }
  }

  describe('when ./modu.yaml names a registry and plugin folders', () => {
    beforeEach(async () => {
      await writeFile(dir.path('modu.yaml'), 'registry: shared/registry\npluginDirs: [host/plugins, host/extra]\n');
      await publishTo('shared/registry');
    });

    it('installs from that registry into the first plugin folder, and uninstalls from it', async () => {
      const installed = await run('install', 'auth');
      expect(installed.code, installed.stderr).to.equal(0);
      expect((await readdir(dir.path('host', 'plugins'))).sort()).to.deep.equal(['auth', 'store']);
      expect(installed.stdout).to.contain(dir.path('host', 'modu-lock.yaml'));
      expect((await run('uninstall', 'auth')).code).to.equal(0);
      expect(await readdir(dir.path('host', 'plugins'))).to.deep.equal(['store']);
    });

    it('lets --registry and --plugins win over it', async () => {
      const missing = await run('install', 'store', '--registry', 'elsewhere');
      expect(missing.code).to.equal(1);
      expect(missing.stderr).to.contain(`MODU_CLI_REGISTRY_MISSING: No registry folder at ${dir.path('elsewhere')}`);
      expect((await run('install', 'store', '--plugins', 'mine')).code).to.equal(0);
      expect(await readdir(dir.path('mine'))).to.deep.equal(['store']);
      expect(await installTarget(io(), { registry: 'elsewhere' })).to.deep.equal({
        registry: 'elsewhere',
        pluginsDir: dir.path('host', 'plugins'),
      });
    });
  });

  describe('when --config names a host config in another folder', () => {
    it('resolves its paths against that file', async () => {
      await mkdir(dir.path('app'));
      await writeFile(dir.path('app', 'host.yaml'), 'registry: reg\npluginDirs: [plugins]\n');
      await publishTo('app/reg');
      expect((await run('install', 'store', '--config', 'app/host.yaml')).code).to.equal(0);
      expect(await readdir(dir.path('app', 'plugins'))).to.deep.equal(['store']);
      expect((await run('uninstall', 'store', '--config', 'app/host.yaml')).code).to.equal(0);
      expect(await readdir(dir.path('app', 'plugins'))).to.deep.equal([]);
    });
  });

  describe('when there is no ./modu.yaml', () => {
    it('uses .modu/registry and ./plugins', async () => {
      await publishTo('.modu/registry');
      expect(await installTarget(io(), {})).to.deep.equal({ registry: undefined, pluginsDir: dir.path('plugins') });
      expect((await run('install', 'store')).code).to.equal(0);
      expect(await readdir(dir.path('plugins'))).to.deep.equal(['store']);
    });
  });

  describe('when ./modu.yaml is invalid', () => {
    it('fails with the config code instead of guessing', async () => {
      await writeFile(dir.path('modu.yaml'), 'pluginDirs: 3\n');
      const failed = await run('install', 'store');
      expect(failed.code).to.equal(1);
      expect(failed.stderr).to.match(/^error MODU_CONFIG_INVALID: .*modu\.yaml/);
    });
  });
});
