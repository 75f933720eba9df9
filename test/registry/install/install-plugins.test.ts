import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import {
  computeIntegrity,
  installFromLock,
  installPlugins,
  parseRequest,
  uninstallPlugin,
  writeTgz,
} from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type Scratch, scratch } from '../plugin-folder.js';
import { folderRegistry, signingKeyPair } from '../registry-fixture.js';

async function snapshot(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files[join(entry.parentPath, entry.name)] = await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

describe('installPlugins()', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch();
  });
  afterEach(() => dir.cleanup());

  async function seeded() {
    const fixture = folderRegistry(dir.path('reg'));
    await fixture.publish({ name: 'store', version: '1.0.0' });
    await fixture.publish({ name: 'store', version: '1.3.0' });
    await fixture.publish({ name: 'auth', version: '2.1.0', dependencies: { store: '^1.0.0' } });
    await fixture.publish({ name: 'audit', version: '1.0.0' });
    await fixture.publish({
      name: 'users',
      version: '1.4.0',
      dependencies: { auth: '^2.0.0' },
      optionalDependencies: { audit: '^1.0.0', metrics: '^1.0.0' },
    });
    return fixture;
  }

  describe('when a plugin has dependencies', () => {
    it('installs the whole closure, skips absent optional ones and writes modu-lock.yaml', async () => {
      const { registry } = await seeded();
      const plugins = dir.path('host', 'plugins');
      const result = await installPlugins([parseRequest('users@^1.0.0')], { registry, pluginsDir: plugins });
      expect(result.installed.map((p) => `${p.name}@${p.version}`).sort()).to.deep.equal([
        'audit@1.0.0',
        'auth@2.1.0',
        'store@1.3.0',
        'users@1.4.0',
      ]);
      expect((await readdir(plugins)).sort()).to.deep.equal(['audit', 'auth', 'store', 'users']);
      const lock = parse(await readFile(dir.path('host', 'modu-lock.yaml'), 'utf8'));
      expect(lock.plugins.users).to.include({ version: '1.4.0', requested: '^1.0.0' });
      expect(lock.plugins.store.integrity).to.match(/^sha512-/);
    });
  });

  describe('when two plugins need versions no single version satisfies', () => {
    it('fails with MODU_REGISTRY_DEPENDENCY_CONFLICT naming both', async () => {
      const fixture = await seeded();
      await fixture.publish({ name: 'billing', version: '1.0.0', dependencies: { store: '^2.0.0' } });
      await fixture.publish({ name: 'store', version: '2.0.0' });
      const error = await rejection(
        installPlugins([{ name: 'auth' }, { name: 'billing' }], {
          registry: fixture.registry,
          pluginsDir: dir.path('p'),
        }),
      );
      expect(error.code).to.equal('MODU_REGISTRY_DEPENDENCY_CONFLICT');
      expect(error.message).to.contain('store');
    });
  });

  describe('when an upgrade would break an installed dependent', () => {
    it('refuses it and leaves the plugins folder as it was', async () => {
      const fixture = await seeded();
      const plugins = dir.path('host', 'plugins');
      await installPlugins([{ name: 'auth' }], { registry: fixture.registry, pluginsDir: plugins });
      await fixture.publish({ name: 'store', version: '2.0.0' });
      const before = await snapshot(plugins);
      const error = await rejection(
        installPlugins([{ name: 'store', spec: '2.0.0' }], { registry: fixture.registry, pluginsDir: plugins }),
      );
      expect(error.code).to.equal('MODU_REGISTRY_DEPENDENCY_CONFLICT');
      expect(error.message).to.contain('auth@2.1.0 (installed)');
      expect(await snapshot(plugins)).to.deep.equal(before);
    });
  });

  describe('when modu-lock.yaml is damaged', () => {
    it('fails with MODU_REGISTRY_LOCKFILE_INVALID naming the field', async () => {
      const { registry } = await seeded();
      await writeFile(dir.path('modu-lock.yaml'), 'lockfileVersion: 1\nplugins:\n  store:\n    version: one\n');
      const error = await rejection(installFromLock({ registry, pluginsDir: dir.path('plugins') }));
      expect(error.code).to.equal('MODU_REGISTRY_LOCKFILE_INVALID');
      expect(error.message).to.contain('/plugins/store');
    });
  });

  describe('installFromLock()', () => {
    it('reproduces the locked versions even after newer ones are published', async () => {
      const fixture = await seeded();
      const plugins = dir.path('host', 'plugins');
      await installPlugins([{ name: 'auth' }], { registry: fixture.registry, pluginsDir: plugins });
      const before = await snapshot(plugins);
      await fixture.publish({ name: 'store', version: '1.4.0' });
      const result = await installFromLock({ registry: fixture.registry, pluginsDir: plugins });
      expect(result.installed.map((p) => `${p.name}@${p.version}`).sort()).to.deep.equal(['auth@2.1.0', 'store@1.3.0']);
      expect(await snapshot(plugins)).to.deep.equal(before);
    });
  });

  describe('when an archive changed after publish', () => {
    it('fails on integrity and installs nothing', async () => {
      const { registry } = await seeded();
      const archive = dir.path('reg', 'plugins', 'store', 'archives', 'store-1.3.0.tgz');
      const tampered = writeTgz([
        { path: 'plugin.yaml', data: Buffer.from('name: store\nversion: 1.3.0\nmain: index.js\nkernel: ^1.0.0\n') },
        { path: 'index.js', data: Buffer.from('process.exit(1)') },
      ]);
      await writeFile(archive, tampered);
      const plugins = dir.path('host', 'plugins');
      const error = await rejection(installPlugins([{ name: 'auth' }], { registry, pluginsDir: plugins }));
      expect(error.code).to.equal('MODU_REGISTRY_INTEGRITY_MISMATCH');
      expect(await readdir(plugins).catch(() => [])).to.deep.equal([]);
    });
  });

  describe('when an archive holds another version than its record', () => {
    it('fails with MODU_REGISTRY_ARCHIVE_WRONG_PLUGIN naming both and installs nothing', async () => {
      const { registry } = await seeded();
      const store = dir.path('reg', 'plugins', 'store');
      const older = await readFile(join(store, 'archives', 'store-1.0.0.tgz'));
      await writeFile(join(store, 'archives', 'store-1.3.0.tgz'), older);
      const record = join(store, 'versions', '1.3.0.yaml');
      const text = await readFile(record, 'utf8');
      await writeFile(record, text.replace(/sha512-[A-Za-z0-9+/=]+/, computeIntegrity(older)));
      const plugins = dir.path('host', 'plugins');
      const error = await rejection(
        installPlugins([{ name: 'store', spec: '1.3.0' }], { registry, pluginsDir: plugins }),
      );
      expect(error.code).to.equal('MODU_REGISTRY_ARCHIVE_WRONG_PLUGIN');
      expect(error.details).to.deep.equal({ what: 'store@1.3.0', found: 'store@1.0.0' });
      expect(await readdir(plugins).catch(() => [])).to.deep.equal([]);
    });
  });

  describe('when a new version turns out corrupt', () => {
    it('leaves the installed old version byte-identical', async () => {
      const fixture = await seeded();
      const plugins = dir.path('host', 'plugins');
      await installPlugins([{ name: 'store', spec: '1.0.0' }], { registry: fixture.registry, pluginsDir: plugins });
      const before = await snapshot(plugins);
      await writeFile(dir.path('reg', 'plugins', 'store', 'archives', 'store-1.3.0.tgz'), Buffer.from('garbage'));
      const error = await rejection(
        installPlugins([{ name: 'store', spec: '^1.3.0' }], { registry: fixture.registry, pluginsDir: plugins }),
      );
      expect(error.code).to.equal('MODU_REGISTRY_INTEGRITY_MISMATCH');
      expect(await snapshot(plugins)).to.deep.equal(before);
      expect(await readdir(plugins)).to.deep.equal(['store']);
    });
  });

  describe('when the host requires signatures', () => {
    it('installs a plugin signed by a trusted key and refuses unsigned or wrongly signed ones', async () => {
      const trusted = signingKeyPair();
      const stranger = signingKeyPair();
      const fixture = folderRegistry(dir.path('reg'));
      await fixture.publish({ name: 'signed', version: '1.0.0' }, { signingKey: trusted.privateKey });
      await fixture.publish({ name: 'unsigned', version: '1.0.0' });
      await fixture.publish({ name: 'stranger', version: '1.0.0' }, { signingKey: stranger.privateKey });
      const policy = {
        registry: fixture.registry,
        pluginsDir: dir.path('host', 'plugins'),
        requireSignatures: true,
        trustedKeys: [{ id: trusted.id, publicKey: trusted.publicKey }],
      };
      await installPlugins([{ name: 'signed' }], policy);
      expect((await rejection(installPlugins([{ name: 'unsigned' }], policy))).code).to.equal(
        'MODU_REGISTRY_SIGNATURE_MISSING',
      );
      expect((await rejection(installPlugins([{ name: 'stranger' }], policy))).code).to.equal(
        'MODU_REGISTRY_SIGNATURE_INVALID',
      );
    });

    it('refuses a signature that no longer matches the files', async () => {
      const trusted = signingKeyPair();
      const fixture = folderRegistry(dir.path('reg'));
      const good = await fixture.publish({ name: 'signed', version: '1.0.0' }, { signingKey: trusted.privateKey });
      const forged = await fixture.publish({ name: 'signed', version: '1.0.1', files: { 'evil.js': 'x' } });
      const recordFile = dir.path('reg', 'plugins', 'signed', 'versions', '1.0.1.yaml');
      const text = await readFile(recordFile, 'utf8');
      const signature = `signature:\n  algorithm: ed25519\n  keyId: ${good.signature?.keyId}\n  value: ${good.signature?.value}\n`;
      await writeFile(
        recordFile,
        text.replace(`integrity: ${forged.integrity}`, `${signature}integrity: ${forged.integrity}`),
      );
      const policy = {
        registry: fixture.registry,
        pluginsDir: dir.path('host', 'plugins'),
        requireSignatures: true,
        trustedKeys: [{ id: trusted.id, publicKey: trusted.publicKey }],
      };
      const error = await rejection(installPlugins([{ name: 'signed', spec: '1.0.1' }], policy));
      expect(error.code).to.equal('MODU_REGISTRY_SIGNATURE_INVALID');
    });
  });

  describe('uninstallPlugin()', () => {
    it('refuses to remove a plugin another installed plugin depends on, unless forced', async () => {
      const { registry } = await seeded();
      const plugins = dir.path('host', 'plugins');
      await installPlugins([{ name: 'auth' }], { registry, pluginsDir: plugins });
      const error = await rejection(uninstallPlugin('store', { pluginsDir: plugins }));
      expect(error.code).to.equal('MODU_REGISTRY_UNINSTALL_DEPENDENT');
      expect(error.details.dependents).to.deep.equal(['auth']);
      await uninstallPlugin('auth', { pluginsDir: plugins });
      await uninstallPlugin('store', { pluginsDir: plugins });
      expect(await readdir(plugins)).to.deep.equal([]);
      const lock = parse(await readFile(dir.path('host', 'modu-lock.yaml'), 'utf8'));
      expect(lock.plugins).to.deep.equal({});
    });

    it('rejects a hostile name before touching the plugins folder', async () => {
      const error = await rejection(uninstallPlugin('../host', { pluginsDir: dir.path('plugins') }));
      expect(error.code).to.equal('MODU_REGISTRY_NAME_INVALID');
    });
  });
});
