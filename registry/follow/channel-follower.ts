import { dirname, join } from 'node:path';
import type { ChannelRegistry } from '../channel/channel-registry.js';
import type { ChannelRevision } from '../channel/channel-revision.js';
import { type LockFile, readLockFile, writeLockFile } from '../install/lock-file.js';
import type { InstallPolicy } from '../install/stage-plugin.js';
import type { HostReport } from './host-report.js';
import { diffPluginSets, installPluginSet, type PluginChanges } from './install-plugin-set.js';

/** Loads, reloads and unloads changed plugins in the running host; resolves to an error text, or undefined when all started. */
export type ApplyChanges = (changes: PluginChanges) => Promise<string | undefined>;

/** Options of a {@link ChannelFollower}. */
export interface FollowOptions extends InstallPolicy {
  /** The registry's channels: a folder or PostgreSQL registry, or a registry server over HTTP. */
  readonly channels: ChannelRegistry;
  readonly channel: string;
  readonly pluginsDir: string;
  /** This host's name in heartbeats and leases. */
  readonly host: string;
  /** The URL the host serves on, shown by `modu channel status`. */
  readonly url?: string;
  /** Hosts applying a revision at once, across the fleet (default 1). */
  readonly maxUnavailable?: number;
  readonly heartbeatMs?: number;
  readonly leaseMs?: number;
  /** Called with each event (`applied`, `failed`, `waiting`), for logs. */
  readonly onEvent?: (event: string, fields: Record<string, unknown>) => void;
}

const EMPTY: ChannelRevision['plugins'] = {};

/** What one reconcile pass did. */
export type PassOutcome = 'current' | 'applied' | 'failed' | 'busy' | 'halted';

/**
 * Keeps one host on a channel's current revision: installs it before the host starts, then on every
 * `reconcile()` takes a rollout lease, installs what changed, applies it through the kernel, and on a
 * failure puts the previous versions back, reports the cause and halts the rollout of that revision.
 */
export class ChannelFollower {
  private applied: { revision: number; plugins: ChannelRevision['plugins'] } = { revision: 0, plugins: EMPTY };
  private report: Pick<HostReport, 'health' | 'error' | 'target'> = { health: 'waiting' };
  private failedRevision: number | undefined;
  private running: Promise<PassOutcome> | undefined;
  private again = false;

  constructor(private readonly options: FollowOptions) {}

  private get lockFile(): string {
    return join(dirname(this.options.pluginsDir), 'modu-lock.yaml');
  }

  /** The revision this host serves (0 before the first). */
  get revision(): number {
    return this.applied.revision;
  }

  /** Installs the current revision into the plugins folder, before the kernel starts. Resolves to it. */
  async installCurrent(): Promise<ChannelRevision | undefined> {
    const head = await this.options.channels.head(this.options.channel);
    if (head === undefined) return undefined;
    const target = await this.options.channels.revision(this.options.channel, head);
    const lock = await readLockFile(this.lockFile);
    await installPluginSet(
      this.options.channels.plugins,
      this.options.pluginsDir,
      target.plugins,
      diffPluginSets(lock.plugins, target.plugins),
      this.options,
    );
    await this.record(target);
    this.report = { health: 'healthy' };
    return target;
  }

  private async record(revision: { revision: number; plugins: ChannelRevision['plugins'] }): Promise<void> {
    this.applied = { revision: revision.revision, plugins: revision.plugins };
    const lock: LockFile = {
      lockfileVersion: 1,
      registry: this.options.channels.location,
      plugins: { ...revision.plugins },
    };
    await writeLockFile(this.lockFile, lock);
  }

  /** Takes `revision` as what the host already serves (installed by another follower before the host started). */
  adopt(revision: ChannelRevision): void {
    this.applied = { revision: revision.revision, plugins: revision.plugins };
    this.report = { health: 'healthy' };
  }

