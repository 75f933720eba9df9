/** How a route's breaker trips and recovers (opossum's volume threshold and error percentage, over a rolling window). */
export interface BreakerOptions {
  /** Calls the rolling window must hold before the error rate can open the breaker (default 10). */
  readonly volumeThreshold?: number;
  /** Failed share of the window's calls, in percent, that opens the breaker (default 50). */
  readonly errorThresholdPercentage?: number;
  /** Length of the rolling window (default 10 000 ms), counted in ten buckets. */
  readonly rollingWindowMs?: number;
  /** How long it stays open before letting one trial request through (default 10 000 ms). */
  readonly resetTimeoutMs?: number;
}

/** `closed`: requests flow; `open`: rejected fast; `half-open`: one trial request decides. */
export type BreakerState = 'closed' | 'open' | 'half-open';

const BUCKETS = 10;

/**
 * A circuit breaker for one route (or one guard): it opens when, over the rolling window, at least `volumeThreshold`
 * calls were made and at least `errorThresholdPercentage` of them failed; it rejects fast while open, lets one trial
 * through after the cool-down, and closes again when that trial succeeds. Only failures the plugin caused are
 * recorded as failures (the caller decides nothing: a 4xx from bad input is a success here). Hand-written rather
 * than opossum: two counter arrays and a timestamp, with no promise wrapping, timers or events on the hot path.
 */
export class CircuitBreaker {
  readonly #volume: number;
  readonly #percentage: number;
  readonly #bucketMs: number;
  readonly #resetMs: number;
  readonly #calls = new Array<number>(BUCKETS).fill(0);
  readonly #failures = new Array<number>(BUCKETS).fill(0);
  #bucket = 0;
  #openedAt = 0;
  #state: BreakerState = 'closed';
  #trialInFlight = false;

  constructor(options: BreakerOptions = {}) {
    this.#volume = Math.max(1, options.volumeThreshold ?? 10);
    this.#percentage = options.errorThresholdPercentage ?? 50;
    this.#bucketMs = Math.max(1, Math.ceil((options.rollingWindowMs ?? 10_000) / BUCKETS));
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

  /** Records a request's outcome: `failed` only when the plugin's own code failed (a 5xx it caused). */
  record(failed: boolean): void {
    if (this.#state !== 'closed') {
      if (failed) this.#open();
      else this.#close();
      return;
    }
    const slot = this.#advance(Date.now());
    this.#calls[slot] = (this.#calls[slot] as number) + 1;
    if (!failed) return;
    this.#failures[slot] = (this.#failures[slot] as number) + 1;
    let calls = 0;
    let failures = 0;
    for (let i = 0; i < BUCKETS; i++) {
      calls += this.#calls[i] as number;
      failures += this.#failures[i] as number;
    }
    if (calls >= this.#volume && failures * 100 >= this.#percentage * calls) this.#open();
  }

  /** Moves the window to `now`, zeroing the buckets it left behind; returns the current bucket's slot. */
  #advance(now: number): number {
    const bucket = Math.floor(now / this.#bucketMs);
    const gone = Math.min(bucket - this.#bucket, BUCKETS);
    for (let i = 1; i <= gone; i++) {
      const slot = (this.#bucket + i) % BUCKETS;
      this.#calls[slot] = 0;
      this.#failures[slot] = 0;
    }
    this.#bucket = bucket;
    return bucket % BUCKETS;
  }

  #open(): void {
    this.#state = 'open';
    this.#openedAt = Date.now();
    this.#trialInFlight = false;
  }

  #close(): void {
    this.#state = 'closed';
    this.#trialInFlight = false;
    this.#calls.fill(0);
    this.#failures.fill(0);
  }
}
