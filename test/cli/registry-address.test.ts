import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import { modu as runModu } from '../helpers/cli.js';
import { type Scratch, scratch, writePlugin } from '../registry/plugin-folder.js';

describe('registryAddress(): modu registry, deploy and channel without --registry', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch('modu-registry-address-');
  });
  afterEach(() => dir.cleanup());

  async function modu(cwd: string, env: Record<string, string>, ...argv: string[]) {
    const run = await runModu(argv, cwd, env);
    expect(run.code, run.stderr).to.equal(0);
    return run.stdout;
  }

  describe('when ./modu.yaml names a registry folder', () => {
    it('publishes, lists, deploys and shows channels there; --config and --registry choose others', async () => {
      const app = dir.path('app');
      await mkdir(app);
      await writeFile(dir.path('app', 'modu.yaml'), 'pluginDirs: [plugins]\nregistry: ../from-yaml\n');
      await writeFile(dir.path('app', 'other.yaml'), 'pluginDirs: [plugins]\nregistry: ../from-other\n');
      await writePlugin(app, { name: 'users', version: '1.0.0' });
      await modu(app, {}, 'registry', 'publish', 'users-1.0.0');
      expect(await readdir(dir.path('from-yaml', 'plugins'))).to.deep.equal(['users']);
      expect(JSON.parse(await modu(app, {}, 'registry', 'list', '--json'))).to.have.length(1);
      await modu(app, {}, 'deploy', 'prod', 'users');
      expect(JSON.parse(await modu(app, {}, 'channel', 'list', '--json'))).to.deep.equal([
        { name: 'prod', revision: 1 },
      ]);

      await modu(app, {}, 'registry', 'publish', 'users-1.0.0', '--config', 'other.yaml');
      expect(await readdir(dir.path('from-other', 'plugins'))).to.deep.equal(['users']);
      await modu(app, {}, 'deploy', 'edge', 'users', '--config', 'other.yaml');
      expect(JSON.parse(await modu(app, {}, 'channel', 'list', '--config', 'other.yaml', '--json'))).to.deep.equal([
        { name: 'edge', revision: 1 },
      ]);
      const flag = ['--registry', dir.path('from-flag')];
      await modu(app, {}, 'registry', 'publish', 'users-1.0.0', ...flag);
      expect(JSON.parse(await modu(app, {}, 'channel', 'list', ...flag, '--json'))).to.deep.equal([]);
    });
  });

  describe('when there is no modu.yaml', () => {
    it('uses MODU_REGISTRY, else .modu/registry', async () => {
      await writePlugin(dir.root, { name: 'users', version: '1.0.0' });
      await modu(dir.root, { MODU_REGISTRY: dir.path('from-env') }, 'registry', 'publish', 'users-1.0.0');
      expect(await readdir(dir.path('from-env', 'plugins'))).to.deep.equal(['users']);
      await modu(dir.root, {}, 'registry', 'publish', 'users-1.0.0');
      expect(await readdir(dir.path('.modu', 'registry', 'plugins'))).to.deep.equal(['users']);
    });
  });

  describe('when ./modu.yaml names a registry URL', () => {
    it('refuses to serve it with a usage error naming the URL, since serve stores into a folder or database', async () => {
      await writeFile(dir.path('modu.yaml'), 'registry: http://127.0.0.1:9/\n');
      const run = await runModu(['registry', 'serve', '--port', '0'], dir.root);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include('http://127.0.0.1:9/ is a registry URL');
    });
  });
});
