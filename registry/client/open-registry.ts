import { resolve } from 'node:path';
import { LocalRegistry, type LocalRegistryOptions } from '../local/local-registry.js';
import { FolderStorage } from '../store/folder-storage.js';
import { isPostgresUrl } from '../store/postgres/postgres-address.js';
import { PostgresStorage } from '../store/postgres/postgres-storage.js';
import { HttpRegistryClient } from './http-registry-client.js';
import type { RegistryClient } from './registry-client.js';

/** Options of {@link openRegistry}. */
export interface OpenRegistryOptions extends LocalRegistryOptions {
  /** Bearer token for writes to an HTTP registry. */
  readonly token?: string;
}

/** True when `location` names an HTTP(S) registry rather than a folder. */
export function isRegistryUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/**
 * Opens a registry by folder path, `http(s)://` URL or `postgres://` address; all give the same
 * operations. The registry.yaml format is checked now (a registry not written yet is fine: it is
 * created on first write); a PostgreSQL schema is created or migrated now.
 *
 * @throws ModuError `MODU_REGISTRY_FORMAT_UNSUPPORTED`, `MODU_REGISTRY_FILE_INVALID`, `MODU_REGISTRY_DB_UNAVAILABLE`
 * @example const registry = await openRegistry('.modu/registry');
 */
export async function openRegistry(location: string, options: OpenRegistryOptions = {}): Promise<RegistryClient> {
  if (isRegistryUrl(location)) return new HttpRegistryClient(location, options.token);
  return openLocalRegistry(location, options);
}

/** Opens a folder or PostgreSQL registry (the kinds that can also serve HTTP). @throws as {@link openRegistry} */
export async function openLocalRegistry(location: string, options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const storage = isPostgresUrl(location) ? new PostgresStorage(location) : new FolderStorage(resolve(location));
  const registry = new LocalRegistry(storage, options);
  await registry.config();
  return registry;
}
