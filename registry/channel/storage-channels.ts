import type { HostReport } from '../follow/host-report.js';
import { readHostReports, writeHostReport } from '../follow/host-report.js';
import { acquireLease, type LeaseAnswer, readRolloutState, releaseLease } from '../follow/rollout-state.js';
import type { LocalRegistry } from '../local/local-registry.js';
import type { InstallRequest } from '../resolve/resolve-closure.js';
import { PostgresStorage } from '../store/postgres/postgres-storage.js';
import type { ChannelRegistry, ChannelStatus, ChannelSummary, LeaseRelease, LeaseRequest } from './channel-registry.js';
import { type ChannelRevision, checkChannelName } from './channel-revision.js';
import { ChannelStore } from './channel-store.js';
import { type ChannelWriteOptions, deployChannel, rollbackChannel } from './deploy-channel.js';

/**
 * Channels kept in a registry's own storage (a folder or PostgreSQL): what the CLI uses directly and
 * what `modu registry serve` answers the HTTP channel routes with.
 */
export class StorageChannels implements ChannelRegistry {
  private readonly store: ChannelStore;
  readonly listen?: (onRevision: (channel: string) => void) => Promise<() => Promise<void>>;

  constructor(readonly plugins: LocalRegistry) {
    this.store = new ChannelStore(plugins.storage);
    const storage = plugins.storage;
    if (storage instanceof PostgresStorage) this.listen = (onRevision) => storage.listenForRevisions(onRevision);
  }

  get location(): string {
    return this.plugins.location;
  }

  async channels(): Promise<ChannelSummary[]> {
    const rows: ChannelSummary[] = [];
    for (const name of await this.store.channels()) rows.push({ name, revision: await this.head(name) });
    return rows;
  }

  async head(channel: string): Promise<number | undefined> {
    return (await this.store.revisionNumbers(channel)).at(-1);
  }

  revision(channel: string, n: number): Promise<ChannelRevision> {
    return this.store.revision(channel, n);
  }

  async history(channel: string): Promise<ChannelRevision[]> {
    const revisions: ChannelRevision[] = [];
    for (const n of await this.store.revisionNumbers(channel)) revisions.push(await this.store.revision(channel, n));
    return revisions;
  }

  deploy(
    channel: string,
    requests: readonly InstallRequest[],
    options?: ChannelWriteOptions,
  ): Promise<ChannelRevision> {
    return deployChannel(this.plugins, channel, requests, options);
  }

  rollback(channel: string, to?: number, options?: ChannelWriteOptions): Promise<ChannelRevision> {
    return rollbackChannel(this.plugins, channel, to, options);
  }

  async status(channel: string): Promise<ChannelStatus> {
    return {
      channel: checkChannelName(channel),
      revision: await this.head(channel),
      rollout: await readRolloutState(this.plugins.storage, channel),
      hosts: await readHostReports(this.plugins.storage, channel),
    };
  }

  heartbeat(report: HostReport): Promise<void> {
    checkChannelName(report.channel);
    return writeHostReport(this.plugins.storage, report);
  }

  acquireLease(lease: LeaseRequest): Promise<LeaseAnswer> {
    checkChannelName(lease.channel);
    return acquireLease(this.plugins.storage, lease);
  }

  releaseLease(release: LeaseRelease): Promise<void> {
    checkChannelName(release.channel);
    return releaseLease(this.plugins.storage, release);
  }
}
