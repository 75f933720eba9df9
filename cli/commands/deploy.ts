import { parseRequest } from '../../registry/index.js';
import { openChannelRegistry } from '../open-channel-registry.js';
import { revisionText } from '../render/channel-text.js';
import { writeOutput } from '../render/write-output.js';
import { withChannelRegistry } from './channel.js';
import type { AddCommand } from './index.js';

/** `modu deploy <channel> <name[@range]>... [--registry DIR|URL|postgres://] [--json]`. */
export const addDeployCommand: AddCommand = (program, io) => {
  withChannelRegistry(
    program
      .command('deploy')
      .description('resolve and verify plugins with their dependencies and write them as a new revision of a channel')
      .argument('<channel>', 'the channel, such as production')
      .argument('<name...>', 'name or name@range; added to or replacing those of the current revision'),
  ).action(
    async (
      channel: string,
      names: string[],
      flags: { registry?: string; config?: string; token?: string; json?: boolean },
    ) => {
      const channels = await openChannelRegistry(io, flags);
      const revision = await channels.deploy(channel, names.map(parseRequest), {
        ...(io.env.USER === undefined ? {} : { actor: io.env.USER }),
      });
      writeOutput(io, flags.json, revision, revisionText);
    },
  );
};
