import { archiveFileName } from '../../archive/pack-plugin.js';
import type { SqlClient } from './sql-client.js';
import { splitPluginKey } from './storage-key.js';

const PLUGIN_NAMES = 'SELECT plugin FROM modu_versions GROUP BY plugin UNION SELECT plugin FROM modu_plugin_state';

async function column(db: SqlClient, sql: string, values: unknown[] = []): Promise<string[]> {
  const { rows } = await db.query<{ value: string }>(sql, values);
  return rows.map((row) => row.value);
}

/** The distinct next path segments of `modu_files` keys under `prefix` ('' for the top). */
async function fileChildren(db: SqlClient, prefix: string): Promise<string[]> {
  const start = prefix === '' ? '' : `${prefix}/`;
  const keys = await column(db, 'SELECT key AS value FROM modu_files WHERE left(key, length($1)) = $1', [start]);
  return keys.map((key) => key.slice(start.length).split('/')[0] as string);
}

async function pluginChildren(db: SqlClient, plugin: string): Promise<string[]> {
  const sql = `SELECT 'versions' AS value FROM modu_versions WHERE plugin = $1
    UNION SELECT 'archives' FROM modu_archives WHERE plugin = $1
    UNION SELECT 'state.yaml' FROM modu_plugin_state WHERE plugin = $1`;
  return column(db, sql, [plugin]);
}

async function pluginFolder(db: SqlClient, plugin: string, rest: readonly string[]): Promise<string[] | undefined> {
  if (rest.length === 0) return pluginChildren(db, plugin);
  if (rest.length !== 1) return undefined;
  if (rest[0] === 'versions') {
    return column(db, "SELECT version || '.yaml' AS value FROM modu_versions WHERE plugin = $1", [plugin]);
  }
  if (rest[0] === 'archives') {
    const versions = await column(db, 'SELECT version AS value FROM modu_archives WHERE plugin = $1', [plugin]);
    return versions.map((version) => archiveFileName(plugin, version));
  }
  return undefined;
}

/**
 * `RegistryStorage.list` over the tables: the plugin folders of the layout are derived from the
 * version, archive and state rows, so a listing needs no separate index.
 */
export async function listKeys(db: SqlClient, prefix: string): Promise<string[]> {
  const names = new Set<string>();
  if (prefix === 'plugins' || /^plugins\/@[^/]+$/.test(prefix)) {
    const scope = prefix === 'plugins' ? '' : `${prefix.slice('plugins/'.length)}/`;
    for (const plugin of await column(db, `SELECT plugin AS value FROM (${PLUGIN_NAMES}) AS names`)) {
      if (plugin.startsWith(scope)) names.add(plugin.slice(scope.length).split('/')[0] as string);
    }
  } else {
    const split = splitPluginKey(prefix);
    const derived = split === undefined ? undefined : await pluginFolder(db, split.plugin, split.rest);
    for (const name of derived ?? []) names.add(name);
  }
  if (prefix === '') {
    const top =
      "SELECT 'plugins' AS value WHERE EXISTS (SELECT 1 FROM modu_versions) OR EXISTS (SELECT 1 FROM modu_plugin_state)";
    for (const name of await column(db, top)) names.add(name);
  }
  for (const name of await fileChildren(db, prefix)) names.add(name);
  return [...names];
}
