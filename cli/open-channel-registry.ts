import {
  type ChannelRegistry,
  HttpChannels,
  isRegistryUrl,
  openLocalRegistry,
  StorageChannels,
} from '../registry/index.js';
import type { CliIO } from './cli-io.js';
import { registryAddress } from './registry-address.js';

/** The flags that choose the registry holding channels. */
export interface ChannelRegistryFlags {
  readonly registry?: string | undefined;
  readonly config?: string | undefined;
  readonly token?: string | undefined;
}

/**
 * The registry that holds channels (see {@link registryAddress}): a folder or postgres:// address used
 * directly, or a registry server's URL, whose writes (deploys, rollbacks, heartbeats, leases) carry
 * `--token` or MODU_REGISTRY_TOKEN.
 *
 * @throws ModuError the codes of openLocalRegistry and of the host config
 */
export async function openChannelRegistry(io: CliIO, flags: ChannelRegistryFlags): Promise<ChannelRegistry> {
  const location = await registryAddress(io, {
    ...(flags.registry === undefined ? {} : { registry: flags.registry }),
    ...(flags.config === undefined ? {} : { config: flags.config }),
  });
  if (isRegistryUrl(location)) return new HttpChannels(location, flags.token ?? io.env.MODU_REGISTRY_TOKEN);
  return new StorageChannels(await openLocalRegistry(location));
}
