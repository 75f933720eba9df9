/** How a plugin's breaker trips and recovers. */
export interface BreakerOptions {
  /** Consecutive failed requests that open the breaker (default 5). */
  readonly failureThreshold?: number;
  /** How long it stays open before letting one trial request through (default 10 000 ms). */
  readonly resetTimeoutMs?: number;
}

/** `closed`: requests flow; `open`: rejected fast; `half-open`: one trial request decides. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A per-plugin circuit breaker: consecutive handler failures open it, it rejects fast while open,
 * lets one trial through after the cool-down, and closes again when that trial succeeds.
 * Hand-written rather than opossum: it is two counters and a timestamp per request, with no
 * promise wrapping, timers or events on the hot path.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #resetMs: number;
  #failures = 0;
  #openedAt = 0;
  #state: BreakerState = 'closed';
  #trialInFlight = false;

  constructor(options: BreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#resetMs = options.resetTimeoutMs ?? 10_000;
  }

  get state(): BreakerState {
    if (this.#state === 'open' && Date.now() - this.#openedAt >= this.#resetMs) return 'half-open';
    return this.#state;
  }

  /** Milliseconds to wait when a request must be rejected now, else 0 (and the request may run). */
  admit(): number {
    if (this.#state === 'closed') return 0;
    const waited = Date.now() - this.#openedAt;
    if (this.#state === 'open' && waited < this.#resetMs) return this.#resetMs - waited;
    if (this.#trialInFlight) return 1000;
    this.#state = 'half-open';
    this.#trialInFlight = true;
    return 0;
  }

  /** Records a request's outcome. */
  record(failed: boolean): void {
    if (!failed) {
      if (this.#state === 'closed' && this.#failures === 0) return;
      this.#failures = 0;
      this.#state = 'closed';
      this.#trialInFlight = false;
      return;
    }
    this.#failures++;
    if (this.#state === 'half-open' || this.#failures >= this.#threshold) {
      this.#state = 'open';
      this.#openedAt = Date.now();
      this.#trialInFlight = false;
    }
  }
}
