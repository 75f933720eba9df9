import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { type Discovery, discoverPlugins } from '../../../kernel/index.js';
import { scanIndexFile } from '../../../kernel/scanner/scan-index.js';
import { pluginManifest as manifest, pluginsFolder, removeScratch, writePlugin } from '../../helpers/fixtures.js';
import { rejection } from '../../helpers/rejection.js';

describe('discoverPlugins()', () => {
  after(removeScratch);

  describe('when a folder holds plugins and other folders', () => {
    it('returns each plugin with its folder listing, and reports every other folder with its reason', async () => {
      const root = await pluginsFolder();
      await writePlugin(root, 'users', { 'plugin.yaml': manifest('users'), 'index.js': '', 'lib/util.js': '' });
      await writePlugin(root, '@acme/audit', { 'plugin.yaml': manifest('audit'), 'index.js': '' });
      await writePlugin(root, 'notes', { 'README.md': 'not a plugin' });
      await writePlugin(root, 'users-copy', { 'plugin.yaml': manifest('users'), 'index.js': '' });
      await writePlugin(root, 'broken', { 'plugin.yaml': 'name: broken\nversion: one\n', 'index.js': '' });
      await writePlugin(root, 'headless', { 'plugin.yaml': manifest('headless') });
      const { packages, problems } = await discoverPlugins([root]);

      expect(packages.map((p) => p.manifest.name)).to.deep.equal(['audit', 'users']);
      const users = packages.find((p) => p.manifest.name === 'users');
      expect(users?.entry).to.equal(join(root, 'users', 'index.js'));
      expect(users?.listing?.entries.map((e) => e.path)).to.deep.equal(['index.js', 'lib/util.js', 'plugin.yaml']);
      const codes = Object.fromEntries(problems.map((p) => [p.folder.slice(root.length + 1), p.error.code]));
      expect(codes).to.deep.equal({
        broken: 'MODU_MANIFEST_INVALID',
        'users-copy': 'MODU_DISCOVERY_DUPLICATE_NAME',
        headless: 'MODU_MANIFEST_MAIN_MISSING',
        notes: 'MODU_DISCOVERY_NOT_A_PLUGIN',
      });
    });

    it('hands onPackage each valid package once, the first of its name, in folder order, before it resolves', async () => {
      const root = await pluginsFolder();
      await writePlugin(root, 'a-users', { 'plugin.yaml': manifest('users'), 'index.js': '' });
      await writePlugin(root, 'b-broken', { 'plugin.yaml': 'name: broken\nversion: one\n', 'index.js': '' });
      await writePlugin(root, 'c-users-copy', { 'plugin.yaml': manifest('users'), 'index.js': '' });
      await writePlugin(root, 'd-notes', { 'README.md': 'not a plugin' });
      for (let i = 0; i < 100; i++) {
        const name = `e-${String(i).padStart(3, '0')}`;
        await writePlugin(root, name, { 'plugin.yaml': manifest(name), 'index.js': '' });
      }
      const handed: string[] = [];
      const { packages } = await discoverPlugins([root], { onPackage: (pkg) => handed.push(pkg.root) });

      expect(handed).to.deep.equal(packages.map((pkg) => pkg.root));
      expect(handed[0]).to.equal(join(root, 'a-users'));
      expect(handed).to.have.length(101);
    });

    it('fails with MODU_DISCOVERY_ROOT_MISSING when the folder itself is missing', async () => {
      const root = join(await pluginsFolder(), 'nowhere');
      const error = await rejection(discoverPlugins([root]));
      expect(error.code).to.equal('MODU_DISCOVERY_ROOT_MISSING');
      expect(error.message).to.contain(root);
    });
  });

  describe('when given a cache folder', () => {
    const kernel = new URL('../../../kernel/index.js', import.meta.url).href;
    /** Discovers in a fresh process, as a restarted host does; it ends once the cache is written. */
    async function discoverInChild(root: string, cacheDir: string): Promise<Discovery> {
      const script = [
        `const { discoverPlugins } = await import(${JSON.stringify(kernel)});`,
        `const found = await discoverPlugins([${JSON.stringify(root)}], { cacheDir: ${JSON.stringify(cacheDir)} });`,
        'console.log(JSON.stringify(found));',
      ].join('\n');
      const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
      return JSON.parse(run.stdout) as Discovery;
    }

    it('takes a manifest unchanged since it was validated from the cache, and reads it again once it changes', async () => {
      const root = await pluginsFolder();
      const users = await writePlugin(root, 'users', { 'plugin.yaml': manifest('users'), 'index.js': '' });
      const cacheDir = join(root, '.cache');
      await mkdir(cacheDir);
      // A file is remembered only once it has not changed for 2 s (file times have a coarse clock).
      await new Promise((resolveWait) => setTimeout(resolveWait, 2_100));
      const first = await discoverInChild(root, cacheDir);
      expect(first.packages.map((p) => p.manifest.version)).to.deep.equal(['1.0.0']);

      // Change the cached manifest: only a discovery that does not read the file can return it.
      const file = scanIndexFile(cacheDir, users);
      const index = JSON.parse(await readFile(file, 'utf8'));
      const keys = Object.keys(index.derived).filter((key) => key.startsWith('manifest:'));
      expect(keys).to.have.length(1);
      index.derived[keys[0] as string].version = '9.9.9';
      await writeFile(file, JSON.stringify(index));
      const cached = await discoverInChild(root, cacheDir);
      expect(cached.packages.map((p) => p.manifest.version)).to.deep.equal(['9.9.9']);

      // Writing the file, even with the same text, gives it a new identity: it is read and validated again.
      await writeFile(join(users, 'plugin.yaml'), manifest('users'));
      const reread = await discoverInChild(root, cacheDir);
      expect(reread.packages.map((p) => p.manifest.version)).to.deep.equal(['1.0.0']);
    });

    it('reports an invalid manifest on every run, never from the cache', async () => {
      const root = await pluginsFolder();
      await writePlugin(root, 'broken', { 'plugin.yaml': 'name: broken\nversion: one\n', 'index.js': '' });
      const cacheDir = join(root, '.cache');
      for (let run = 0; run < 2; run++) {
        const { problems } = await discoverPlugins([root], { cacheDir });
        expect(problems.map((p) => p.error.code)).to.deep.equal(['MODU_MANIFEST_INVALID']);
      }
    });
  });
});
