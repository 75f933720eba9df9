import { writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import pg from 'pg';
import type { CliIO } from '../../../cli/cli-io.js';
import { runCli } from '../../../cli/main.js';
import { migrateRegistry, openLocalRegistry } from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type TestDatabase, testDatabase } from '../pg-test-database.js';
import { type Scratch, scratch } from '../plugin-folder.js';
import { signingKeyPair } from '../registry-fixture.js';
import { generateFolderRegistry, tinyArchive } from './generate-folder-registry.js';

describe('migrateRegistry()', function () {
  this.timeout(180_000);
  let dir: Scratch;
  let database: TestDatabase | undefined;
  beforeEach(async function () {
    dir = await scratch('modu-migrate-');
    database = await testDatabase(this);
  });
  afterEach(async () => {
    await database?.drop();
    await dir.cleanup();
  });

  describe('when a folder registry holds 1,000 versions, some signed, with tags and deprecations', () => {
    it('copies every version verified, then a rerun copies nothing', async () => {
      const key = signingKeyPair();
      await generateFolderRegistry(dir.path('reg'), 10, 100, { privateKey: key.privateKey, signEvery: 10 });
      const source = await openLocalRegistry(dir.path('reg'));
      await source.addTrustedKey(key.publicKey, 'release');
      await source.addDistTag('gen-3', 'stable', '1.42.0');
      await source.deprecate('gen-4', '1.7.0', 'use 1.8.0');
      const target = await openLocalRegistry(database?.url ?? '');
      const first = await migrateRegistry(source, target);
      expect(first).to.include({ plugins: 10, copied: 1000, present: 0 });
      const client = new pg.Client({ connectionString: database?.url });
      await client.connect();
      const counts = await client.query<{ v: string; a: string }>(
        'SELECT (SELECT count(*) FROM modu_versions) AS v, (SELECT count(*) FROM modu_archives) AS a',
      );
      await client.end();
      expect(counts.rows[0]).to.deep.equal({ v: '1000', a: '1000' });
      for (const name of ['gen-0', 'gen-9']) {
        for (const version of ['1.0.0', '1.55.0', '1.99.0']) {
          const record = await target.version(name, version);
          expect(record).to.deep.equal(await source.version(name, version));
          expect((await target.download(name, version)).equals(await source.download(name, version))).to.equal(true);
        }
      }
      expect((await target.config()).trustedKeys?.map((k) => k.id)).to.deep.equal([key.id]);
      expect((await target.distTags('gen-3')).stable).to.equal('1.42.0');
      expect((await target.state('gen-4')).deprecated).to.deep.equal({ '1.7.0': 'use 1.8.0' });
      const again = await migrateRegistry(source, target);
      expect(again).to.include({ copied: 0, present: 1000 });
    });
  });

  describe('when an archive was altered after it was published', () => {
    it('stops with MODU_REGISTRY_INTEGRITY_MISMATCH naming the version', async () => {
      await generateFolderRegistry(dir.path('reg'), 1, 3);
      await writeFile(
        dir.path('reg', 'plugins', 'gen-0', 'archives', 'gen-0-1.1.0.tgz'),
        tinyArchive('gen-0', '1.1.0', 'evil();\n'),
      );
      const error = await rejection(
        migrateRegistry(await openLocalRegistry(dir.path('reg')), await openLocalRegistry(database?.url ?? '')),
      );
      expect(error.code).to.equal('MODU_REGISTRY_INTEGRITY_MISMATCH');
      expect(error.message).to.contain('gen-0@1.1.0');
    });
  });

  describe('when a signature does not match its files', () => {
    it('stops with MODU_REGISTRY_SIGNATURE_INVALID', async () => {
      const key = signingKeyPair();
      const other = signingKeyPair();
      await generateFolderRegistry(dir.path('reg'), 1, 2, { privateKey: other.privateKey, signEvery: 1 });
      const source = await openLocalRegistry(dir.path('reg'));
      // The registry trusts `key` under the id of `other`: the signatures cannot verify.
      await writeFile(
        dir.path('reg', 'registry.yaml'),
        `formatVersion: 1\ntrustedKeys:\n  - id: ${other.id}\n    publicKey: ${JSON.stringify(key.publicKey)}\n`,
      );
      const error = await rejection(migrateRegistry(source, await openLocalRegistry(database?.url ?? '')));
      expect(error.code).to.equal('MODU_REGISTRY_SIGNATURE_INVALID');
    });
  });

  describe('when the target holds the same version with other bytes', () => {
    it('stops with MODU_REGISTRY_MIGRATE_CONFLICT', async () => {
      await generateFolderRegistry(dir.path('reg'), 1, 2);
      const target = await openLocalRegistry(database?.url ?? '');
      await target.publish(tinyArchive('gen-0', '1.1.0', 'export default "other";\n'));
      const error = await rejection(migrateRegistry(await openLocalRegistry(dir.path('reg')), target));
      expect(error.code).to.equal('MODU_REGISTRY_MIGRATE_CONFLICT');
      expect(error.message).to.contain('gen-0@1.1.0');
    });
  });

  describe('when the folder registry has an audit log', () => {
    it('copies each entry once: a rerun appends nothing, a later entry alone is appended', async () => {
      await generateFolderRegistry(dir.path('reg'), 1, 2);
      const source = await openLocalRegistry(dir.path('reg'));
      const entry = (n: number) =>
        JSON.stringify({ time: `2026-01-0${n}T00:00:00.000Z`, actor: 'ci', action: 'publish' });
      for (const n of [1, 2, 2]) await source.storage.append('audit.jsonl', entry(n));
      const target = await openLocalRegistry(database?.url ?? '');
      const auditRows = async () => {
        const client = new pg.Client({ connectionString: database?.url });
        await client.connect();
        const rows = await client.query<{ entry: string }>(
          "SELECT entry FROM modu_audit WHERE log = 'audit.jsonl' ORDER BY id",
        );
        await client.end();
        return rows.rows.map((r) => r.entry);
      };
      expect((await migrateRegistry(source, target)).audit).to.equal(3);
      expect((await migrateRegistry(source, target)).audit).to.equal(0);
      expect(await auditRows()).to.deep.equal([entry(1), entry(2), entry(2)]);
      await source.storage.append('audit.jsonl', entry(3));
      expect((await migrateRegistry(source, target)).audit).to.equal(1);
      expect(await auditRows()).to.deep.equal([entry(1), entry(2), entry(2), entry(3)]);
    });
  });

  describe('modu registry migrate --from <dir> --to postgres://', () => {
    it('prints what it copied, as text and as JSON', async () => {
      await generateFolderRegistry(dir.path('reg'), 2, 3);
      let stdout = '';
      const io: CliIO = {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => true },
        cwd: dir.root,
        env: {},
      };
      expect(await runCli(['registry', 'migrate', '--from', 'reg', '--to', database?.url ?? ''], io)).to.equal(0);
      expect(stdout).to.contain('2 plugins, 6 versions copied, 0 already there, 0 audit entries');
      stdout = '';
      expect(
        await runCli(['registry', 'migrate', '--from', 'reg', '--to', database?.url ?? '', '--json'], io),
      ).to.equal(0);
      expect(JSON.parse(stdout)).to.include({ plugins: 2, copied: 0, present: 6, audit: 0 });
    });
  });
});
