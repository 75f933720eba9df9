// The registry storage contract: written once, run against the folder and PostgreSQL backends. The
// storage primitives first, then the registry operations a user sees, on a LocalRegistry over each.
import { expect } from 'chai';
import {
  computeIntegrity,
  LocalRegistry,
  type LocalRegistryOptions,
  packPlugin,
  type RegistryStorage,
  type VersionRecord,
} from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type PluginSpec, type Scratch, scratch, writePlugin } from '../plugin-folder.js';
import { signingKeyPair } from '../registry-fixture.js';

/** A fresh, empty storage of one backend and how to remove it. */
export interface OpenedStorage {
  readonly storage: RegistryStorage;
  cleanup(): Promise<void>;
}

/** Opens a fresh storage; `context` lets a backend skip (or fail in CI) when its server is missing. */
export type OpenStorage = (context: Mocha.Context) => Promise<OpenedStorage>;

export function registryStorageContract(backend: string, open: OpenStorage): void {
  describe(`registry storage contract: ${backend}`, function () {
    this.timeout(60_000);
    let opened: OpenedStorage | undefined;
    let dir: Scratch;
    let storage: RegistryStorage;
    beforeEach(async function () {
      dir = await scratch('modu-contract-');
      opened = await open(this);
      storage = opened.storage;
    });
    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
      await dir.cleanup();
    });

    let n = 0;
    const registry = (options: LocalRegistryOptions = {}) => new LocalRegistry(storage, options);
    const archiveOf = async (spec: PluginSpec) =>
      (await packPlugin(await writePlugin(dir.path(`src-${n++}`), spec))).bytes;
    const publish = async (spec: PluginSpec, options = {}, reg = registry()): Promise<VersionRecord> =>
      reg.publish(await archiveOf(spec), options);

    describe('storage primitives', () => {
      it('creates a key exclusively once, reads it back, and reports a missing key as undefined', async () => {
        expect(await storage.read('misc/a.yaml')).to.equal(undefined);
        expect(await storage.createExclusive('misc/a.yaml', Buffer.from('one'))).to.equal(true);
        expect(await storage.createExclusive('misc/a.yaml', Buffer.from('two'))).to.equal(false);
        expect((await storage.read('misc/a.yaml'))?.toString()).to.equal('one');
        expect(await storage.list('misc')).to.deep.equal(['a.yaml']);
      });

      it('replaces a mutable key and streams it', async () => {
        await storage.replace('misc/b.yaml', Buffer.from('first'));
        await storage.replace('misc/b.yaml', Buffer.from('second'));
        const chunks: Buffer[] = [];
        for await (const chunk of (await storage.readStream('misc/b.yaml')) ?? []) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).toString()).to.equal('second');
        expect(await storage.readStream('misc/none.yaml')).to.equal(undefined);
      });

      it('appends whole lines to a log and reads them back in order', async () => {
        await Promise.all([1, 2, 3, 4, 5].map((i) => storage.append('audit.jsonl', JSON.stringify({ i }))));
        await storage.append('audit.jsonl', '{"i":6}\n');
        const lines = ((await storage.read('audit.jsonl'))?.toString() ?? '').trimEnd().split('\n');
        expect(lines.map((line) => (JSON.parse(line) as { i: number }).i).sort()).to.deep.equal([1, 2, 3, 4, 5, 6]);
        expect(lines[5]).to.equal('{"i":6}');
      });

      it('serialises read-change-write under withLock: 20 concurrent increments, none lost', async () => {
        const increment = () =>
          storage.withLock('counters', async () => {
            const value = Number((await storage.read('counters/c.txt'))?.toString() ?? '0');
            await new Promise((resolve) => setTimeout(resolve, 2));
            await storage.replace('counters/c.txt', Buffer.from(String(value + 1)));
          });
        await Promise.all(Array.from({ length: 20 }, increment));
        expect((await storage.read('counters/c.txt'))?.toString()).to.equal('20');
      });

      it('refuses keys that climb out of the registry with MODU_REGISTRY_KEY_INVALID', async () => {
        for (const key of ['../x', 'a/../../b', '/etc/passwd', 'a//b', 'a/./b']) {
          expect((await rejection(storage.read(key))).code, key).to.equal('MODU_REGISTRY_KEY_INVALID');
          expect((await rejection(storage.replace(key, Buffer.from('x')))).code, key).to.equal(
            'MODU_REGISTRY_KEY_INVALID',
          );
        }
      });
    });

    describe('publish()', () => {
      it('stores the record and the archive, byte for byte, and refuses the same version again', async () => {
        const bytes = await archiveOf({ name: 'users', version: '1.0.0' });
        const record = await registry().publish(bytes);
        expect(record.integrity).to.equal(computeIntegrity(bytes));
        expect((await registry().download('users', '1.0.0')).equals(bytes)).to.equal(true);
        const again = await rejection(publish({ name: 'users', version: '1.0.0', description: 'different' }));
        expect(again.code).to.equal('MODU_REGISTRY_VERSION_EXISTS');
        expect((await registry().version('users', '1.0.0')).integrity).to.equal(record.integrity);
        expect(await storage.list('plugins/users/versions')).to.deep.equal(['1.0.0.yaml']);
        expect(await storage.list('plugins/users/archives')).to.deep.equal(['users-1.0.0.tgz']);
      });

      it('lets exactly one of five concurrent publishers of one version win', async () => {
        const archives = await Promise.all(
          [1, 2, 3, 4, 5].map((i) => archiveOf({ name: 'users', version: '1.0.0', description: `copy ${i}` })),
        );
        const results = await Promise.allSettled(archives.map((bytes) => registry().publish(bytes)));
        expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
        for (const r of results)
          if (r.status === 'rejected') expect(r.reason.code).to.equal('MODU_REGISTRY_VERSION_EXISTS');
        const record = await registry().version('users', '1.0.0');
        expect(record.integrity).to.equal(computeIntegrity(await registry().download('users', '1.0.0')));
      });

      it('keeps every version of 40 concurrent publishes of distinct versions', async () => {
        const archives = await Promise.all(
          Array.from({ length: 40 }, (_, i) => archiveOf({ name: 'load', version: `1.${i}.0` })),
        );
        await Promise.all(archives.map((bytes) => registry().publish(bytes)));
        expect(await registry().versions('load')).to.have.length(40);
      });

      it('requires signatures when registry.yaml says so, and accepts a trusted key', async () => {
        const key = signingKeyPair();
        await storage.createExclusive(
          'registry.yaml',
          Buffer.from('formatVersion: 1\nsettings:\n  requireSignatures: true\n'),
        );
        expect(await registry().addTrustedKey(key.publicKey, 'release key')).to.equal(key.id);
        const unsigned = await rejection(publish({ name: 'users', version: '1.0.0' }));
        expect(unsigned.code).to.equal('MODU_REGISTRY_SIGNATURE_MISSING');
        const record = await publish({ name: 'users', version: '1.0.0' }, { signingKey: key.privateKey });
        expect(record.signature?.keyId).to.equal(key.id);
      });
    });

    describe('reads and state changes', () => {
      async function seeded(): Promise<LocalRegistry> {
        for (const version of ['1.0.0', '1.1.0', '1.2.0', '2.0.0-beta.1']) {
          await publish({ name: 'users', version, description: 'User accounts', keywords: ['accounts'] });
        }
        await publish({ name: 'auth', version: '2.1.0', description: 'Sessions and tokens' });
        await publish({ name: '@acme/billing', version: '0.1.0' });
        return registry();
      }

      it('lists (scoped names too), searches and shows info', async () => {
        const reg = await seeded();
        expect((await reg.list()).map((p) => p.name)).to.deep.equal(['@acme/billing', 'auth', 'users']);
        expect((await reg.search('accounts')).map((p) => p.name)).to.deep.equal(['users']);
        const info = await reg.info('users');
        expect(info.latest).to.equal('1.2.0');
        expect(info.versions.map((v) => v.version)).to.deep.equal(['1.0.0', '1.1.0', '1.2.0', '2.0.0-beta.1']);
        expect((await reg.download('@acme/billing', '0.1.0')).length).to.be.greaterThan(0);
      });

      it('resolves past deprecated and unpublished versions, and sees a new version at once', async () => {
        const reg = await seeded();
        expect((await reg.resolve('users', '^1.0.0')).version).to.equal('1.2.0');
        expect(await reg.deprecate('users', '1.2.0', 'broken')).to.deep.equal(['1.2.0']);
        expect((await reg.resolve('users', '^1.0.0')).version).to.equal('1.1.0');
        await reg.unpublish('users', '1.1.0');
        expect((await reg.resolve('users', '^1.0.0')).version).to.equal('1.0.0');
        expect((await rejection(reg.download('users', '1.1.0'))).code).to.equal('MODU_REGISTRY_VERSION_UNPUBLISHED');
        await publish({ name: 'users', version: '1.3.0' });
        expect((await reg.resolve('users', '^1.0.0')).version).to.equal('1.3.0');
      });

      it('adds and removes dist-tags, and a failed change leaves the state as it was', async () => {
        const reg = await seeded();
        await reg.addDistTag('users', 'beta', '2.0.0-beta.1');
        expect(await reg.distTags('users')).to.deep.equal({ latest: '1.2.0', beta: '2.0.0-beta.1' });
        expect((await rejection(reg.deprecate('users', '^9.0.0', 'x'))).code).to.equal('MODU_REGISTRY_NO_MATCH');
        expect((await rejection(reg.addDistTag('users', 'next', '9.9.9'))).code).to.equal(
          'MODU_REGISTRY_VERSION_NOT_FOUND',
        );
        await reg.removeDistTag('users', 'beta');
        expect(await reg.distTags('users')).to.deep.equal({ latest: '1.2.0' });
        expect((await reg.state('users')).deprecated).to.deep.equal({});
      });

      it('keeps every state change of concurrent writers (no lost update)', async () => {
        const reg = await seeded();
        const tags = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
        await Promise.all(tags.map((tag) => registry().addDistTag('users', `t-${tag}`, '1.0.0')));
        expect(Object.keys((await reg.state('users')).distTags).sort()).to.deep.equal(tags.map((t) => `t-${t}`));
      });

      it('refuses, even forced, to unpublish a version a published dependent needs', async () => {
        await publish({ name: 'auth', version: '2.1.0' });
        await publish({ name: 'users', version: '1.0.0', dependencies: { auth: '^2.0.0' } });
        const error = await rejection(registry().unpublish('auth', '2.1.0', { force: true }));
        expect(error.code).to.equal('MODU_REGISTRY_UNPUBLISH_REFUSED');
        expect(error.message).to.contain('users@1.0.0');
      });

      it('answers unknown plugins and versions with their codes', async () => {
        await seeded();
        expect((await rejection(registry().info('nobody'))).code).to.equal('MODU_REGISTRY_NOT_FOUND');
        expect((await rejection(registry().version('users', '9.0.0'))).code).to.equal(
          'MODU_REGISTRY_VERSION_NOT_FOUND',
        );
        expect((await rejection(registry().info('..'))).code).to.equal('MODU_REGISTRY_NAME_INVALID');
      });
    });
  });
}
