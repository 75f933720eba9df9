import type { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { openChannelRegistry } from '../open-channel-registry.js';
import { channelsText, historyText, revisionText, statusText } from '../render/channel-text.js';
import { writeOutput } from '../render/write-output.js';
import type { AddCommand } from './index.js';

interface Flags {
  registry?: string;
  config?: string;
  token?: string;
  json?: boolean;
}

/** The options every deploy and channel command takes: where the registry is, its token, `--json`. */
export function withChannelRegistry(command: Command): Command {
  return command
    .option(
      '--registry <address>',
      'registry folder, URL or postgres:// address (default: registry of ./modu.yaml, else .modu/registry)',
    )
    .option('--config <file>', 'host config to read registry: from (default ./modu.yaml)')
    .option('--token <token>', 'bearer token for writes to an HTTP registry (or MODU_REGISTRY_TOKEN)')
    .option('--json', 'print JSON');
}

function addReads(channel: Command, io: CliIO): void {
  withChannelRegistry(channel.command('list').description('list the channels and their current revisions')).action(
    async (flags: Flags) => {
      writeOutput(io, flags.json, await (await openChannelRegistry(io, flags)).channels(), channelsText);
    },
  );
  withChannelRegistry(channel.command('show').description('show a revision of a channel (default: the current one)'))
    .argument('<channel>', 'the channel')
    .option('--revision <n>', 'the revision to show', (v) => Number.parseInt(v, 10))
    .action(async (name: string, flags: Flags & { revision?: number }) => {
      const channels = await openChannelRegistry(io, flags);
      const n = flags.revision ?? (await channels.head(name)) ?? 1;
      writeOutput(io, flags.json, await channels.revision(name, n), revisionText);
    });
  withChannelRegistry(
    channel.command('status').description('show every host following a channel: revision, health, last error'),
  )
    .argument('<channel>', 'the channel')
    .action(async (name: string, flags: Flags) => {
      writeOutput(io, flags.json, await (await openChannelRegistry(io, flags)).status(name), statusText);
    });
  withChannelRegistry(channel.command('history').description('list every revision of a channel, newest first'))
    .argument('<channel>', 'the channel')
    .action(async (name: string, flags: Flags) => {
      writeOutput(io, flags.json, await (await openChannelRegistry(io, flags)).history(name), historyText);
    });
}

/** `modu channel list|show|history|status|rollback`: channels are named, versioned plugin sets hosts follow. */
export const addChannelCommand: AddCommand = (program, io) => {
  const channel = program.command('channel').description('show channels and their revisions, roll a channel back');
  addReads(channel, io);
  withChannelRegistry(
    channel.command('rollback').description('write a new revision with the plugins of an earlier one'),
  )
    .argument('<channel>', 'the channel')
    .option('--to <rev>', 'the revision to restore (default: the one before the current)', (v) =>
      Number.parseInt(v, 10),
    )
    .action(async (name: string, flags: Flags & { to?: number }) => {
      const channels = await openChannelRegistry(io, flags);
      const revision = await channels.rollback(name, flags.to, {
        ...(io.env.USER === undefined ? {} : { actor: io.env.USER }),
      });
      writeOutput(io, flags.json, revision, revisionText);
    });
};
