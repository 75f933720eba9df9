import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Kernel } from '../../kernel/index.js';
import { ChannelFollower, checkChannelName, followChannel } from '../../registry/index.js';
import type { CliIO } from '../cli-io.js';
import { openChannelRegistry } from '../open-channel-registry.js';
import { readTrustedKeys } from '../read-trusted-keys.js';
import { applyToKernel } from './apply-to-kernel.js';

interface FollowFlags {
  readonly follow: string;
  readonly registry: string | undefined;
  readonly config?: string;
  readonly pluginsDir: string;
  readonly maxUnavailable?: number;
  readonly hostId?: string;
  readonly requireSignatures?: boolean;
  readonly trustedKey?: readonly string[];
}

/**
 * `modu start --follow`: installs the channel's current revision into the plugins folder before the
 * kernel starts; `follow(kernel, url)` then keeps the host on the channel until `stop()`.
 */
export async function prepareFollower(io: CliIO, flags: FollowFlags) {
  const channel = checkChannelName(flags.follow);
  // The token for heartbeats and leases on an HTTP registry comes from MODU_REGISTRY_TOKEN.
  const channels = await openChannelRegistry(io, { registry: flags.registry, config: flags.config });
  const host = (flags.hostId ?? `${hostname()}-${process.pid}`).replace(/[^A-Za-z0-9._-]/g, '-');
  const log = (event: string, fields: Record<string, unknown>) =>
    io.stdout.write(`modu: channel ${channel}: ${event} ${JSON.stringify(fields)}\n`);
  const base = {
    channels,
    channel,
    pluginsDir: flags.pluginsDir,
    host,
    maxUnavailable: flags.maxUnavailable ?? 1,
    requireSignatures: flags.requireSignatures === true,
    trustedKeys: await readTrustedKeys(io, flags.trustedKey ?? []),
    onEvent: log,
  };
  await mkdir(flags.pluginsDir, { recursive: true });
  const installed = await new ChannelFollower(base).installCurrent();
  io.stdout.write(`modu: following channel ${channel} as ${host}, revision ${installed?.revision ?? 'none yet'}\n`);
  return {
    follow: async (kernel: Kernel, url: string) => {
      const follower = new ChannelFollower({ ...base, url });
      if (installed !== undefined) follower.adopt(installed);
      return followChannel(follower, channels, applyToKernel(kernel), {
        channel,
        onError: (error) => log('error', { message: (error as Error).message }),
      });
    },
  };
}
