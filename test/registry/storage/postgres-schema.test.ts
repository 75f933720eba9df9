import { expect } from 'chai';
import pg from 'pg';
import { PostgresStorage } from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type TestDatabase, testDatabase } from '../pg-test-database.js';

describe('PostgresStorage', function () {
  this.timeout(60_000);
  let database: TestDatabase | undefined;
  beforeEach(async function () {
    database = await testDatabase(this);
  });
  afterEach(() => database?.drop());

  const query = async <R extends pg.QueryResultRow>(sql: string): Promise<R[]> => {
    const client = new pg.Client({ connectionString: database?.url });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  };

  describe('migrate()', () => {
    describe('when five servers start on an empty database at once', () => {
      it('applies each migration exactly once and every server proceeds', async () => {
        const url = database?.url ?? '';
        const servers = Array.from(
          { length: 5 },
          () => new PostgresStorage(url, { pool: new pg.Pool({ connectionString: url }) }),
        );
        try {
          await Promise.all(servers.map((s) => s.migrate()));
          await Promise.all(servers.map((s, i) => s.createExclusive(`misc/${i}.txt`, Buffer.from('x'))));
        } finally {
          await Promise.all(servers.map((s) => s.pool.end()));
        }
        const rows = await query<{ version: number }>('SELECT version FROM modu_schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).to.deep.equal([1, 2]);
      });
    });

    describe('when the database was migrated by a newer Modu', () => {
      it('refuses with MODU_REGISTRY_DB_SCHEMA_NEWER naming the unknown migration', async () => {
        await new PostgresStorage(database?.url ?? '').migrate();
        await query("INSERT INTO modu_schema_migrations (version, name) VALUES (999, 'from the future')");
        const error = await rejection(new PostgresStorage(database?.url ?? '').migrate());
        expect(error.code).to.equal('MODU_REGISTRY_DB_SCHEMA_NEWER');
        expect(error.message).to.contain('999');
      });
    });
  });

  describe('published rows', () => {
    it('cannot be changed or deleted, even by hand', async () => {
      const storage = new PostgresStorage(database?.url ?? '');
      await storage.withLock('plugins/users', async () => {
        await (await storage.stage('plugins/users/archives/users-1.0.0.tgz', Buffer.from('tgz'))).commit();
        await (await storage.stage('plugins/users/versions/1.0.0.yaml', Buffer.from('record'))).commit({
          exclusive: true,
        });
      });
      for (const sql of ["UPDATE modu_versions SET record = 'x'", 'DELETE FROM modu_archives']) {
        const error = await query(sql).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(error?.message, sql).to.contain('published versions never change');
      }
    });

    it('never keeps an archive without its record: a failed transaction leaves neither', async () => {
      const storage = new PostgresStorage(database?.url ?? '');
      const failed = storage.withLock('plugins/users', async () => {
        await (await storage.stage('plugins/users/archives/users-1.0.0.tgz', Buffer.from('tgz'))).commit();
        throw new Error('publisher died between the archive and the record');
      });
      expect(
        await failed.then(
          () => '',
          (e: Error) => e.message,
        ),
      ).to.contain('publisher died');
      expect(await storage.list('plugins/users/archives')).to.deep.equal([]);
      const lone = await rejection(storage.replace('plugins/users/archives/users-1.0.0.tgz', Buffer.from('tgz')));
      expect(lone.code).to.equal('MODU_REGISTRY_DB_FAILED');
    });
  });

  describe('when the server cannot be reached', () => {
    it('fails with MODU_REGISTRY_DB_UNAVAILABLE and the address without its password', async () => {
      const storage = new PostgresStorage('postgres://modu:secret@127.0.0.1:1/none');
      const error = await rejection(storage.read('registry.yaml'));
      expect(error.code).to.equal('MODU_REGISTRY_DB_UNAVAILABLE');
      expect(error.message).to.contain('127.0.0.1:1').and.not.contain('secret');
    });
  });
});

describe('PostgresStorage.listenForRevisions()', function () {
  this.timeout(60_000);
  it('hears a channel revision when its transaction commits', async function () {
    const database = await testDatabase(this);
    try {
      const storage = new PostgresStorage(database.url);
      const heard: string[] = [];
      const stop = await storage.listenForRevisions((channel) => heard.push(channel));
      await storage.withLock('channels/prod', async () => {
        await storage.createExclusive('channels/prod/revisions/1.yaml', Buffer.from('x'));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(heard).to.deep.equal([]);
      });
      await storage.replace('channels/prod/hosts/a.yaml', Buffer.from('not a revision'));
      const end = Date.now() + 30_000;
      while (heard.length === 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
      await stop();
      expect(heard).to.deep.equal(['prod']);
    } finally {
      await database.drop();
    }
  });
});
