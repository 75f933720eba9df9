import type { Pool, PoolClient } from 'pg';
import { ModuError } from '../../../kernel/index.js';
import { type SchemaMigration, schemaMigrations } from './schema-migrations.js';

/** The advisory lock every Modu server takes to migrate: one migrates, the others wait, then find nothing to do. */
const MIGRATION_LOCK = 0x6d6f6475;

async function applied(client: PoolClient): Promise<Set<number>> {
  await client.query(`CREATE TABLE IF NOT EXISTS modu_schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await client.query<{ version: number }>('SELECT version FROM modu_schema_migrations');
  return new Set(rows.map((row) => row.version));
}

async function apply(client: PoolClient, migration: SchemaMigration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query('INSERT INTO modu_schema_migrations (version, name) VALUES ($1, $2)', [
      migration.version,
      migration.name,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/**
 * Brings the database to this Modu's schema: under a session advisory lock, each missing migration in
 * its own transaction, recorded in `modu_schema_migrations`. Safe when several servers start at once.
 * Resolves to the versions it applied.
 *
 * @throws ModuError `MODU_REGISTRY_DB_SCHEMA_NEWER`
 */
export async function migrateSchema(pool: Pool, location: string): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const done = await applied(client);
      const known = new Set(schemaMigrations.map((m) => m.version));
      const unknown = [...done].filter((v) => !known.has(v));
      if (unknown.length > 0) {
        throw new ModuError(
          'MODU_REGISTRY_DB_SCHEMA_NEWER',
          `The registry database ${location} has schema migrations ${unknown.join(', ')} that this Modu does not know.`,
          { details: { unknown } },
        );
      }
      const missing = schemaMigrations.filter((m) => !done.has(m.version));
      for (const migration of missing) await apply(client, migration);
      return missing.map((m) => m.version);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
