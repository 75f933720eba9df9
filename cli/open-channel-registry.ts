import { resolve } from 'node:path';
import { ModuError } from '../kernel/index.js';
import { isPostgresUrl, isRegistryUrl, type LocalRegistry, openLocalRegistry } from '../registry/index.js';
import type { CliIO } from './cli-io.js';

/**
 * The registry that holds channels: `--registry` (a folder or postgres:// address), else MODU_REGISTRY,
 * else `.modu/registry` under the working folder.
 *
 * @throws ModuError `MODU_REGISTRY_CHANNEL_UNSUPPORTED` for an HTTP registry
 */
export async function openChannelRegistry(io: CliIO, flag: string | undefined): Promise<LocalRegistry> {
  const location = flag ?? io.env.MODU_REGISTRY ?? '.modu/registry';
  if (isRegistryUrl(location)) {
    throw new ModuError(
      'MODU_REGISTRY_CHANNEL_UNSUPPORTED',
      `channels are kept in the registry's storage, not reachable through ${location}`,
      {
        details: { registry: location },
      },
    );
  }
  return openLocalRegistry(isPostgresUrl(location) ? location : resolve(io.cwd, location));
}
