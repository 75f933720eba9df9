import { access, readdir } from 'node:fs/promises';
import { expect } from 'chai';
import type { CliIO } from '../../../cli/cli-io.js';
import { runCli } from '../../../cli/main.js';
import { type Scratch, scratch, writePlugin } from '../plugin-folder.js';

function captured(cwd: string, env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    cwd,
    env,
  };
  return { io, out };
}

describe('modu pack, registry, install and uninstall', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch();
  });
  afterEach(() => dir.cleanup());

  async function modu(...argv: string[]) {
    const { io, out } = captured(dir.root);
    const code = await runCli(argv, io);
    return { code, ...out };
  }

  describe('modu pack', () => {
    it('writes <name>-<version>.tgz and prints its integrity as JSON', async () => {
      await writePlugin(dir.root, { name: 'users', version: '1.0.0' });
      const result = await modu('pack', 'users-1.0.0', '--out', '.', '--json');
      expect(result.code).to.equal(0);
      const json = JSON.parse(result.stdout) as { integrity: string; fileName: string };
      expect(json.fileName).to.equal('users-1.0.0.tgz');
      expect(json.integrity).to.match(/^sha512-/);
      await access(dir.path('users-1.0.0.tgz'));
    });
  });

  describe('modu registry on the default folder', () => {
    it('publishes, reads, tags, deprecates and unpublishes, creating .modu/registry on first write', async () => {
      await writePlugin(dir.root, { name: 'users', version: '1.0.0', description: 'User accounts' });
      await writePlugin(dir.root, { name: 'users', version: '1.1.0', description: 'User accounts' });
      expect((await modu('registry', 'publish', 'users-1.0.0')).code).to.equal(0);
      await modu('pack', 'users-1.1.0');
      const published = await modu('registry', 'publish', 'users-1.1.0.tgz');
      expect(published.stdout).to.contain('published users@1.1.0');
      expect(await readdir(dir.path('.modu', 'registry', 'plugins', 'users', 'versions'))).to.have.length(2);
      const list = JSON.parse((await modu('registry', 'list', '--json')).stdout) as { name: string; latest: string }[];
      expect(list).to.deep.equal([{ name: 'users', latest: '1.1.0', description: 'User accounts' }]);
      expect((await modu('registry', 'search', 'accounts')).stdout).to.contain('users@1.1.0');
      expect((await modu('registry', 'dist-tag', 'add', 'users', 'stable', '1.0.0')).code).to.equal(0);
      expect(JSON.parse((await modu('registry', 'dist-tag', 'ls', 'users', '--json')).stdout)).to.deep.equal({
        latest: '1.1.0',
        stable: '1.0.0',
      });
      expect((await modu('registry', 'deprecate', 'users', '1.1.0', 'use 1.0.0')).stdout).to.contain(
        'deprecated users@1.1.0',
      );
      expect((await modu('registry', 'unpublish', 'users', '1.1.0')).code).to.equal(0);
      expect((await modu('registry', 'info', 'users')).stdout).to.contain('1.1.0  (unpublished)');
    });

    it('fails with the code and the fix when a version is published twice', async () => {
      await writePlugin(dir.root, { name: 'users', version: '1.0.0' });
      await modu('registry', 'publish', 'users-1.0.0');
      const again = await modu('registry', 'publish', 'users-1.0.0');
      expect(again.code).to.equal(1);
      expect(again.stderr).to.match(/^error MODU_REGISTRY_VERSION_EXISTS: users@1.0.0/);
      expect(again.stderr).to.contain('hint: Published versions are immutable');
    });
  });

  describe('modu install and uninstall', () => {
    it('installs with dependencies, refuses to break a dependent, and exits 2 on a usage error', async () => {
      await writePlugin(dir.root, { name: 'store', version: '1.0.0' });
      await writePlugin(dir.root, { name: 'auth', version: '2.0.0', dependencies: { store: '^1.0.0' } });
      await modu('registry', 'publish', 'store-1.0.0');
      await modu('registry', 'publish', 'auth-2.0.0');
      const installed = await modu('install', 'auth@^2.0.0', '--plugins', 'host/plugins');
      expect(installed.code).to.equal(0);
      expect(installed.stdout).to.contain('installed store@1.0.0');
      await access(dir.path('host', 'modu-lock.yaml'));
      const refused = await modu('uninstall', 'store', '--plugins', 'host/plugins');
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.contain('MODU_REGISTRY_UNINSTALL_DEPENDENT');
      expect((await modu('uninstall', 'store', '--plugins', 'host/plugins', '--force')).code).to.equal(0);
      expect(await readdir(dir.path('host', 'plugins'))).to.deep.equal(['auth']);
      expect((await modu('install', 'store', '--plugins', 'host/plugins')).code).to.equal(0);
      expect((await modu('install', '--plugins', 'host/plugins', '--from-lock')).code).to.equal(0);
      expect((await readdir(dir.path('host', 'plugins'))).sort()).to.deep.equal(['auth', 'store']);
      expect((await modu('install')).code).to.equal(2);
    });
  });

  describe('modu registry serve', () => {
    it('serves the folder over HTTP for the same commands until SIGTERM', async () => {
      await writePlugin(dir.root, { name: 'users', version: '1.0.0' });
      const { io, out } = captured(dir.root, { MODU_REGISTRY_TOKEN: 'tok' });
      const serving = runCli(['registry', 'serve', '--port', '0', '--adapter', 'koa'], io);
      while (!out.stdout.includes('serving')) await new Promise((r) => setTimeout(r, 10));
      const url = /on (http:\S+)/.exec(out.stdout)?.[1] ?? '';
      expect((await modu('registry', 'publish', 'users-1.0.0', '--registry', url)).code).to.equal(1);
      expect((await modu('registry', 'publish', 'users-1.0.0', '--registry', url, '--token', 'tok')).code).to.equal(0);
      expect((await modu('registry', 'info', 'users', '--registry', url)).stdout).to.contain('1.0.0');
      process.emit('SIGTERM');
      expect(await serving).to.equal(0);
      expect(out.stdout).to.contain('stopped');
    });
  });
});
