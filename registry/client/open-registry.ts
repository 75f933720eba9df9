import { resolve } from 'node:path';
import { LocalRegistry, type LocalRegistryOptions } from '../local/local-registry.js';
import { FolderStorage } from '../store/folder-storage.js';
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
 * Opens a registry by folder path or `http(s)://` URL; both give the same operations. A folder's
 * registry.yaml format is checked now (a folder not written yet is fine: it is created on first write).
 *
 * @throws ModuError `MODU_REGISTRY_FORMAT_UNSUPPORTED`, `MODU_REGISTRY_FILE_INVALID`
 * @example const registry = await openRegistry('.modu/registry');
 */
export async function openRegistry(location: string, options: OpenRegistryOptions = {}): Promise<RegistryClient> {
  if (isRegistryUrl(location)) return new HttpRegistryClient(location, options.token);
  return openLocalRegistry(location, options);
}

/** Opens a folder registry (the type that can also serve HTTP). @throws as {@link openRegistry} */
export async function openLocalRegistry(folder: string, options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const registry = new LocalRegistry(new FolderStorage(resolve(folder)), options);
  await registry.config();
  return registry;
}
