import { stringify } from 'yaml';
import { ModuError } from '../../kernel/index.js';
import { parseRegistryFile } from '../store/parse-registry-file.js';
import type { RegistryStorage } from '../store/registry-storage.js';
import { type ChannelRevision, channelRevisionSchema, checkChannelName } from './channel-revision.js';

/** The storage keys of channels. */
export const channelKeys = {
  channels: 'channels',
  channel: (channel: string) => `channels/${channel}`,
  revisions: (channel: string) => `channels/${channel}/revisions`,
  revision: (channel: string, n: number) => `channels/${channel}/revisions/${n}.yaml`,
} as const;

/** What a new revision holds; the store numbers and dates it. */
export type RevisionDraft = Omit<ChannelRevision, 'channel' | 'revision' | 'createdAt'>;

/**
 * Channels in a registry's storage: each revision is its own immutable key, created exclusively under
 * the channel's lock with the next number, so two deploys never share a revision.
 */
export class ChannelStore {
  constructor(readonly storage: RegistryStorage) {}

  /** Every channel name, sorted. */
  async channels(): Promise<string[]> {
    return (await this.storage.list(channelKeys.channels)).sort();
  }

  /** Revision numbers of a channel, ascending (empty when it has none). */
  async revisionNumbers(channel: string): Promise<number[]> {
    const names = await this.storage.list(channelKeys.revisions(checkChannelName(channel)));
    return names
      .filter((n) => /^[1-9][0-9]*\.yaml$/.test(n))
      .map((n) => Number(n.slice(0, -5)))
      .sort((a, b) => a - b);
  }

  /** One revision. @throws ModuError `MODU_REGISTRY_CHANNEL_NOT_FOUND`, `MODU_REGISTRY_FILE_INVALID` */
  async revision(channel: string, n: number): Promise<ChannelRevision> {
    const key = channelKeys.revision(checkChannelName(channel), n);
    const bytes = await this.storage.read(key);
    if (bytes === undefined) {
      throw new ModuError('MODU_REGISTRY_CHANNEL_NOT_FOUND', `Channel ${channel} has no revision ${n}.`, {
        details: { channel, revision: n },
      });
    }
    return parseRegistryFile<ChannelRevision>(bytes, `${this.storage.location}/${key}`, channelRevisionSchema);
  }

  /** The newest revision, or undefined when the channel has none. */
  async current(channel: string): Promise<ChannelRevision | undefined> {
    const numbers = await this.revisionNumbers(channel);
    const last = numbers.at(-1);
    return last === undefined ? undefined : this.revision(channel, last);
  }

  /** Writes the next revision of `channel`. */
  async append(channel: string, draft: RevisionDraft, now = new Date()): Promise<ChannelRevision> {
    checkChannelName(channel);
    return this.storage.withLock(channelKeys.channel(channel), async () => {
      const revision = ((await this.revisionNumbers(channel)).at(-1) ?? 0) + 1;
      const document: ChannelRevision = { channel, revision, createdAt: now.toISOString(), ...draft };
      const text = `# channel ${channel}, revision ${revision}: immutable.\n${stringify(document)}`;
      if (!(await this.storage.createExclusive(channelKeys.revision(channel, revision), Buffer.from(text)))) {
        throw new ModuError(
          'MODU_REGISTRY_CHANNEL_REVISION_EXISTS',
          `Revision ${revision} of channel ${channel} appeared while writing it.`,
          {
            details: { channel, revision },
          },
        );
      }
      return document;
    });
  }
}
