import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import { computeIntegrity, openLocalRegistry, packPlugin, REGISTRY_FORMAT_VERSION } from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type Scratch, scratch, writePlugin } from '../plugin-folder.js';
import { folderRegistry, signingKeyPair } from '../registry-fixture.js';

describe('LocalRegistry', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch();
  });
  afterEach(() => dir.cleanup());

  describe('publish()', () => {
    describe('when a version is new', () => {
      it('writes one version file, one archive and registry.yaml in the documented layout', async () => {
        const { publish } = folderRegistry(dir.path('reg'));
        const record = await publish({ name: 'users', version: '1.0.0' });
        expect(record.scan).to.deep.equal({ status: 'skipped', reason: 'no scanner configured for this registry' });
        expect(await readdir(dir.path('reg', 'plugins', 'users', 'versions'))).to.deep.equal(['1.0.0.yaml']);
        expect(await readdir(dir.path('reg', 'plugins', 'users', 'archives'))).to.deep.equal(['users-1.0.0.tgz']);
        expect(await readFile(dir.path('reg', 'registry.yaml'), 'utf8')).to.contain(
          `formatVersion: ${REGISTRY_FORMAT_VERSION}`,
        );
      });
    });

    describe('when the version was published before', () => {
      it('refuses with MODU_REGISTRY_VERSION_EXISTS and keeps the first archive', async () => {
        const { publish } = folderRegistry(dir.path('reg'));
        const first = await publish({ name: 'users', version: '1.0.0' });
        const error = await rejection(publish({ name: 'users', version: '1.0.0', description: 'different' }));
        expect(error.code).to.equal('MODU_REGISTRY_VERSION_EXISTS');
        const { registry } = folderRegistry(dir.path('reg'));
        expect((await registry.version('users', '1.0.0')).integrity).to.equal(first.integrity);
      });
    });

    describe('when several writers publish the same version at once', () => {
      it('lets exactly one win and keeps its archive with its record', async () => {
        const { registry } = folderRegistry(dir.path('reg'));
        const archives = await Promise.all(
          [1, 2, 3, 4, 5].map(
            async (n) =>
              (
                await packPlugin(
                  await writePlugin(dir.path(`src-${n}`), {
                    name: 'users',
                    version: '1.0.0',
                    description: `copy ${n}`,
                  }),
                )
              ).bytes,
          ),
        );
        const results = await Promise.allSettled(archives.map((bytes) => registry.publish(bytes)));
        const won = results.filter((r) => r.status === 'fulfilled');
        expect(won).to.have.length(1);
        for (const r of results)
          if (r.status === 'rejected') expect(r.reason.code).to.equal('MODU_REGISTRY_VERSION_EXISTS');
        const record = await registry.version('users', '1.0.0');
        expect(record.integrity).to.equal(computeIntegrity(await registry.download('users', '1.0.0')));
      });
    });

    describe('when a crashed publisher left an archive without its version file', () => {
      it('publishes over the orphan', async () => {
        const { registry } = folderRegistry(dir.path('reg'));
        await mkdir(dir.path('reg', 'plugins', 'users', 'archives'), { recursive: true });
        await writeFile(dir.path('reg', 'plugins', 'users', 'archives', 'users-1.0.0.tgz'), 'half-written');
        const packed = await packPlugin(await writePlugin(dir.path('src'), { name: 'users', version: '1.0.0' }));
        expect((await registry.publish(packed.bytes)).integrity).to.equal(packed.integrity);
        expect((await registry.download('users', '1.0.0')).equals(packed.bytes)).to.equal(true);
      });
    });

    describe('when a scanner is plugged in', () => {
      it('records its summary, and refuses a plugin with error findings', async () => {
        const findings = [
          { rule: 'eval', severity: 'error' as const, file: 'index.js', line: 1, column: 1, message: 'eval' },
        ];
        const clean = folderRegistry(dir.path('reg'), {
          scan: async () => ({ contentHash: 'h', files: 2, bytes: 10, findings: [], capabilities: [] }),
        });
        expect((await clean.publish({ name: 'users', version: '1.0.0' })).scan.status).to.equal('passed');
        const dirty = folderRegistry(dir.path('reg'), {
          scan: async () => ({ contentHash: 'h', files: 2, bytes: 10, findings, capabilities: [] }),
        });
        const error = await rejection(dirty.publish({ name: 'users', version: '1.0.1' }));
        expect(error.code).to.equal('MODU_REGISTRY_SCAN_FAILED');
        expect(error.message).to.contain('index.js:1:1');
      });
    });

    describe('when registry.yaml requires signatures', () => {
      it('refuses unsigned versions and accepts ones signed by a trusted key', async () => {
        const key = signingKeyPair();
        const { registry, publish } = folderRegistry(dir.path('reg'));
        const settings = 'formatVersion: 1\nsettings:\n  requireSignatures: true\n';
        await registry.storage.createExclusive('registry.yaml', Buffer.from(settings));
        expect(await registry.addTrustedKey(key.publicKey, 'release key')).to.equal(key.id);
        expect((await registry.config()).trustedKeys?.map((k) => k.name)).to.deep.equal(['release key']);
        expect((await rejection(publish({ name: 'users', version: '1.0.0' }))).code).to.equal(
          'MODU_REGISTRY_SIGNATURE_MISSING',
        );
        const other = signingKeyPair();
        const untrusted = await rejection(
          publish({ name: 'users', version: '1.0.0' }, { signingKey: other.privateKey }),
        );
        expect(untrusted.code).to.equal('MODU_REGISTRY_SIGNATURE_INVALID');
        const record = await publish({ name: 'users', version: '1.0.0' }, { signingKey: key.privateKey });
        expect(record.signature?.keyId).to.equal(key.id);
      });
    });

    describe('when a signing key is given', () => {
      it('records an ed25519 signature with the key id', async () => {
        const key = signingKeyPair();
        const { publish } = folderRegistry(dir.path('reg'));
        const record = await publish({ name: 'users', version: '1.0.0' }, { signingKey: key.privateKey });
        expect(record.signature).to.include({ algorithm: 'ed25519', keyId: key.id });
      });
    });
  });

  describe('reads', () => {
    async function seeded() {
      const { registry, publish } = folderRegistry(dir.path('reg'));
      for (const version of ['1.0.0', '1.1.0', '1.2.0', '2.0.0-beta.1']) {
        await publish({ name: 'users', version, description: 'User accounts', keywords: ['accounts'] });
      }
      await publish({ name: 'auth', version: '2.1.0', description: 'Sessions and tokens' });
      return registry;
    }

    it('lists, searches by name, description and keyword, and shows info', async () => {
      const registry = await seeded();
      expect((await registry.list()).map((p) => p.name)).to.deep.equal(['auth', 'users']);
      expect((await registry.search('accounts')).map((p) => p.name)).to.deep.equal(['users']);
      expect((await registry.search('tokens')).map((p) => p.name)).to.deep.equal(['auth']);
      const info = await registry.info('users');
      expect(info.latest).to.equal('1.2.0');
      expect(info.versions.map((v) => v.version)).to.deep.equal(['1.0.0', '1.1.0', '1.2.0', '2.0.0-beta.1']);
    });

    it('resolves ranges to the highest version neither deprecated nor unpublished', async () => {
      const registry = await seeded();
      expect((await registry.resolve('users', '^1.0.0')).version).to.equal('1.2.0');
      expect(await registry.deprecate('users', '1.2.0', 'broken')).to.deep.equal(['1.2.0']);
      expect((await registry.resolve('users', '^1.0.0')).version).to.equal('1.1.0');
      expect((await registry.resolve('users')).version).to.equal('1.1.0');
      await registry.unpublish('users', '1.1.0');
      expect((await registry.resolve('users', '^1.0.0')).version).to.equal('1.0.0');
      expect((await rejection(registry.download('users', '1.1.0'))).code).to.equal('MODU_REGISTRY_VERSION_UNPUBLISHED');
      expect((await rejection(registry.resolve('users', '^3.0.0'))).code).to.equal('MODU_REGISTRY_NO_MATCH');
      expect(await registry.versions('users')).to.deep.equal(['1.0.0', '1.2.0', '2.0.0-beta.1']);
    });

    it('sees a new version at once even after caching a settled version listing', async () => {
      const { registry, publish } = folderRegistry(dir.path('reg'));
      await publish({ name: 'store', version: '1.0.0' });
      const folder = dir.path('reg', 'plugins', 'store', 'versions');
      const old = new Date(Date.now() - 60_000);
      await utimes(folder, old, old);
      expect((await registry.resolve('store', '^1.0.0')).version).to.equal('1.0.0');
      expect((await registry.resolve('store', '^1.0.0')).version).to.equal('1.0.0');
      await publish({ name: 'store', version: '1.1.0' });
      expect((await registry.resolve('store', '^1.0.0')).version).to.equal('1.1.0');
    });

    it('adds and removes dist-tags, changing only state.yaml', async () => {
      const registry = await seeded();
      await registry.addDistTag('users', 'beta', '2.0.0-beta.1');
      expect((await registry.resolve('users', 'beta')).version).to.equal('2.0.0-beta.1');
      expect(await registry.distTags('users')).to.deep.equal({ latest: '1.2.0', beta: '2.0.0-beta.1' });
      await registry.removeDistTag('users', 'beta');
      expect((await rejection(registry.resolve('users', 'beta'))).code).to.equal('MODU_REGISTRY_NO_MATCH');
      expect((await rejection(registry.addDistTag('users', '^1', '1.0.0'))).code).to.equal(
        'MODU_REGISTRY_DIST_TAG_INVALID',
      );
      expect(await readdir(dir.path('reg', 'plugins', 'users'))).to.have.members([
        'versions',
        'archives',
        'state.yaml',
      ]);
    });
  });

  describe('unpublish()', () => {
    it('refuses past the time window unless forced', async () => {
      const later = new Date(Date.now() + 100 * 3_600_000);
      const { publish } = folderRegistry(dir.path('reg'));
      await publish({ name: 'users', version: '1.0.0' });
      await publish({ name: 'users', version: '1.0.1' });
      const { registry } = folderRegistry(dir.path('reg'), { now: () => later });
      expect((await rejection(registry.unpublish('users', '1.0.0'))).code).to.equal('MODU_REGISTRY_UNPUBLISH_REFUSED');
      await registry.unpublish('users', '1.0.0', { force: true });
      expect(await registry.versions('users')).to.deep.equal(['1.0.1']);
    });

    it('refuses, even forced, when a published dependent needs the version', async () => {
      const { registry, publish } = folderRegistry(dir.path('reg'));
      await publish({ name: 'auth', version: '2.1.0' });
      await publish({ name: 'users', version: '1.0.0', dependencies: { auth: '^2.0.0' } });
      const error = await rejection(registry.unpublish('auth', '2.1.0', { force: true }));
      expect(error.code).to.equal('MODU_REGISTRY_UNPUBLISH_REFUSED');
      expect(error.message).to.contain('users@1.0.0');
    });
  });

  describe('when a name is hostile', () => {
    for (const name of ['..', 'a/../b', '/etc/passwd', 'Users', 'node_modules', 'favicon.ico', '.x', '@scope/../x']) {
      it(`rejects ${JSON.stringify(name)} with MODU_REGISTRY_NAME_INVALID and touches nothing`, async () => {
        const { registry } = folderRegistry(dir.path('reg'));
        expect((await rejection(registry.info(name))).code).to.equal('MODU_REGISTRY_NAME_INVALID');
        expect((await rejection(registry.deprecate(name, '*', 'x'))).code).to.equal('MODU_REGISTRY_NAME_INVALID');
        expect(await readdir(dir.root)).to.deep.equal([]);
      });
    }
  });

  describe('openLocalRegistry()', () => {
    it('refuses a registry written in a newer format', async () => {
      const { publish } = folderRegistry(dir.path('reg'));
      await publish({ name: 'users', version: '1.0.0' });
      await writeFile(dir.path('reg', 'registry.yaml'), 'formatVersion: 2\n');
      expect((await rejection(openLocalRegistry(dir.path('reg')))).code).to.equal('MODU_REGISTRY_FORMAT_UNSUPPORTED');
    });

    it('reports a damaged version file by name', async () => {
      const { publish } = folderRegistry(dir.path('reg'));
      await publish({ name: 'users', version: '1.0.0' });
      await writeFile(dir.path('reg', 'plugins', 'users', 'versions', '1.0.0.yaml'), 'name: users\n');
      const registry = await openLocalRegistry(dir.path('reg'));
      const error = await rejection(registry.version('users', '1.0.0'));
      expect(error.code).to.equal('MODU_REGISTRY_FILE_INVALID');
      expect(error.message).to.contain('1.0.0.yaml');
    });

    it('publishes the bytes packPlugin made, unchanged', async () => {
      const registry = await openLocalRegistry(dir.path('reg'));
      const packed = await packPlugin(await writePlugin(dir.path('src'), { name: 'users', version: '1.0.0' }));
      const record = await registry.publish(packed.bytes);
      expect(record.integrity).to.equal(packed.integrity);
      expect((await registry.download('users', '1.0.0')).equals(packed.bytes)).to.equal(true);
    });
  });
});
