import { rename } from 'node:fs/promises';
import { expect } from 'chai';
import { modu } from '../helpers/cli.js';
import { type Scratch, scratch, writePlugin } from '../registry/plugin-folder.js';

describe('modu registry info and the registry a command reads', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch();
  });
  afterEach(() => dir.cleanup());

  describe('modu registry info <name>[@<version>]', () => {
    it('shows each version: integrity, dependencies, kernel range, publish time, signature, scan, deprecation', async () => {
      await writePlugin(dir.root, { name: 'auth', version: '2.1.0' });
      await writePlugin(dir.root, { name: 'users', version: '1.0.0', dependencies: { auth: '^2.0.0' } });
      await writePlugin(dir.root, { name: 'users', version: '1.1.0', dependencies: { auth: '^2.1.0' } });
      for (const folder of ['auth-2.1.0', 'users-1.0.0', 'users-1.1.0'])
        expect((await modu(['registry', 'publish', folder], dir.root)).code).to.equal(0);
      await modu(['registry', 'deprecate', 'users', '1.0.0', 'use 1.1'], dir.root);
      const text = (await modu(['registry', 'info', 'users'], dir.root)).stdout;
      expect(text).to.match(/1\.0\.0 {2}\(deprecated: use 1\.1\)\n {4}published {3}\d{4}-\d\d-\d\dT/);
      expect(text)
        .to.match(/integrity {3}sha512-/)
        .and.include('depends on  auth@^2.1.0');
      expect(text)
        .to.include('kernel      ^1.0.0')
        .and.include('signature   unsigned')
        .and.include('scan        passed');
      const one = JSON.parse((await modu(['registry', 'info', 'users@1.1.0', '--json'], dir.root)).stdout);
      expect(one.versions).to.have.length(1);
      expect(one.versions[0]).to.deep.include({
        version: '1.1.0',
        kernel: '^1.0.0',
        dependencies: { auth: '^2.1.0' },
        signature: { status: 'unsigned' },
      });
      expect(one.versions[0].scan.status).to.equal('passed');
      const missing = await modu(['registry', 'info', 'users@9.9.9'], dir.root);
      expect(missing.code).to.equal(1);
      expect(missing.stderr).to.include('MODU_REGISTRY_VERSION_NOT_FOUND');
    });
  });

  describe('when the registry folder does not exist', () => {
    it('is an error naming the folder, for reads and installs, not an empty listing', async () => {
      for (const argv of [
        ['registry', 'list', '--registry', 'nowhere'],
        ['registry', 'search', 'x', '--registry', 'nowhere'],
        ['install', 'users', '--registry', 'nowhere'],
      ]) {
        const run = await modu(argv, dir.root);
        expect(run.code, argv.join(' ')).to.equal(1);
        expect(run.stderr).to.include(`error MODU_CLI_REGISTRY_MISSING: No registry folder at ${dir.path('nowhere')}`);
      }
    });
  });

  describe('modu install --from-lock', () => {
    it('installs from the registry recorded in modu-lock.yaml when none is given', async () => {
      await writePlugin(dir.root, { name: 'auth', version: '2.1.0' });
      await modu(['registry', 'publish', 'auth-2.1.0', '--registry', 'shared'], dir.root);
      expect((await modu(['install', 'auth', '--registry', 'shared'], dir.root)).code).to.equal(0);
      await rename(dir.path('plugins'), dir.path('old-plugins'));
      const run = await modu(['install', '--from-lock', '--json'], dir.root);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(run.stdout).to.include('auth');
    });
  });
});
