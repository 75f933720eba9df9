import type { Command } from 'commander';
import { ChannelStore, readHostReports, readRolloutState, rollbackChannel } from '../../registry/index.js';
import type { CliIO } from '../cli-io.js';
import { openChannelRegistry } from '../open-channel-registry.js';
import { channelsText, historyText, revisionText, statusText } from '../render/channel-text.js';
import { writeOutput } from '../render/write-output.js';
import type { AddCommand } from './index.js';

interface Flags {
  registry?: string;
  json?: boolean;
}

function withRegistry(command: Command): Command {
  return command
    .option('--registry <address>', 'registry folder or postgres:// address (default .modu/registry)')
    .option('--json', 'print JSON');
}

async function store(io: CliIO, flags: Flags): Promise<ChannelStore> {
  return new ChannelStore((await openChannelRegistry(io, flags.registry)).storage);
}

function addReads(channel: Command, io: CliIO): void {
  withRegistry(channel.command('list').description('list the channels and their current revisions')).action(
    async (flags: Flags) => {
      const channels = await store(io, flags);
      const rows = [];
      for (const name of await channels.channels())
        rows.push({ name, revision: (await channels.revisionNumbers(name)).at(-1) });
      writeOutput(io, flags.json, rows, channelsText);
    },
  );
  withRegistry(channel.command('show').description('show a revision of a channel (default: the current one)'))
    .argument('<channel>', 'the channel')
    .option('--revision <n>', 'the revision to show', (v) => Number.parseInt(v, 10))
    .action(async (name: string, flags: Flags & { revision?: number }) => {
      const channels = await store(io, flags);
      const n = flags.revision ?? (await channels.revisionNumbers(name)).at(-1) ?? 1;
      writeOutput(io, flags.json, await channels.revision(name, n), revisionText);
    });
  withRegistry(
    channel.command('status').description('show every host following a channel: revision, health, last error'),
  )
    .argument('<channel>', 'the channel')
    .action(async (name: string, flags: Flags) => {
      const channels = await store(io, flags);
      const status = {
        channel: name,
        revision: (await channels.revisionNumbers(name)).at(-1),
        rollout: await readRolloutState(channels.storage, name),
        hosts: await readHostReports(channels.storage, name),
      };
      writeOutput(io, flags.json, status, statusText);
    });
  withRegistry(channel.command('history').description('list every revision of a channel, newest first'))
    .argument('<channel>', 'the channel')
    .action(async (name: string, flags: Flags) => {
      const channels = await store(io, flags);
      const revisions = [];
      for (const n of await channels.revisionNumbers(name)) revisions.push(await channels.revision(name, n));
      writeOutput(io, flags.json, revisions, historyText);
    });
}

/** `modu channel list|show|history|rollback`: channels are named, versioned plugin sets hosts follow. */
export const addChannelCommand: AddCommand = (program, io) => {
  const channel = program.command('channel').description('show channels and their revisions, roll a channel back');
  addReads(channel, io);
  withRegistry(channel.command('rollback').description('write a new revision with the plugins of an earlier one'))
    .argument('<channel>', 'the channel')
    .option('--to <rev>', 'the revision to restore (default: the one before the current)', (v) =>
      Number.parseInt(v, 10),
    )
    .action(async (name: string, flags: Flags & { to?: number }) => {
      const registry = await openChannelRegistry(io, flags.registry);
      const revision = await rollbackChannel(registry, name, flags.to, {
        ...(io.env.USER === undefined ? {} : { actor: io.env.USER }),
      });
      writeOutput(io, flags.json, revision, revisionText);
    });
};
