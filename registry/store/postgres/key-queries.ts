import { ModuError } from '../../../kernel/index.js';
import type { SqlClient } from './sql-client.js';
import type { StorageKey } from './storage-key.js';

/** The bytes under one key, or undefined. An audit log reads back as its lines. */
export async function readKey(db: SqlClient, key: StorageKey): Promise<Buffer | undefined> {
  const one = async (sql: string, values: unknown[]) =>
    (await db.query<{ data: Buffer | null }>(sql, values)).rows[0]?.data ?? undefined;
  switch (key.kind) {
    case 'version':
      return one('SELECT record AS data FROM modu_versions WHERE plugin = $1 AND version = $2', [
        key.plugin,
        key.version,
      ]);
    case 'archive':
      return one('SELECT archive AS data FROM modu_archives WHERE plugin = $1 AND version = $2', [
        key.plugin,
        key.version,
      ]);
    case 'state':
      return one('SELECT state AS data FROM modu_plugin_state WHERE plugin = $1', [key.plugin]);
    case 'file': {
      const file = await one('SELECT data FROM modu_files WHERE key = $1', [key.key]);
      if (file !== undefined) return file;
      const log =
        "SELECT convert_to(string_agg(entry || E'\\n', '' ORDER BY id), 'UTF8') AS data FROM modu_audit WHERE log = $1";
      return one(log, [key.key]);
    }
  }
}

function immutable(key: { readonly plugin: string; readonly version: string }): ModuError {
  return new ModuError(
    'MODU_REGISTRY_VERSION_EXISTS',
    `${key.plugin}@${key.version} is already published; published versions never change.`,
    { details: { plugin: key.plugin, version: key.version } },
  );
}

/**
 * Writes one key: version records and archives are inserted once (the primary key decides; a second
 * insert is refused), state and other rows are created or replaced. Resolves to false when
 * `exclusive` and the key existed.
 */
export async function writeKey(db: SqlClient, key: StorageKey, data: Uint8Array, exclusive: boolean): Promise<boolean> {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const upsert = exclusive ? 'DO NOTHING' : '';
  switch (key.kind) {
    case 'version':
    case 'archive': {
      const table =
        key.kind === 'version' ? 'modu_versions (plugin, version, record)' : 'modu_archives (plugin, version, archive)';
      const sql = `INSERT INTO ${table} VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`;
      const created = (await db.query(sql, [key.plugin, key.version, bytes])).rowCount === 1;
      if (!created && !exclusive) throw immutable(key);
      return created;
    }
    case 'state': {
      const change = upsert || 'DO UPDATE SET state = EXCLUDED.state, updated_at = now()';
      const sql = `INSERT INTO modu_plugin_state (plugin, state) VALUES ($1, $2) ON CONFLICT (plugin) ${change}`;
      return (await db.query(sql, [key.plugin, bytes])).rowCount === 1;
    }
    case 'file': {
      const change = upsert || 'DO UPDATE SET data = EXCLUDED.data, updated_at = now()';
      const sql = `INSERT INTO modu_files (key, data) VALUES ($1, $2) ON CONFLICT (key) ${change}`;
      return (await db.query(sql, [key.key, bytes])).rowCount === 1;
    }
  }
}
