import type { RegistryClient } from '../client/registry-client.js';
import type { HostReport, HostStatus } from '../follow/host-report.js';
import type { LeaseAnswer, RolloutState } from '../follow/rollout-state.js';
import type { InstallRequest } from '../resolve/resolve-closure.js';
import type { ChannelRevision } from './channel-revision.js';
import type { ChannelWriteOptions } from './deploy-channel.js';

/** One line of `modu channel list`. */
export interface ChannelSummary {
  readonly name: string;
  /** The current revision; undefined when the channel has none. */
  readonly revision: number | undefined;
}

/** What `modu channel status` shows: the current revision, where a rollout halted, every host's heartbeat. */
export interface ChannelStatus {
  readonly channel: string;
  readonly revision: number | undefined;
  readonly rollout: RolloutState;
  readonly hosts: readonly HostStatus[];
}

/** A host asking to apply a revision. */
export interface LeaseRequest {
  readonly channel: string;
  readonly host: string;
  readonly revision: number;
  readonly maxUnavailable: number;
  readonly leaseMs: number;
}

/** A host giving its lease back; with `failure`, the rollout of that revision halts there. */
export interface LeaseRelease {
  readonly channel: string;
  readonly host: string;
  readonly failure?: { readonly revision: number; readonly error: string };
}

/**
 * The channel operations of a registry, the same on a folder, on PostgreSQL (`StorageChannels`) and
 * over HTTP (`HttpChannels`): what `modu deploy`, `modu channel …` and a following host use.
 */
export interface ChannelRegistry {
  /** The folder, postgres:// address (password hidden) or URL. */
  readonly location: string;
  /** Where the plugins a revision names are downloaded from. */
  readonly plugins: RegistryClient;
  channels(): Promise<ChannelSummary[]>;
  /** The current revision number, undefined when none: the cheap change check a follower polls. */
  head(channel: string): Promise<number | undefined>;
  /** One revision. @throws ModuError `MODU_REGISTRY_CHANNEL_NOT_FOUND` */
  revision(channel: string, n: number): Promise<ChannelRevision>;
  /** Every revision, ascending. */
  history(channel: string): Promise<ChannelRevision[]>;
  deploy(channel: string, requests: readonly InstallRequest[], options?: ChannelWriteOptions): Promise<ChannelRevision>;
  rollback(channel: string, to?: number, options?: ChannelWriteOptions): Promise<ChannelRevision>;
  status(channel: string): Promise<ChannelStatus>;
  /** Replaces a host's heartbeat. */
  heartbeat(report: HostReport): Promise<void>;
  acquireLease(lease: LeaseRequest): Promise<LeaseAnswer>;
  releaseLease(release: LeaseRelease): Promise<void>;
  /** Calls `onRevision(channel)` when a revision is written, where the registry can announce it (PostgreSQL NOTIFY). */
  listen?(onRevision: (channel: string) => void): Promise<() => Promise<void>>;
}
