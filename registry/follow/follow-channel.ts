import type { ChannelRegistry } from '../channel/channel-registry.js';
import type { ApplyChanges, ChannelFollower } from './channel-follower.js';

/** Options of {@link followChannel}. */
export interface WatchOptions {
  readonly channel: string;
  /** How often to look for a new revision (default 1 s; on PostgreSQL a fallback to NOTIFY, default 5 s). */
  readonly pollMs?: number;
  readonly heartbeatMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Runs a follower until stopped: a heartbeat on a timer, and a reconcile on every new revision, which
 * PostgreSQL announces with NOTIFY; folder and HTTP registries show it to a cheap poll of the head
 * revision (a 304 over HTTP when nothing changed).
 */
export async function followChannel(
  follower: ChannelFollower,
  channels: ChannelRegistry,
  apply: ApplyChanges,
  options: WatchOptions,
): Promise<{ stop(): Promise<void> }> {
  const onError = options.onError ?? (() => undefined);
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  // Another host holds the lease: ask again soon rather than at the next poll.
  const tick = (): void =>
    void follower.reconcile(apply).then((outcome) => {
      if (outcome === 'busy' && !stopped && retry === undefined) {
        retry = setTimeout(() => {
          retry = undefined;
          tick();
        }, 250);
      }
    }, onError);
  const listening = channels.listen !== undefined;
  const unlisten = await channels.listen?.((channel) => {
    if (channel === options.channel) tick();
  });
  const poll = setInterval(tick, options.pollMs ?? (listening ? 5000 : 1000));
  const beat = setInterval(() => void follower.heartbeat().catch(onError), options.heartbeatMs ?? 2000);
  await follower.heartbeat().catch(onError);
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(retry);
      clearInterval(poll);
      clearInterval(beat);
      await unlisten?.();
      await follower.idle();
    },
  };
}
