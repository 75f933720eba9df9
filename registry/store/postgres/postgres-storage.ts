import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { ModuError } from '../../../kernel/index.js';
import type { RegistryStorage, StagedWrite } from '../registry-storage.js';
import { databaseError } from './database-error.js';
import { readKey, writeKey } from './key-queries.js';
import { listKeys } from './list-keys.js';
import { migrateSchema } from './migrate-schema.js';
import { redactPostgresUrl } from './postgres-address.js';
import { sharedPool } from './shared-pool.js';
import type { SqlClient } from './sql-client.js';
import { isSafeKey, parseStorageKey, type StorageKey, splitPluginKey } from './storage-key.js';

/** How long a writer waits for another's lock before `MODU_REGISTRY_LOCK_TIMEOUT`. */
const LOCK_WAIT = '30s';

function checkedKey(key: string): StorageKey {
  if (!isSafeKey(key)) {
    throw new ModuError('MODU_REGISTRY_KEY_INVALID', `Registry key ${JSON.stringify(key)} is not allowed.`, {
      details: { key },
    });
  }
  return parseStorageKey(key);
}

/**
 * The PostgreSQL implementation of {@link RegistryStorage}. Version records, archives and plugin state
 * live in their own tables (a version exists once, by its primary key); `withLock` is a transaction
 * holding an advisory lock, and every read and write inside it runs in that transaction, so a publish
 * (archive, record, state) commits whole or not at all. The schema is migrated on first use.
 */
export class PostgresStorage implements RegistryStorage {
  readonly location: string;
  readonly pool: pg.Pool;
  private readonly transaction = new AsyncLocalStorage<pg.PoolClient>();
  private ready: Promise<void> | undefined;

  constructor(address: string, options: { readonly pool?: pg.Pool } = {}) {
    this.location = redactPostgresUrl(address);
    this.pool = options.pool ?? sharedPool(address);
  }

  /** Creates or migrates the schema (once per instance; concurrent servers serialise on an advisory lock). */
  migrate(): Promise<void> {
    this.ready ??= migrateSchema(this.pool, this.location).then(
      () => undefined,
      (error: unknown) => {
        this.ready = undefined;
        throw databaseError(error, this.location, 'migrating the registry schema');
      },
    );
    return this.ready;
  }

  /** Runs `fn` on the current transaction's client, else on the pool, with errors wrapped. */
  async run<T>(what: string, fn: (db: SqlClient) => Promise<T>): Promise<T> {
    await this.migrate();
    try {
      return await fn(this.transaction.getStore() ?? this.pool);
    } catch (error) {
      throw databaseError(error, this.location, what);
    }
  }

  async read(key: string): Promise<Buffer | undefined> {
    const parsed = checkedKey(key);
    return this.run(`reading ${key}`, (db) => readKey(db, parsed));
  }

  async readStream(key: string): Promise<Readable | undefined> {
    const bytes = await this.read(key);
    return bytes === undefined ? undefined : Readable.from([bytes]);
  }

  async list(prefix: string): Promise<string[]> {
    if (prefix !== '') checkedKey(prefix);
    return this.run(`listing ${prefix}`, (db) => listKeys(db, prefix));
  }

  async listToken(prefix: string): Promise<string | undefined> {
    const split = splitPluginKey(prefix);
    if (split === undefined || split.rest.length !== 1 || split.rest[0] !== 'versions') return undefined;
    // Versions are only ever added (a trigger refuses deletes), so their count changes with every listing change.
    const sql = 'SELECT count(*)::text AS n FROM modu_versions WHERE plugin = $1';
    const rows = await this.run('counting versions', (db) => db.query<{ n: string }>(sql, [split.plugin]));
    return `n${rows.rows[0]?.n ?? '0'}`;
  }

  async stage(key: string, data: Uint8Array): Promise<StagedWrite> {
    const parsed = checkedKey(key);
    return {
      commit: (options = {}) =>
        this.run(`writing ${key}`, (db) => writeKey(db, parsed, data, options.exclusive === true)),
      sync: () => Promise.resolve(),
      discard: () => Promise.resolve(),
    };
  }

  async createExclusive(key: string, data: Uint8Array): Promise<boolean> {
    const parsed = checkedKey(key);
    return this.run(`creating ${key}`, (db) => writeKey(db, parsed, data, true));
  }

  async replace(key: string, data: Uint8Array): Promise<void> {
    const parsed = checkedKey(key);
    await this.run(`writing ${key}`, (db) => writeKey(db, parsed, data, false));
  }

  async append(key: string, line: string): Promise<void> {
    checkedKey(key);
    const entry = line.endsWith('\n') ? line.slice(0, -1) : line;
    await this.run(`appending to ${key}`, (db) =>
      db.query('INSERT INTO modu_audit (log, entry) VALUES ($1, $2)', [key, entry]),
    );
  }

  /**
   * Calls `onRevision(channel)` whenever a channel revision is committed (LISTEN on one dedicated
   * connection). Resolves to the function that stops listening.
   */
  async listenForRevisions(onRevision: (channel: string) => void): Promise<() => Promise<void>> {
    await this.migrate();
    const client = await this.pool.connect().catch((error: unknown) => {
      throw databaseError(error, this.location, 'connecting');
    });
    // A broken connection only ends the notifications; callers also poll.
    client.on('error', () => undefined);
    client.on('notification', (message) => onRevision(message.payload ?? ''));
    await client.query('LISTEN modu_channels');
    return async () => {
      client.removeAllListeners('notification');
      client.release(true);
    };
  }

  /** A transaction holding the advisory lock of `scope`; nested calls join the open transaction. */
  async withLock<T>(scope: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = `modu:${scope}`;
    const lock = (db: SqlClient) => db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey]);
    if (this.transaction.getStore() !== undefined) {
      await this.run(`locking ${scope}`, lock);
      return fn();
    }
    await this.migrate();
    const client = await this.pool.connect().catch((error: unknown) => {
      throw databaseError(error, this.location, 'connecting');
    });
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`);
      await lock(client);
      const result = await this.transaction.run(client, fn);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      throw this.lockError(error, scope);
    } finally {
      client.release(broken);
    }
  }

  private lockError(error: unknown, scope: string): unknown {
    if ((error as { code?: unknown }).code !== '55P03')
      return databaseError(error, this.location, `a write under ${scope}`);
    return new ModuError('MODU_REGISTRY_LOCK_TIMEOUT', `${this.location} ${scope} is locked by another writer.`, {
      details: { scope },
      cause: error,
    });
  }
}
