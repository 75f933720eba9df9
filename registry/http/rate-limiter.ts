/** Requests allowed per address in a fixed window. */
export interface RateLimit {
  readonly windowMs: number;
  readonly max: number;
}

/** A fixed-window counter per client address; memory is bounded by pruning finished windows. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** Counts one request; returns the seconds to wait when over the limit, else 0. */
  take(address: string, now = Date.now()): number {
    let window = this.windows.get(address);
    if (window === undefined || now - window.start >= this.limit.windowMs) {
      if (this.windows.size > 10_000) this.prune(now);
      window = { start: now, count: 0 };
      this.windows.set(address, window);
    }
    window.count++;
    if (window.count <= this.limit.max) return 0;
    return Math.max(1, Math.ceil((window.start + this.limit.windowMs - now) / 1000));
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows) {
      if (now - window.start >= this.limit.windowMs) this.windows.delete(address);
    }
  }
}

/**
 * The client address used for rate limits: the socket's peer, or — only when that peer is a
 * trusted proxy — the right-most X-Forwarded-For address that is not itself a trusted proxy.
 */
export function clientAddress(
  remoteAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxies: readonly string[],
): string {
  const peer = remoteAddress ?? 'unknown';
  if (!trustedProxies.includes(peer) || forwardedFor === undefined) return peer;
  const hops = (typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (hop !== undefined && !trustedProxies.includes(hop)) return hop;
  }
  return peer;
}
