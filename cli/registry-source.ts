import { stat } from 'node:fs/promises';
import { ModuError } from '../kernel/index.js';
import { isRegistryUrl, lockFileFor, readLockFile } from '../registry/index.js';
import './errors.js';

/**
 * For commands that read a registry: a folder that does not exist is an error naming it, never an empty listing.
 * A URL is checked by the server. @throws ModuError `MODU_CLI_REGISTRY_MISSING`
 */
export async function assertRegistryExists(location: string): Promise<void> {
  if (isRegistryUrl(location)) return;
  if ((await stat(location).catch(() => undefined))?.isDirectory()) return;
  throw new ModuError('MODU_CLI_REGISTRY_MISSING', `No registry folder at ${location}.`, {
    details: { registry: location },
  });
}

/** The registry `modu-lock.yaml` (next to the plugins folder) records, if any: `install --from-lock` uses it. */
export async function lockedRegistry(pluginsDir: string): Promise<string | undefined> {
  return (await readLockFile(lockFileFor({ pluginsDir }))).registry;
}