  /** Sends this host's heartbeat: applied revision, health, last error, expiry. */
  async heartbeat(): Promise<void> {
    const now = Date.now();
    await this.options.channels.heartbeat({
      host: this.options.host,
      channel: this.options.channel,
      revision: this.applied.revision,
      ...this.report,
      ...(this.options.url === undefined ? {} : { url: this.options.url }),
      at: new Date(now).toISOString(),
      expiresAt: new Date(now + 3 * (this.options.heartbeatMs ?? 2000)).toISOString(),
    });
  }

  /** Resolves when no reconcile pass is running. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /**
   * Brings the host to the current revision if it is not there; concurrent calls run one pass after
   * another. Resolves to `busy` when other hosts hold every lease (worth asking again soon).
   */
  reconcile(apply: ApplyChanges): Promise<PassOutcome> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let outcome: PassOutcome;
      do {
        this.again = false;
        outcome = await this.pass(apply);
      } while (this.again);
      return outcome;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(apply: ApplyChanges): Promise<PassOutcome> {
    const { channel, host, channels } = this.options;
    // The head is the cheap check (a 304 over HTTP); the revision is read only when it is new.
    const head = await channels.head(channel);
    if (head === undefined || [this.applied.revision, this.failedRevision].includes(head)) return 'current';
    const target = await channels.revision(channel, head);
    const answer = await channels.acquireLease({
      channel,
      host,
      revision: target.revision,
      maxUnavailable: this.options.maxUnavailable ?? 1,
      leaseMs: this.options.leaseMs ?? 60_000,
    });
    if (answer !== 'granted') return this.wait(target.revision, answer);
    this.report = { health: 'applying', target: target.revision };
    await this.heartbeat().catch(() => undefined);
    const error = await this.applyRevision(target, apply);
    await channels.releaseLease({
      channel,
      host,
      ...(error === undefined ? {} : { failure: { revision: target.revision, error } }),
    });
    await this.heartbeat().catch(() => undefined);
    return error === undefined ? 'applied' : 'failed';
  }

  /** Another host holds the lease, or the revision's rollout halted: keep serving what the host has. */
  private wait(revision: number, answer: 'busy' | 'halted'): PassOutcome {
    const { health, error } = this.report;
    this.report = {
      health: health === 'failed' ? 'failed' : 'waiting',
      target: revision,
      ...(error === undefined ? {} : { error }),
    };
    this.options.onEvent?.('waiting', { revision, reason: answer });
    return answer;
  }

  private async applyRevision(target: ChannelRevision, apply: ApplyChanges): Promise<string | undefined> {
    const previous = this.applied;
    const changes = diffPluginSets(previous.plugins, target.plugins);
    let error: string | undefined;
    try {
      const { channels, pluginsDir } = this.options;
      await installPluginSet(channels.plugins, pluginsDir, target.plugins, changes, this.options);
      error = await apply(changes);
    } catch (cause) {
      error = (cause as Error).message;
    }
    if (error === undefined) {
      await this.record(target);
      this.report = { health: 'healthy' };
      this.options.onEvent?.('applied', { revision: target.revision, ...changes });
      return undefined;
    }
    await this.restore(previous.plugins, target.plugins, apply);
    this.failedRevision = target.revision;
    this.report = { health: 'failed', target: target.revision, error };
    this.options.onEvent?.('failed', { revision: target.revision, error });
    return error;
  }

  /** Puts the previous versions back and applies them, so the host serves what it served before. */
  private async restore(previous: ChannelRevision['plugins'], failed: ChannelRevision['plugins'], apply: ApplyChanges) {
    const back = diffPluginSets(failed, previous);
    try {
      await installPluginSet(this.options.channels.plugins, this.options.pluginsDir, previous, back, this.options);
      await apply(back);
    } catch (cause) {
      this.options.onEvent?.('restore-failed', { error: (cause as Error).message });
    }
  }
}
